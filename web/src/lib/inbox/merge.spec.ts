import { describe, expect, it } from 'vitest';
import type { ConversationStatus } from '#lib/graphql/types.ts';
import { appendPage, mergeConversation } from './merge.ts';

const row = (id: string, lastMessageAt: string | null, status: ConversationStatus = 'OPEN') => ({
	id,
	status,
	createdAt: '2026-03-01T00:00:00Z',
	lastMessageAt
});
const ids = (list: { id: string }[]) => list.map((c) => c.id);

const list = [row('c', '2026-03-20T12:00:00Z'), row('b', '2026-03-20T11:00:00Z'), row('a', '2026-03-20T10:00:00Z')];

describe('mergeConversation', () => {
	describe('a new conversation', () => {
		it('appears at the top when it is the newest', () => {
			expect(ids(mergeConversation(list, row('d', '2026-03-20T13:00:00Z'), { hasMore: false }))).toEqual(['d', 'c', 'b', 'a']);
		});

		it('lands between older and newer rows', () => {
			expect(ids(mergeConversation(list, row('d', '2026-03-20T10:30:00Z'), { hasMore: false }))).toEqual(['c', 'b', 'd', 'a']);
		});

		it('goes to the end when it is the oldest and every page is loaded', () => {
			expect(ids(mergeConversation(list, row('d', '2026-03-19T00:00:00Z'), { hasMore: false }))).toEqual(['c', 'b', 'a', 'd']);
		});

		it('is left to "load more" when it is older than every loaded row and more pages exist', () => {
			expect(ids(mergeConversation(list, row('d', '2026-03-19T00:00:00Z'), { hasMore: true }))).toEqual(['c', 'b', 'a']);
		});

		it('uses its creation time when it has no message yet', () => {
			const created = { ...row('d', null), createdAt: '2026-03-20T11:30:00Z' };
			expect(ids(mergeConversation(list, created, { hasMore: false }))).toEqual(['c', 'd', 'b', 'a']);
		});
	});

	describe('an existing conversation', () => {
		it('moves to the top on new activity and is not duplicated', () => {
			const merged = mergeConversation(list, row('a', '2026-03-20T13:00:00Z'), { hasMore: true });
			expect(ids(merged)).toEqual(['a', 'c', 'b']);
		});

		it('is replaced in place when its activity time is unchanged', () => {
			const resolved = row('b', '2026-03-20T11:00:00Z', 'PENDING');
			const merged = mergeConversation(list, resolved, { hasMore: false });
			expect(ids(merged)).toEqual(['c', 'b', 'a']);
			expect(merged[1]).toBe(resolved);
		});

		it('keeps its place among rows of the same second when only its status changed', () => {
			const same = [row('x', '2026-03-20T12:00:00Z'), row('y', '2026-03-20T12:00:00Z')];
			const pending = row('y', '2026-03-20T12:00:00Z', 'PENDING');
			expect(mergeConversation(same, pending, { hasMore: false })).toEqual([same[0], pending]);
		});

		it('stays listed when it was shown, even if older than the loaded rows', () => {
			const stale = [row('c', '2026-03-20T12:00:00Z'), row('x', '2026-03-20T11:00:00Z')];
			expect(ids(mergeConversation(stale, row('x', '2026-03-20T09:00:00Z'), { hasMore: true }))).toEqual(['c', 'x']);
		});
	});

	describe('with a filter', () => {
		const openOrPending = (c: { status: ConversationStatus }) => c.status === 'OPEN' || c.status === 'PENDING';

		it('drops a conversation that no longer matches', () => {
			const merged = mergeConversation(list, row('b', '2026-03-20T11:00:00Z', 'RESOLVED'), {
				matches: openOrPending,
				hasMore: false
			});
			expect(ids(merged)).toEqual(['c', 'a']);
		});

		it('does not add a new conversation outside the filter', () => {
			const merged = mergeConversation(list, row('d', '2026-03-20T13:00:00Z', 'RESOLVED'), { matches: openOrPending, hasMore: false });
			expect(ids(merged)).toEqual(['c', 'b', 'a']);
		});

		it('adds every conversation when there is no filter', () => {
			const merged = mergeConversation(list, row('d', '2026-03-20T13:00:00Z', 'RESOLVED'), { hasMore: false });
			expect(ids(merged)).toEqual(['d', 'c', 'b', 'a']);
		});
	});

	it('does not change the list it was given', () => {
		const before = ids(list);
		mergeConversation(list, row('d', '2026-03-20T13:00:00Z'), { hasMore: false });
		expect(ids(list)).toEqual(before);
	});
});

describe('appendPage', () => {
	it('appends a page below the list, skipping rows already shown', () => {
		const page = [row('a', '2026-03-20T10:00:00Z'), row('z', '2026-03-19T10:00:00Z')];
		expect(ids(appendPage(list, page))).toEqual(['c', 'b', 'a', 'z']);
	});
});
