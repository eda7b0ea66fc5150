// How the dashboard gets a person's attention: a desktop notification (only once they granted it, asked
// from a button, never on load — browsers ignore or punish prompts nobody asked for) and a short chime
// made with the Web Audio API (no sound file to download), which they can mute. The mute is this
// browser's (localStorage), like the permission itself.
// Notification API: https://developer.mozilla.org/docs/Web/API/Notification
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { m } from '#lib/paraglide/messages.js';
import type { AttentionKind, Tracked } from './attention.ts';
import { notificationOf } from './attention.ts';

export type Permission = NotificationPermission | 'unsupported';

const SOUND_KEY = 'switchboard.sound';

const storage = (): Storage | null => (typeof localStorage === 'undefined' ? null : localStorage);
const supported = () => typeof window !== 'undefined' && 'Notification' in window;

class AlertSettings {
	permission = $state<Permission>(supported() ? Notification.permission : 'unsupported');
	sound = $state(storage()?.getItem(SOUND_KEY) !== 'off');

	/** Asks the browser; only from a person's click (the button on /me). */
	async requestPermission(): Promise<void> {
		if (!supported()) return;
		this.permission = await Notification.requestPermission();
	}

	setSound(on: boolean): void {
		this.sound = on;
		try {
			storage()?.setItem(SOUND_KEY, on ? 'on' : 'off');
		} catch {
			// Not remembered past this page; still honoured now.
		}
	}
}

export const alertSettings = new AlertSettings();

let audio: AudioContext | null = null;

/** Two soft rising tones, a quarter of a second each. */
export function chime(): void {
	if (!alertSettings.sound || typeof AudioContext === 'undefined') return;
	try {
		audio ??= new AudioContext();
		// Browsers start a context suspended until the page has had a click or a key press.
		if (audio.state === 'suspended') void audio.resume();
		const start = audio.currentTime;
		for (const [i, frequency] of [880, 1318.5].entries()) {
			const at = start + i * 0.14;
			const tone = audio.createOscillator();
			const gain = audio.createGain();
			tone.type = 'sine';
			tone.frequency.value = frequency;
			gain.gain.setValueAtTime(0.0001, at);
			gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
			gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
			tone.connect(gain).connect(audio.destination);
			tone.start(at);
			tone.stop(at + 0.3);
		}
	} catch {
		// No audio output: the notification and the title still say it.
	}
}

/** A desktop notification, when permitted; clicking it brings the tab forward and opens the conversation. */
export function notify(kind: AttentionKind, conversation: Tracked, words: { newMessage: string; assigned: string }, open: (id: string) => void): void {
	if (!supported() || Notification.permission !== 'granted') return;
	const { title, body, tag } = notificationOf(kind, conversation, words);
	try {
		const notification = new Notification(title, { body, tag, lang: document.documentElement.lang, dir: 'auto' });
		notification.onclick = () => {
			window.focus();
			open(conversation.id);
			notification.close();
		};
	} catch {
		// Some platforms only notify from a service worker; the chime and the title still say it.
	}
}

/** Both, for something of mine that happened while I looked elsewhere. */
export function ring(kind: AttentionKind, conversation: Tracked): void {
	notify(kind, conversation, { newMessage: m.attention_newMessage(), assigned: m.attention_assigned() }, (id) => void goto(resolve('/conversations/[id]', { id })));
	chime();
}
