// Unsent drafts per conversation, for as long as the tab is open: an agent can look at another
// conversation and come back to what they were typing. Kept in memory only, never in storage.
import type { Message } from '#lib/graphql/types.ts';

export interface Draft {
	text: string;
	replyTo: Message | null;
}

const drafts = new Map<string, Draft>();

export function readDraft(conversationId: string): Draft {
	return drafts.get(conversationId) ?? { text: '', replyTo: null };
}

export function keepDraft(conversationId: string, draft: Draft): void {
	if (draft.text === '' && !draft.replyTo) drafts.delete(conversationId);
	else drafts.set(conversationId, draft);
}
