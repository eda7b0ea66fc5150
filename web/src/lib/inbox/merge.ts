// Keeping the inbox list in order as conversations change live: newest activity first, one row per id.
import type { ConversationSummary } from '#lib/conversation/fragments.ts';

type Listed = Pick<ConversationSummary, 'id' | 'status' | 'createdAt' | 'lastMessageAt'>;

/** When a conversation last saw activity: its last message, else its creation. */
export function activityTime(conversation: Listed): number {
	return Date.parse(conversation.lastMessageAt ?? conversation.createdAt);
}

export interface MergeOptions<T> {
	/** Whether a conversation belongs in the list as filtered; one that no longer does leaves it. All do when omitted. */
	matches?: (conversation: T) => boolean;
	/** Whether older pages exist that are not loaded yet. */
	hasMore: boolean;
}

/**
 * The list with `changed` at its place by activity (newest first), replacing the row with the same id.
 * A conversation older than every loaded row is left for "load more" to bring, unless it was already shown.
 */
export function mergeConversation<T extends Listed>(list: readonly T[], changed: T, { matches, hasMore }: MergeOptions<T>): T[] {
	const listedAt = list.findIndex((c) => c.id === changed.id);
	const wasListed = listedAt !== -1;
	const rest = list.filter((c) => c.id !== changed.id);
	if (matches && !matches(changed)) return rest;

	const at = activityTime(changed);
	// No new activity (a status or window change): stay put, even among rows of the same second.
	if (wasListed && activityTime(list[listedAt]!) === at) return list.with(listedAt, changed);
	const index = rest.findIndex((c) => activityTime(c) <= at);
	if (index === -1) {
		return hasMore && !wasListed ? rest : [...rest, changed];
	}
	return [...rest.slice(0, index), changed, ...rest.slice(index)];
}

/** A further page appended below the list; rows already shown (moved up by live updates) are not repeated. */
export function appendPage<T extends Listed>(list: readonly T[], page: readonly T[]): T[] {
	const shown = new Set(list.map((c) => c.id));
	return [...list, ...page.filter((c) => !shown.has(c.id))];
}
