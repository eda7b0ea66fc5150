import { describe, expect, it } from 'vitest';
import { sentMediaContent } from './attachment.ts';
import { applyCanned, insertSlash, isPending, pendingMessage, restoreDraft, slashQuery } from './composer.ts';

describe('composer', () => {
	describe('slashQuery', () => {
		it('finds a shortcut typed at the start of the draft', () => {
			expect(slashQuery('/ref', 4)).toEqual({ query: 'ref', start: 0, end: 4 });
		});

		it('finds a shortcut after a space or a new line, up to the caret', () => {
			expect(slashQuery('Thanks! /ref', 12)).toEqual({ query: 'ref', start: 8, end: 12 });
			expect(slashQuery('Hi\n/hours and more', 6)).toEqual({ query: 'ho', start: 3, end: 6 });
		});

		it('opens on a bare slash, searching for everything', () => {
			expect(slashQuery('Hello /', 7)).toEqual({ query: '', start: 6, end: 7 });
		});

		it('ignores a slash inside a word, a URL or a path', () => {
			expect(slashQuery('and/or', 6)).toBeNull();
			expect(slashQuery('see https://acme.test/help', 26)).toBeNull();
			expect(slashQuery('/usr/bin', 8)).toBeNull();
		});

		it('is nothing once the caret has left the shortcut', () => {
			expect(slashQuery('/ref ', 5)).toBeNull();
			expect(slashQuery('plain text', 10)).toBeNull();
		});
	});

	describe('applyCanned', () => {
		it('puts the body in place of the typed shortcut and the caret after it', () => {
			const text = 'Hi Lina! /ref see you';
			const slash = slashQuery(text, 13)!;
			expect(applyCanned(text, slash, 'Refunds take 5 days.')).toEqual({ text: 'Hi Lina! Refunds take 5 days. see you', caret: 29 });
		});
	});

	describe('insertSlash', () => {
		it('adds a slash at the caret, after a space when the caret follows a word', () => {
			expect(insertSlash('', 0)).toEqual({ text: '/', caret: 1 });
			expect(insertSlash('Hello', 5)).toEqual({ text: 'Hello /', caret: 7 });
			expect(insertSlash('Hello ', 6)).toEqual({ text: 'Hello /', caret: 7 });
		});
	});

	describe('restoreDraft', () => {
		it('puts a refused message back into an empty composer', () => {
			expect(restoreDraft('', 'Your order ships today')).toBe('Your order ships today');
			expect(restoreDraft('  \n', 'Your order ships today')).toBe('Your order ships today');
		});

		it('keeps what the agent typed since, below the refused message', () => {
			expect(restoreDraft('Anything else?', 'Your order ships today')).toBe('Your order ships today\nAnything else?');
		});
	});

	describe('pendingMessage', () => {
		it('is an outbound text waiting to be sent, quoting the message replied to', () => {
			const message = pendingMessage({
				text: 'On its way 📦',
				replyTo: { wamid: 'wamid.in' },
				author: { id: 'u1', name: 'Ana' },
				at: new Date('2026-03-20T10:00:00Z')
			});
			expect(message).toMatchObject({
				direction: 'OUTBOUND',
				type: 'TEXT',
				status: 'PENDING',
				wamid: null,
				text: 'On its way 📦',
				createdAt: '2026-03-20T10:00:00.000Z',
				content: { __typename: 'TextContent', body: 'On its way 📦' },
				context: { repliedToWamid: 'wamid.in' },
				author: { id: 'u1', name: 'Ana' }
			});
			expect(isPending(message)).toBe(true);
		});

		it('is a file with its caption as the text, in the content the api will give it', () => {
			const message = pendingMessage({
				text: 'Your receipt',
				type: 'IMAGE',
				content: sentMediaContent('IMAGE', { caption: 'Your receipt', filename: 'receipt.png' }),
				author: { id: 'u1', name: 'Ana' }
			});
			expect(message).toMatchObject({
				type: 'IMAGE',
				status: 'PENDING',
				text: 'Your receipt',
				content: { __typename: 'MediaContent', caption: 'Your receipt', filename: null }
			});
			expect(pendingMessage({ text: null, type: 'AUDIO', content: sentMediaContent('AUDIO', { caption: null, filename: 'a.mp3' }), author: null }).text).toBeNull();
		});

		it('gets an id of its own each time, never one the api could give', () => {
			const a = pendingMessage({ text: 'a', author: null });
			const b = pendingMessage({ text: 'b', type: 'TEMPLATE', author: null });
			expect(a.id).not.toBe(b.id);
			expect(b).toMatchObject({ type: 'TEMPLATE', content: null, context: null });
			expect(isPending({ id: 'TWVzc2FnZTox' })).toBe(false);
		});
	});
});
