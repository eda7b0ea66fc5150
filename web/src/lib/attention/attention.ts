// What deserves a person's attention: a conversation newly assigned to them, or a customer writing in one
// of theirs. Decided here from the conversations the api sends live (`conversationChanged`), so the rules
// can be read and tested without a browser; attention.svelte.ts feeds them, alert.ts rings.
//
// The contract has no read receipts for staff (no unread count, no lastReadAt), so "unread" is this
// browser's: a conversation of mine whose last message is the customer's and came after I last had it
// open here, in a visible tab. Another browser of mine does not know what this one saw.
import { contactLabel } from '#lib/format/contact.ts';
import type { ConversationSummary } from '#lib/conversation/fragments.ts';
import type { ConversationStatus } from '#lib/graphql/types.ts';

/** What the rules need of a conversation. */
export interface Tracked {
	id: string;
	name: string;
	status: ConversationStatus;
	assigneeId: string | null;
	/** When the customer last wrote (the api's time, ISO). */
	lastInboundAt: string | null;
	/** The customer spoke last: nobody has answered yet. */
	awaitingReply: boolean;
}

export function tracked(c: ConversationSummary): Tracked {
	return {
		id: c.id,
		name: contactLabel(c.contact),
		status: c.status,
		assigneeId: c.assignee?.id ?? null,
		lastInboundAt: c.lastInboundAt,
		awaitingReply: c.lastMessage?.direction === 'INBOUND'
	};
}

const later = (a: string | null, b: string | null | undefined) => a !== null && (b == null || Date.parse(a) > Date.parse(b));

export type AttentionKind = 'assigned' | 'message';

/**
 * Why `next` asks for my attention, given what it was before (`undefined`: not known to this tab). An
 * unknown conversation that is mine and not resolved was just assigned to me: the tab knows every open
 * conversation of mine from its start (its first 100; see attention.svelte.ts).
 */
export function attentionFor(previous: Tracked | undefined, next: Tracked, meId: string): AttentionKind | null {
	if (next.assigneeId !== meId || next.status === 'RESOLVED') return null;
	if (!previous || previous.assigneeId !== meId) return 'assigned';
	if (next.awaitingReply && later(next.lastInboundAt, previous.lastInboundAt)) return 'message';
	return null;
}

/** Where the person is looking: a notification and a sound are for what they cannot see. */
export interface Looking {
	/** The tab is hidden (another tab, minimised, locked screen). */
	hidden: boolean;
	/** The conversation the page shows, if any. */
	openConversationId: string | null;
}

/** Ring unless the tab is visible and shows that very conversation. */
export const shouldAlert = (conversationId: string, { hidden, openConversationId }: Looking) => hidden || openConversationId !== conversationId;

/** Per conversation, the customer's last message (`lastInboundAt`) this browser has shown. */
export type SeenMap = Record<string, string>;

/** Mine, not resolved, the customer spoke last, and after what this browser last showed of it. */
export function isUnread(c: Tracked, meId: string, seen: SeenMap): boolean {
	return c.assigneeId === meId && c.status !== 'RESOLVED' && c.awaitingReply && later(c.lastInboundAt, seen[c.id]);
}

export function unreadCount(conversations: Iterable<Tracked>, meId: string, seen: SeenMap): number {
	let count = 0;
	for (const c of conversations) if (isUnread(c, meId, seen)) count++;
	return count;
}

/** `(3) Inbox · Switchboard`; the page's own title when nothing is unread. */
export const titleWithCount = (title: string, count: number) => (count > 0 ? `(${count}) ${title}` : title);

/** The text of a notification: who, and what happened — never what the customer wrote (lock screens show it). */
export function notificationOf(kind: AttentionKind, c: Tracked, words: { newMessage: string; assigned: string }) {
	return { title: c.name, body: kind === 'message' ? words.newMessage : words.assigned, tag: `conversation-${c.id}` };
}

const SEEN_LIMIT = 500;

/** The seen map kept in `storage` per person; unreadable or foreign data counts as nothing seen. */
export function readSeen(storage: Pick<Storage, 'getItem'>, userId: string): SeenMap {
	try {
		const value: unknown = JSON.parse(storage.getItem(`switchboard.seen.${userId}`) ?? '{}');
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
		return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
	} catch {
		return {};
	}
}

/** Keeps the newest SEEN_LIMIT entries, so the map does not grow for ever. */
export function writeSeen(storage: Pick<Storage, 'setItem'>, userId: string, seen: SeenMap): void {
	const newest = Object.entries(seen)
		.sort((a, b) => Date.parse(b[1]) - Date.parse(a[1]))
		.slice(0, SEEN_LIMIT);
	try {
		storage.setItem(`switchboard.seen.${userId}`, JSON.stringify(Object.fromEntries(newest)));
	} catch {
		// A full or forbidden storage only costs the count its memory across reloads.
	}
}
