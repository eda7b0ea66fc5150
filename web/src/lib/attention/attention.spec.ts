import { describe, expect, it } from 'vitest';
import { attentionFor, isUnread, notificationOf, readSeen, shouldAlert, titleWithCount, tracked, unreadCount, writeSeen, type Tracked } from './attention.ts';
import type { ConversationSummary } from '#lib/conversation/fragments.ts';

const ME = 'user-me';
const T0 = '2026-12-06T10:00:00.000Z';
const T1 = '2026-12-06T10:05:00.000Z';

const conversation = (over: Partial<Tracked> = {}): Tracked => ({
	id: 'c1',
	name: 'Lina Haddad',
	status: 'OPEN',
	assigneeId: ME,
	lastInboundAt: T0,
	awaitingReply: true,
	...over
});

describe('attention', () => {
	describe('what a conversation is made of', () => {
		it('takes the name, the holder and whether the customer spoke last', () => {
			const summary = {
				id: 'c9',
				status: 'PENDING',
				contact: { displayName: null, waId: '966501234567', userId: null },
				assignee: { id: ME, name: 'Ana' },
				lastInboundAt: T0,
				lastMessage: { direction: 'OUTBOUND' }
			} as unknown as ConversationSummary;
			expect(tracked(summary)).toEqual({ id: 'c9', name: '+96••••••4567', status: 'PENDING', assigneeId: ME, lastInboundAt: T0, awaitingReply: false });
		});
	});

	describe('when a conversation asks for my attention', () => {
		it('when it becomes mine', () => {
			expect(attentionFor(conversation({ assigneeId: null }), conversation(), ME)).toBe('assigned');
			expect(attentionFor(conversation({ assigneeId: 'someone-else' }), conversation(), ME)).toBe('assigned');
		});

		it('when this tab did not know it and it is mine now (it was assigned since the tab started)', () => {
			expect(attentionFor(undefined, conversation(), ME)).toBe('assigned');
		});

		it('when the customer writes again in one of mine', () => {
			expect(attentionFor(conversation(), conversation({ lastInboundAt: T1 }), ME)).toBe('message');
		});

		it('not for my own reply, a status change, a label or a tick', () => {
			expect(attentionFor(conversation(), conversation({ awaitingReply: false }), ME)).toBeNull();
			expect(attentionFor(conversation(), conversation({ status: 'PENDING' }), ME)).toBeNull();
			expect(attentionFor(conversation(), conversation(), ME)).toBeNull();
		});

		it('not for someone else’s conversation, nor one taken from me', () => {
			expect(attentionFor(conversation({ assigneeId: 'x' }), conversation({ assigneeId: 'x', lastInboundAt: T1 }), ME)).toBeNull();
			expect(attentionFor(conversation(), conversation({ assigneeId: null, lastInboundAt: T1 }), ME)).toBeNull();
		});

		it('not for a resolved one, known or not', () => {
			expect(attentionFor(undefined, conversation({ status: 'RESOLVED' }), ME)).toBeNull();
			expect(attentionFor(conversation({ assigneeId: null }), conversation({ status: 'RESOLVED' }), ME)).toBeNull();
		});
	});

	describe('when it rings', () => {
		it('while the tab is hidden, whatever it shows', () => {
			expect(shouldAlert('c1', { hidden: true, openConversationId: 'c1' })).toBe(true);
		});

		it('while another conversation, the inbox or another page is shown', () => {
			expect(shouldAlert('c1', { hidden: false, openConversationId: 'c2' })).toBe(true);
			expect(shouldAlert('c1', { hidden: false, openConversationId: null })).toBe(true);
		});

		it('not while the person looks at that very conversation', () => {
			expect(shouldAlert('c1', { hidden: false, openConversationId: 'c1' })).toBe(false);
		});
	});

	describe('what is unread', () => {
		it('a conversation of mine whose customer spoke last, never shown in this browser', () => {
			expect(isUnread(conversation(), ME, {})).toBe(true);
		});

		it('or shown before the customer’s last message', () => {
			expect(isUnread(conversation({ lastInboundAt: T1 }), ME, { c1: T0 })).toBe(true);
			expect(isUnread(conversation({ lastInboundAt: T1 }), ME, { c1: T1 })).toBe(false);
		});

		it('not once answered, resolved, someone else’s, or without a customer message', () => {
			expect(isUnread(conversation({ awaitingReply: false }), ME, {})).toBe(false);
			expect(isUnread(conversation({ status: 'RESOLVED' }), ME, {})).toBe(false);
			expect(isUnread(conversation({ assigneeId: 'x' }), ME, {})).toBe(false);
			expect(isUnread(conversation({ lastInboundAt: null }), ME, {})).toBe(false);
		});

		it('counts the conversations, not the messages', () => {
			const list = [conversation(), conversation({ id: 'c2' }), conversation({ id: 'c3', awaitingReply: false })];
			expect(unreadCount(list, ME, { c2: T0 })).toBe(1);
		});
	});

	describe('the title and the notification', () => {
		it('puts the count in front of the page’s title, and nothing when there is none', () => {
			expect(titleWithCount('Inbox · Switchboard', 3)).toBe('(3) Inbox · Switchboard');
			expect(titleWithCount('Inbox · Switchboard', 0)).toBe('Inbox · Switchboard');
		});

		it('names the customer and what happened, never what they wrote', () => {
			const words = { newMessage: 'New message', assigned: 'Assigned to you' };
			expect(notificationOf('message', conversation(), words)).toEqual({ title: 'Lina Haddad', body: 'New message', tag: 'conversation-c1' });
			expect(notificationOf('assigned', conversation(), words).body).toBe('Assigned to you');
		});
	});

	describe('what this browser remembers it showed', () => {
		const memory = () => {
			const items = new Map<string, string>();
			return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
		};

		it('per person', () => {
			const storage = memory();
			writeSeen(storage, ME, { c1: T0 });
			expect(readSeen(storage, ME)).toEqual({ c1: T0 });
			expect(readSeen(storage, 'someone-else')).toEqual({});
		});

		it('as nothing when what is stored is not a map of times', () => {
			const storage = memory();
			for (const junk of ['not json', '[1,2]', 'null', '{"c1":5,"c2":"' + T0 + '"}']) {
				storage.setItem(`switchboard.seen.${ME}`, junk);
				expect(readSeen(storage, ME)).toEqual(junk.startsWith('{') ? { c2: T0 } : {});
			}
		});

		it('keeping the newest 500 conversations', () => {
			const storage = memory();
			const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`c${i}`, new Date(Date.parse(T0) + i * 1000).toISOString()]));
			writeSeen(storage, ME, many);
			const kept = readSeen(storage, ME);
			expect(Object.keys(kept)).toHaveLength(500);
			expect(kept.c599).toBeDefined();
			expect(kept.c99).toBeUndefined();
		});
	});
});
