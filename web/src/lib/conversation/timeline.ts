// Turning a conversation's messages into what the timeline shows: messages oldest → newest with day
// separators, reactions attached to the message they react to, and replies linked to the quoted message.
import type { Message, MessageDirection } from '#lib/graphql/types.ts';

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
	| { kind: 'reaction'; key: string; message: Message };

/**
 * Messages in timeline order; a changed message replaces its earlier version by id. Meta's timestamps have
 * one-second resolution, so messages of the same second keep the order they were first shown in.
 */
export function upsertMessage(list: readonly Message[], message: Message): Message[] {
	const existing = list.findIndex((m) => m.id === message.id);
	if (existing !== -1 && list[existing]!.createdAt === message.createdAt) {
		return list.with(existing, message);
	}
	const at = Date.parse(message.createdAt);
	const rest = list.filter((m) => m.id !== message.id);
	let index = rest.length;
	while (index > 0 && Date.parse(rest[index - 1]!.createdAt) > at) index--;
	return [...rest.slice(0, index), message, ...rest.slice(index)];
}

/** An older page placed above the loaded messages, without repeating any. */
export function prependMessages(list: readonly Message[], older: readonly Message[]): Message[] {
	const shown = new Set(list.map((m) => m.id));
	return [...older.filter((m) => !shown.has(m.id)), ...list];
}

/** The calendar day of a timestamp in the browser's zone, as `YYYY-MM-DD`. */
export function localDay(iso: string): string {
	const date = new Date(iso);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function buildTimeline(messages: readonly Message[], dayOf: (iso: string) => string = localDay): TimelineItem[] {
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
	for (const message of messages) {
		const isReaction = message.type === 'REACTION' && message.content?.__typename === 'ReactionContent';
		if (isReaction && !orphanReactions.includes(message)) continue;

		const day = dayOf(message.createdAt);
		if (day !== currentDay) {
			items.push({ kind: 'day', key: `day:${day}`, day, at: message.createdAt });
			currentDay = day;
		}

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
	return items;
}
