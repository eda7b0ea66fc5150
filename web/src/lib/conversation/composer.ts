// The reply composer's text handling: the `/shortcut` an agent is typing (for canned responses),
// putting a canned response in its place, and never losing a draft when a send is refused.
import type { MessageType } from '#lib/graphql/types.ts';
import type { Me } from '#lib/session/operations.ts';
import type { Message, MessageContent } from './fragments.ts';

/** WhatsApp's limit for a text message body. */
export const MAX_TEXT = 4096;

export interface SlashQuery {
	/** What to search for: the text after the `/`. */
	query: string;
	/** Where the `/` is. */
	start: number;
	/** Where the typed shortcut ends (the caret). */
	end: number;
}

/**
 * The `/word` that ends at the caret, when it starts the draft or follows whitespace: `Thanks! /ref|`
 * asks for `ref`. A `/` inside a word (a URL, "and/or") is not a shortcut.
 */
export function slashQuery(text: string, caret: number): SlashQuery | null {
	let start = caret;
	while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
	if (text[start] !== '/') return null;
	const query = text.slice(start + 1, caret);
	if (query.includes('/')) return null;
	return { query, start, end: caret };
}

/** The draft with the typed shortcut replaced by the canned response's body, and where the caret goes. */
export function applyCanned(text: string, slash: SlashQuery, body: string): { text: string; caret: number } {
	return { text: text.slice(0, slash.start) + body + text.slice(slash.end), caret: slash.start + body.length };
}

/** The draft with a `/` at the caret (a space before it when needed), to open the canned responses. */
export function insertSlash(text: string, caret: number): { text: string; caret: number } {
	const before = text.slice(0, caret);
	const slash = before === '' || /\s$/.test(before) ? '/' : ' /';
	return { text: before + slash + text.slice(caret), caret: caret + slash.length };
}

/** A refused message back in the composer; if the agent typed on meanwhile, that stays below it. */
export function restoreDraft(current: string, refused: string): string {
	return current.trim() === '' ? refused : `${refused}\n${current}`;
}

let localSequence = 0;

/** The message as it will look once queued, shown at once while the api is asked to send it. */
export function pendingMessage({
	text,
	type = 'TEXT',
	content = type === 'TEXT' && text !== null ? { __typename: 'TextContent', body: text } : null,
	replyTo,
	author,
	at = new Date()
}: {
	/** What the api will store as the message's text: the body, a template's words, a caption or nothing. */
	text: string | null;
	type?: MessageType;
	content?: MessageContent | null;
	replyTo?: Pick<Message, 'wamid'> | null;
	author: Pick<Me, 'id' | 'name'> | null;
	at?: Date;
}): Message {
	return {
		id: `local:${++localSequence}`,
		wamid: null,
		direction: 'OUTBOUND',
		type,
		text,
		status: 'PENDING',
		createdAt: at.toISOString(),
		content,
		context: replyTo?.wamid ? { from: null, repliedToWamid: replyTo.wamid, forwarded: false, frequentlyForwarded: false } : null,
		errors: [],
		failureReason: null,
		author: author ? { id: author.id, name: author.name } : null,
		source: 'SWITCHBOARD',
		edited: false,
		editedAt: null,
		previousVersions: [],
		revokedAt: null
	};
}

export const isPending = (message: Pick<Message, 'id'>): boolean => message.id.startsWith('local:');
