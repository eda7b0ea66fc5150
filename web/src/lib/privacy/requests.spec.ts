import { describe, expect, it } from 'vitest';
import type { PrivacyRequest } from './operations.ts';
import { daysLeft, matchesFilter, mergeRequest, NO_FILTER, parsePrivacyFilter, privacySearch, requestFilter, urgency } from './requests.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-05T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

function request(id: string, overrides: Partial<PrivacyRequest> = {}): PrivacyRequest {
	return {
		id,
		kind: 'ERASURE',
		state: 'RECEIVED',
		subjectLabel: '+1650 ••••• 23',
		source: 'DASHBOARD',
		receivedAt: at(0),
		dueAt: at(30 * DAY),
		completedAt: null,
		outcome: null,
		lift: false,
		export: null,
		steps: [],
		...overrides
	};
}

describe('the filter in the URL', () => {
	it('reads state, kind and overdue, ignoring what it does not know', () => {
		expect(parsePrivacyFilter(new URLSearchParams('state=COMPLETED&kind=ACCESS&overdue=true'))).toEqual({ state: 'COMPLETED', kind: 'ACCESS', overdue: true });
		expect(parsePrivacyFilter(new URLSearchParams('state=LOST&kind=gossip&overdue=yes'))).toEqual(NO_FILTER);
	});

	it('writes only what is set, with the opened request', () => {
		expect(privacySearch(NO_FILTER)).toBe('');
		expect(privacySearch({ state: null, kind: 'ERASURE', overdue: true }, 'UHJp')).toBe('?kind=ERASURE&overdue=true&request=UHJp');
	});

	it('gives the api only what is set', () => {
		expect(requestFilter(NO_FILTER)).toEqual({});
		expect(requestFilter({ state: 'RECEIVED', kind: null, overdue: true })).toEqual({ state: 'RECEIVED', overdue: true });
	});
});

describe('urgency of a due date', () => {
	it('is late past the due date, near within a week, and done once finished', () => {
		expect(urgency(request('a', { dueAt: at(-1) }), NOW)).toBe('LATE');
		expect(urgency(request('a', { dueAt: at(7 * DAY) }), NOW)).toBe('NEAR');
		expect(urgency(request('a', { dueAt: at(7 * DAY + 1) }), NOW)).toBe('OPEN');
		expect(urgency(request('a', { state: 'IN_PROGRESS', dueAt: at(-DAY) }), NOW)).toBe('LATE');
		expect(urgency(request('a', { state: 'COMPLETED', dueAt: at(-DAY) }), NOW)).toBe('DONE');
		expect(urgency(request('a', { state: 'REJECTED', dueAt: at(DAY) }), NOW)).toBe('DONE');
	});

	it('counts whole days left, and days late from the first moment late', () => {
		expect(daysLeft(at(30 * DAY), NOW)).toBe(30);
		expect(daysLeft(at(DAY - 1), NOW)).toBe(0);
		expect(daysLeft(at(-1), NOW)).toBe(-1);
		expect(daysLeft(at(-10 * DAY), NOW)).toBe(-10);
		expect(daysLeft(at(-10 * DAY - 60_000), NOW)).toBe(-10);
	});
});

describe('a live change', () => {
	const filter = { state: null, kind: 'ERASURE' as const, overdue: false };

	it('matches the filter as the api applies it', () => {
		expect(matchesFilter(request('a'), filter, NOW)).toBe(true);
		expect(matchesFilter(request('a', { kind: 'ACCESS' }), filter, NOW)).toBe(false);
		expect(matchesFilter(request('a'), { ...NO_FILTER, overdue: true }, NOW)).toBe(false);
		expect(matchesFilter(request('a', { dueAt: at(-DAY) }), { ...NO_FILTER, overdue: true }, NOW)).toBe(true);
		expect(matchesFilter(request('a', { state: 'IN_PROGRESS' }), { ...NO_FILTER, state: 'RECEIVED' }, NOW)).toBe(false);
	});

	it('replaces its row in place, goes on top when new, and leaves when it no longer matches', () => {
		const list = [request('b', { receivedAt: at(-DAY) }), request('c', { receivedAt: at(-2 * DAY) })];
		const moved = request('c', { receivedAt: at(-2 * DAY), state: 'COMPLETED' });
		expect(mergeRequest(list, moved, { matches: true, hasMore: false }).map((r) => [r.id, r.state])).toEqual([
			['b', 'RECEIVED'],
			['c', 'COMPLETED']
		]);
		expect(mergeRequest(list, request('a'), { matches: true, hasMore: false }).map((r) => r.id)).toEqual(['a', 'b', 'c']);
		expect(mergeRequest(list, moved, { matches: false, hasMore: false }).map((r) => r.id)).toEqual(['b']);
		expect(mergeRequest(list, request('z'), { matches: false, hasMore: false }).map((r) => r.id)).toEqual(['b', 'c']);
	});

	it('leaves a request older than every loaded row to "load more"', () => {
		const list = [request('b', { receivedAt: at(-DAY) })];
		const old = request('o', { receivedAt: at(-9 * DAY) });
		expect(mergeRequest(list, old, { matches: true, hasMore: true }).map((r) => r.id)).toEqual(['b']);
		expect(mergeRequest(list, old, { matches: true, hasMore: false }).map((r) => r.id)).toEqual(['b', 'o']);
	});
});
