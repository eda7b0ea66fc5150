// Unsent drafts per conversation, for as long as the tab is open: an agent can look at another
// conversation and come back to what they were typing, or the file they chose. Kept in memory only,
// never in storage.
import type { Message } from './fragments.ts';
import type { Attachment } from './attachment.ts';

export interface Draft {
	text: string;
	replyTo: Message | null;
	attachment: Attachment | null;
	caption: string;
}

const drafts = new Map<string, Draft>();

export function readDraft(conversationId: string): Draft {
	return drafts.get(conversationId) ?? { text: '', replyTo: null, attachment: null, caption: '' };
}

export function keepDraft(conversationId: string, draft: Draft): void {
	if (draft.text === '' && !draft.replyTo && !draft.attachment) drafts.delete(conversationId);
	else drafts.set(conversationId, draft);
}
