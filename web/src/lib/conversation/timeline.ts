// Turning a conversation's messages into what the timeline shows: messages oldest → newest with day
// separators, reactions attached to the message they react to, replies linked to the quoted message, and
// the conversation's events (welcome requests, calls) between the messages by their time.
import type { MessageDirection, MessageStatus } from '#lib/graphql/types.ts';
import type { ConversationEvent, Message } from './fragments.ts';
import { dayIn } from '#lib/format/zone.ts';
import { isPending } from './composer.ts';

export interface Reaction {
	emoji: string;
	direction: MessageDirection;
}

export type TimelineItem =
	| { kind: 'day'; key: string; day: string; at: string }
	| {
			kind: 'message';
			key: string;
			message: Message;
			/** Current reactions, at most one per side (WhatsApp keeps one reaction per sender). */
			reactions: Reaction[];
			/** The quoted message when it is loaded, `null` when it is not, `undefined` for a non-reply. */
			quoted: Message | null | undefined;
	  }
	/** A reaction to a message that is not loaded, shown as a small event. */
	| { kind: 'reaction'; key: string; message: Message }
	/** A welcome request, a call or a call-permission answer. */
	| { kind: 'event'; key: string; event: ConversationEvent };

// How far an outbound message has come. Snapshots can arrive out of order (a mutation's answer after
// the subscription's SENT, a resync's page after a live READ), so a later snapshot never moves one back.
const PROGRESS: Record<MessageStatus, number> = { RECEIVED: 0, PENDING: 0, SENT: 1, DELIVERED: 2, READ: 3, PLAYED: 4, FAILED: 5 };

/** `incoming`, unless `current` has come further: then `incoming`'s fields with `current`'s status. */
export function newerMessage(current: Message, incoming: Message): Message {
	if (PROGRESS[incoming.status] >= PROGRESS[current.status]) return incoming;
	return { ...incoming, status: current.status, errors: current.errors, failureReason: current.failureReason, wamid: incoming.wamid ?? current.wamid };
}

/**
 * Messages in timeline order; a changed message replaces its earlier version by id. Meta's timestamps have
 * one-second resolution, so messages of the same second keep the order they were first shown in.
 */
export function upsertMessage(list: readonly Message[], incoming: Message): Message[] {
	const existing = list.findIndex((m) => m.id === incoming.id);
	const message = existing === -1 ? incoming : newerMessage(list[existing]!, incoming);
	if (existing !== -1 && list[existing]!.createdAt === message.createdAt) {
		return list.with(existing, message);
	}
	const at = Date.parse(message.createdAt);
	const rest = list.filter((m) => m.id !== message.id);
	let index = rest.length;
	while (index > 0 && Date.parse(rest[index - 1]!.createdAt) > at) index--;
	return [...rest.slice(0, index), message, ...rest.slice(index)];
}

/**
 * A live outbound message whose stand-in is still on screen (the subscription can beat the mutation's
 * answer): the stand-in — the oldest local one of the same kind and text — gives way to it.
 */
export function settleStandIn(list: readonly Message[], message: Message): Message[] {
	if (message.direction !== 'OUTBOUND' || isPending(message) || list.some((m) => m.id === message.id)) return [...list];
	const standIn = list.findIndex((m) => isPending(m) && m.type === message.type && m.text === message.text);
	return standIn === -1 ? [...list] : list.toSpliced(standIn, 1);
}

/** An older page placed above the loaded messages, without repeating any. */
export function prependMessages(list: readonly Message[], older: readonly Message[]): Message[] {
	const shown = new Set(list.map((m) => m.id));
	return [...older.filter((m) => !shown.has(m.id)), ...list];
}


/** Events by time; a changed event (a call that moved on) replaces its earlier version by id. */
export function upsertEvent(list: readonly ConversationEvent[], incoming: ConversationEvent): ConversationEvent[] {
	return [...list.filter((e) => e.id !== incoming.id), incoming].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** A duration in seconds as m:ss (or h:mm:ss). */
export function callDuration(seconds: number): string {
	const s = Math.max(0, Math.round(seconds));
	const pad = (n: number) => String(n).padStart(2, '0');
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export function buildTimeline(
	messages: readonly Message[],
	dayOf: (iso: string) => string = dayIn,
	events: readonly ConversationEvent[] = []
): TimelineItem[] {
	const byWamid = new Map(messages.flatMap((m) => (m.wamid ? [[m.wamid, m] as const] : [])));
	// target wamid → direction → emoji; later reactions override earlier ones, removals delete.
	const reactions = new Map<string, Map<MessageDirection, string>>();
	const orphanReactions: Message[] = [];

	for (const message of messages) {
		const content = message.content;
		if (message.type !== 'REACTION' || content?.__typename !== 'ReactionContent') continue;
		if (!byWamid.has(content.reactedToWamid)) {
			orphanReactions.push(message);
			continue;
		}
		const sides = reactions.get(content.reactedToWamid) ?? new Map<MessageDirection, string>();
		if (content.removed || !content.emoji) sides.delete(message.direction);
		else sides.set(message.direction, content.emoji);
		reactions.set(content.reactedToWamid, sides);
	}

	const items: TimelineItem[] = [];
	let currentDay: string | null = null;
	const startDay = (at: string) => {
		const day = dayOf(at);
		if (day !== currentDay) {
			items.push({ kind: 'day', key: `day:${day}`, day, at });
			currentDay = day;
		}
	};
	// Events slot in before the first message that is later than they are.
	const pending = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
	const eventsUntil = (at: number) => {
		while (pending.length > 0 && Date.parse(pending[0]!.at) < at) {
			const event = pending.shift()!;
			startDay(event.at);
			items.push({ kind: 'event', key: `event:${event.id}`, event });
		}
	};
	for (const message of messages) {
		eventsUntil(Date.parse(message.createdAt));
		const isReaction = message.type === 'REACTION' && message.content?.__typename === 'ReactionContent';
		if (isReaction && !orphanReactions.includes(message)) continue;

		startDay(message.createdAt);

		if (isReaction) {
			items.push({ kind: 'reaction', key: message.id, message });
			continue;
		}
		const replyTo = message.context?.repliedToWamid;
		items.push({
			kind: 'message',
			key: message.id,
			message,
			reactions: [...((message.wamid && reactions.get(message.wamid)) || new Map<MessageDirection, string>())].map(([direction, emoji]) => ({
				emoji,
				direction
			})),
			quoted: replyTo ? (byWamid.get(replyTo) ?? null) : undefined
		});
	}
	eventsUntil(Infinity);
	return items;
}
