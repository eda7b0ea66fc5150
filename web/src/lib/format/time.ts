// Time as agents read it: compact relative times in lists, a countdown for WhatsApp's reply window.
import { locale as uiLocale } from '#lib/i18n/i18n.ts';
import { displayZone } from './zone.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface TimeFormatOptions {
	locale?: string;
	/** IANA zone for absolute dates; the tenant's (format/zone.ts) when omitted. */
	timeZone?: string;
}

/** "now", "5m ago", "3h ago", "yesterday", "3d ago", then a date ("12 Mar", "12 Mar 2024"). */
export function relativeTime(
	at: string | Date,
	now: number,
	{ locale = uiLocale, timeZone = displayZone() }: TimeFormatOptions = {}
): string {
	const then = new Date(at).getTime();
	// A timestamp slightly ahead of the local clock (server/client skew) still reads as "now".
	const elapsed = Math.max(0, now - then);
	const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'narrow' });
	if (elapsed < MINUTE) return rtf.format(0, 'second');
	if (elapsed < HOUR) return rtf.format(-Math.floor(elapsed / MINUTE), 'minute');
	if (elapsed < DAY) return rtf.format(-Math.floor(elapsed / HOUR), 'hour');
	if (elapsed < 7 * DAY) return rtf.format(-Math.floor(elapsed / DAY), 'day');
	const sameYear =
		new Date(then).toLocaleDateString('en', { year: 'numeric', timeZone }) ===
		new Date(now).toLocaleDateString('en', { year: 'numeric', timeZone });
	return new Intl.DateTimeFormat(locale, {
		day: 'numeric',
		month: 'short',
		year: sameYear ? undefined : 'numeric',
		timeZone
	}).format(then);
}

/** Full date and time, for tooltips and `<time>` titles. */
export function absoluteTime(at: string | Date, { locale = uiLocale, timeZone = displayZone() }: TimeFormatOptions = {}): string {
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
		new Date(at)
	);
}

/** Clock time of a message bubble: "14:05" / "2:05 PM" depending on locale. */
export function clockTime(at: string | Date, { locale = uiLocale, timeZone = displayZone() }: TimeFormatOptions = {}): string {
	return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(at));
}

function parts(ms: number) {
	const total = Math.max(0, Math.floor(ms / 1000));
	return {
		hours: Math.floor(total / 3600),
		minutes: Math.floor((total % 3600) / 60),
		seconds: total % 60
	};
}

/** A ticking countdown: `23:04:05`. Hours are not capped at 24 (free entry point windows last 72 hours). */
export function formatCountdown(ms: number, locale: string = uiLocale): string {
	return new Intl.DurationFormat(locale, { style: 'digital', hoursDisplay: 'always' }).format(parts(ms));
}

/** A short remaining time for lists: `5h 12m`, `3m`, `<1m` shown as `0m`. Seconds are dropped. */
export function formatRemaining(ms: number, locale: string = uiLocale): string {
	const { hours, minutes } = parts(ms);
	const format = new Intl.DurationFormat(locale, { style: 'narrow' });
	if (hours === 0) {
		return new Intl.DurationFormat(locale, { style: 'narrow', minutesDisplay: 'always' }).format({ minutes });
	}
	return format.format(minutes === 0 ? { hours } : { hours, minutes });
}

/** A timeline day separator: "Today", "Yesterday", else the date. Days are `YYYY-MM-DD` keys. */
export function dayLabel(day: string, today: string, locale: string = uiLocale): string {
	const utc = (key: string) => Date.parse(`${key}T00:00:00Z`);
	const diff = Math.round((utc(day) - utc(today)) / DAY);
	if (diff === 0 || diff === -1) {
		const word = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(diff, 'day');
		return word.charAt(0).toLocaleUpperCase(locale) + word.slice(1);
	}
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(utc(day));
}
