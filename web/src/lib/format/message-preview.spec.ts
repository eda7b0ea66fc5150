import { describe, expect, it } from 'vitest';
import type { Message, MessageContent } from '#lib/conversation/fragments.ts';
import { messagePreview } from './message-preview.ts';

const message = (type: Message['type'], content: MessageContent | null, text: string | null = null) => ({
	type,
	text,
	content
});
const media = (overrides: Partial<Extract<MessageContent, { __typename: 'MediaContent' }>> = {}) => ({
	__typename: 'MediaContent' as const,
	mediaId: 'm1',
	mimeType: null,
	caption: null,
	filename: null,
	voice: null,
	animated: null,
	media: null,
	...overrides
});

describe('messagePreview', () => {
	describe('a message the customer deleted', () => {
		it('says it was deleted instead of showing what it said', () => {
			expect(messagePreview({ ...message('TEXT', { __typename: 'TextContent', body: '' }), revokedAt: '2026-05-08T09:50:20.000Z' })).toEqual({
				icon: '🚫',
				label: 'This message was deleted by the customer',
				text: null
			});
		});

		it('says where the business deleted what it sent from the WhatsApp Business app', () => {
			const deleted = { ...message('TEXT', { __typename: 'TextContent', body: '' }), revokedAt: '2026-05-08T09:50:05.000Z', source: 'BUSINESS_APP' as const };
			expect(messagePreview(deleted).label).toBe('This message was deleted in the WhatsApp Business app');
		});
	});

	describe('text', () => {
		it('shows the body on one line without a label', () => {
			expect(messagePreview(message('TEXT', { __typename: 'TextContent', body: 'مرحبا\n  كيف حالك؟ ' }))).toEqual({
				icon: null,
				label: null,
				text: 'مرحبا كيف حالك؟'
			});
		});

		it('falls back to the message text when content is missing', () => {
			expect(messagePreview(message('TEXT', null, 'שלום'))).toEqual({ icon: null, label: null, text: 'שלום' });
		});
	});

	describe('media', () => {
		it('labels a photo and shows its caption', () => {
			expect(messagePreview(message('IMAGE', media({ caption: 'Receipt' })))).toEqual({
				icon: '📷',
				label: 'Photo',
				text: 'Receipt'
			});
		});

		it('tells a voice note from other audio', () => {
			expect(messagePreview(message('AUDIO', media({ voice: true }))).label).toBe('Voice message');
			expect(messagePreview(message('AUDIO', media({ voice: false }))).label).toBe('Audio');
		});

		it('shows a document by its file name', () => {
			expect(messagePreview(message('DOCUMENT', media({ filename: 'invoice.pdf', caption: 'March' })))).toEqual({
				icon: '📄',
				label: 'Document',
				text: 'invoice.pdf'
			});
		});

		it('labels a sticker without text', () => {
			expect(messagePreview(message('STICKER', media({ animated: true })))).toEqual({
				icon: '🏷️',
				label: 'Sticker',
				text: null
			});
		});
	});

	describe('structured messages', () => {
		it('names a location by its name, else its address', () => {
			const location = { __typename: 'LocationContent' as const, latitude: 1, longitude: 2, url: null };
			expect(messagePreview(message('LOCATION', { ...location, name: 'Cafe', address: 'Main St 1' })).text).toBe('Cafe');
			expect(messagePreview(message('LOCATION', { ...location, name: null, address: 'Main St 1' })).text).toBe(
				'Main St 1'
			);
		});

		it('lists the names of shared contacts', () => {
			const contacts = {
				__typename: 'ContactsContent' as const,
				contacts: [
					{ formattedName: 'Ada', phones: [] },
					{ formattedName: null, phones: [] },
					{ formattedName: 'Grace', phones: [] }
				]
			};
			expect(messagePreview(message('CONTACTS', contacts))).toEqual({ icon: '👤', label: 'Contact card', text: 'Ada, Grace' });
		});

		it('shows the chosen title of an interactive reply and the text of a button reply', () => {
			expect(
				messagePreview(
					message('INTERACTIVE', {
						__typename: 'InteractiveReplyContent',
						kind: 'list_reply',
						replyId: 'r1',
						title: 'Large latte',
						description: null
					})
				).text
			).toBe('Large latte');
			expect(
				messagePreview(message('BUTTON', { __typename: 'ButtonReplyContent', payload: 'STOP', text: 'Stop promotions' })).text
			).toBe('Stop promotions');
		});

		it('describes a reaction by its emoji, or as removed', () => {
			const reaction = { __typename: 'ReactionContent' as const, reactedToWamid: 'wamid.1' };
			expect(messagePreview(message('REACTION', { ...reaction, emoji: '❤️', removed: false }))).toEqual({
				icon: null,
				label: 'Reacted ❤️',
				text: null
			});
			expect(messagePreview(message('REACTION', { ...reaction, emoji: null, removed: true })).label).toBe(
				'Removed a reaction'
			);
		});

		it('counts order items when the order has no text', () => {
			const order = { __typename: 'OrderContent' as const, catalogId: 'c', orderText: null };
			expect(messagePreview(message('ORDER', { ...order, itemCount: 3 })).text).toBe('3 items');
			expect(messagePreview(message('ORDER', { ...order, itemCount: 1 })).text).toBe('1 item');
		});

		it('shows the title of the first error of an unsupported message', () => {
			expect(
				messagePreview(
					message('UNSUPPORTED', {
						__typename: 'UnsupportedContent',
						errors: [{ code: 131051, title: 'Message type unknown', message: null, details: null }]
					})
				)
			).toEqual({ icon: '⚠️', label: 'Unsupported message', text: 'Message type unknown' });
		});

		it('labels a template and shows its text as sent', () => {
			expect(messagePreview(message('TEMPLATE', null, 'Hi Lina, your order A-1042 has shipped.'))).toEqual({
				icon: '📋',
				label: 'Template',
				text: 'Hi Lina, your order A-1042 has shipped.'
			});
		});

		it('labels a message of unknown type and keeps any text it has', () => {
			expect(messagePreview(message('UNKNOWN', null, 'hello'))).toEqual({ icon: '❓', label: 'Unknown message', text: 'hello' });
		});
	});
});
