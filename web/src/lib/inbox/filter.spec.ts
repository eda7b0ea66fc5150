import { describe, expect, it } from 'vitest';
import { admitsNewLive, conversationFilter, inboxSearch, matchesFilter, NO_DRILL_DOWN, NO_FILTER, parseInboxFilter } from './filter.ts';

const params = (search: string) => new URLSearchParams(search);
const conversation = (overrides: Partial<Parameters<typeof matchesFilter>[0]> = {}) => ({
	status: 'OPEN' as const,
	assignee: { id: 'me', name: 'Ana' },
	department: { id: 'support', name: 'Support' },
	createdAt: '2027-03-16T10:00:00.000Z',
	...overrides
});

describe('inbox filter', () => {
	describe('parseInboxFilter', () => {
		it('reads status, assignee and department from the query string', () => {
			expect(parseInboxFilter(params('?status=PENDING&assignee=MINE&department=RGVw'))).toEqual({
				status: 'PENDING',
				assignee: 'MINE',
				departmentId: 'RGVw',
				drillDown: null
			});
		});

		it('treats missing or unknown values as no filter', () => {
			expect(parseInboxFilter(params(''))).toEqual(NO_FILTER);
			expect(parseInboxFilter(params('?status=open&assignee=SOMEONE&department='))).toEqual(NO_FILTER);
		});
	});

	describe('inboxSearch', () => {
		it('writes only what differs from the defaults, in a stable order', () => {
			expect(inboxSearch({ status: 'OPEN', assignee: 'UNASSIGNED', departmentId: 'd1', drillDown: null })).toBe(
				'?assignee=UNASSIGNED&status=OPEN&department=d1'
			);
			expect(inboxSearch(NO_FILTER)).toBe('');
		});

		it('round-trips through parseInboxFilter', () => {
			const filter = { status: 'BOT' as const, assignee: 'MINE' as const, departmentId: 'RGVwYXJ0bWVudDox', drillDown: null };
			expect(parseInboxFilter(params(inboxSearch(filter)))).toEqual(filter);
		});
	});

	describe('conversationFilter', () => {
		it('is the api input with only the parts set', () => {
			expect(conversationFilter({ status: 'RESOLVED', assignee: 'MINE', departmentId: null, drillDown: null })).toEqual({
				status: ['RESOLVED'],
				assignee: 'MINE'
			});
		});

		it('is null when nothing is filtered', () => {
			expect(conversationFilter(NO_FILTER)).toBeNull();
		});
	});

	describe('matchesFilter', () => {
		it('keeps everything without a filter', () => {
			expect(matchesFilter(conversation({ assignee: null, department: null }), NO_FILTER, 'me')).toBe(true);
		});

		it('keeps only my conversations for MINE', () => {
			const mine = { ...NO_FILTER, assignee: 'MINE' as const };
			expect(matchesFilter(conversation(), mine, 'me')).toBe(true);
			expect(matchesFilter(conversation({ assignee: { id: 'other', name: 'Omar' } }), mine, 'me')).toBe(false);
			expect(matchesFilter(conversation({ assignee: null }), mine, 'me')).toBe(false);
			expect(matchesFilter(conversation(), mine, null)).toBe(false);
		});

		it('keeps only conversations nobody holds for UNASSIGNED', () => {
			const unassigned = { ...NO_FILTER, assignee: 'UNASSIGNED' as const };
			expect(matchesFilter(conversation({ assignee: null }), unassigned, 'me')).toBe(true);
			expect(matchesFilter(conversation(), unassigned, 'me')).toBe(false);
		});

		it('keeps only the chosen status and department', () => {
			expect(matchesFilter(conversation(), { ...NO_FILTER, status: 'PENDING' }, 'me')).toBe(false);
			expect(matchesFilter(conversation(), { ...NO_FILTER, departmentId: 'support' }, 'me')).toBe(true);
			expect(matchesFilter(conversation(), { ...NO_FILTER, departmentId: 'billing' }, 'me')).toBe(false);
			expect(matchesFilter(conversation({ department: null }), { ...NO_FILTER, departmentId: 'support' }, 'me')).toBe(false);
		});
	});

	describe('the drill-down from analytics', () => {
		const drill = (parts: Partial<typeof NO_DRILL_DOWN>) => ({ ...NO_FILTER, drillDown: { ...NO_DRILL_DOWN, ...parts } });

		it('reads the period, the person, the number and first response bounds from the query string', () => {
			expect(
				parseInboxFilter(
					params('?openedAfter=2027-03-16T00:00:00Z&openedBefore=2027-03-17T00:00:00.000Z&agent=VXNlcjox&number=UE46MQ&firstResponseAbove=300')
				)
			).toEqual(
				drill({
					openedAfter: '2027-03-16T00:00:00.000Z',
					openedBefore: '2027-03-17T00:00:00.000Z',
					agentId: 'VXNlcjox',
					phoneNumberId: 'UE46MQ',
					firstResponseAbove: 300
				})
			);
		});

		it('ignores times and seconds that make no sense, and is null without any part', () => {
			expect(parseInboxFilter(params('?openedAfter=yesterday&firstResponseBelow=-4&resolvedBefore=')).drillDown).toBeNull();
		});

		it('round-trips through the query string, beside the other filters', () => {
			const filter = { ...drill({ resolvedAfter: '2027-03-01T00:00:00.000Z', resolvedBefore: '2027-04-01T00:00:00.000Z', firstResponseBelow: 60 }), status: 'RESOLVED' as const };
			expect(inboxSearch(filter)).toBe('?status=RESOLVED&resolvedAfter=2027-03-01T00%3A00%3A00.000Z&resolvedBefore=2027-04-01T00%3A00%3A00.000Z&firstResponseBelow=60');
			expect(parseInboxFilter(params(inboxSearch(filter)))).toEqual(filter);
		});

		it("is the api's filter of the same names", () => {
			expect(conversationFilter(drill({ agentId: 'a1', openedAfter: '2027-03-16T00:00:00.000Z', firstResponseAbove: 0 }))).toEqual({
				agentId: 'a1',
				openedAfter: '2027-03-16T00:00:00.000Z',
				firstResponseAbove: 0
			});
		});

		it('takes live changes opened in the period, held by the person', () => {
			const day = drill({ openedAfter: '2027-03-16T00:00:00.000Z', openedBefore: '2027-03-17T00:00:00.000Z', agentId: 'me' });
			expect(matchesFilter(conversation(), day, 'me')).toBe(true);
			expect(matchesFilter(conversation({ createdAt: '2027-03-17T00:00:00.000Z' }), day, 'me')).toBe(false);
			expect(matchesFilter(conversation({ createdAt: '2027-03-15T23:59:59.000Z' }), day, 'me')).toBe(false);
			expect(matchesFilter(conversation({ assignee: null }), day, 'me')).toBe(false);
		});

		it('keeps only resolved conversations when asked for a resolution period', () => {
			expect(matchesFilter(conversation(), drill({ resolvedAfter: '2027-03-16T00:00:00.000Z' }), 'me')).toBe(false);
			expect(matchesFilter(conversation({ status: 'RESOLVED' }), drill({ resolvedAfter: '2027-03-16T00:00:00.000Z' }), 'me')).toBe(true);
		});

		it('lets new conversations join live only when a row can show everything the filter asks', () => {
			expect(admitsNewLive(NO_FILTER)).toBe(true);
			expect(admitsNewLive(drill({ openedAfter: '2027-03-16T00:00:00.000Z', agentId: 'me' }))).toBe(true);
			expect(admitsNewLive(drill({ resolvedAfter: '2027-03-16T00:00:00.000Z' }))).toBe(false);
			expect(admitsNewLive(drill({ firstResponseAbove: 60 }))).toBe(false);
			expect(admitsNewLive(drill({ phoneNumberId: 'p1' }))).toBe(false);
		});
	});
});
