import { describe, expect, it } from 'vitest';
import { conversationFilter, inboxSearch, matchesFilter, NO_FILTER, parseInboxFilter } from './filter.ts';

const params = (search: string) => new URLSearchParams(search);
const conversation = (overrides: Partial<Parameters<typeof matchesFilter>[0]> = {}) => ({
	status: 'OPEN' as const,
	assignee: { id: 'me', name: 'Ana' },
	department: { id: 'support', name: 'Support' },
	...overrides
});

describe('inbox filter', () => {
	describe('parseInboxFilter', () => {
		it('reads status, assignee and department from the query string', () => {
			expect(parseInboxFilter(params('?status=PENDING&assignee=MINE&department=RGVw'))).toEqual({
				status: 'PENDING',
				assignee: 'MINE',
				departmentId: 'RGVw'
			});
		});

		it('treats missing or unknown values as no filter', () => {
			expect(parseInboxFilter(params(''))).toEqual(NO_FILTER);
			expect(parseInboxFilter(params('?status=open&assignee=SOMEONE&department='))).toEqual(NO_FILTER);
		});
	});

	describe('inboxSearch', () => {
		it('writes only what differs from the defaults, in a stable order', () => {
			expect(inboxSearch({ status: 'OPEN', assignee: 'UNASSIGNED', departmentId: 'd1' })).toBe(
				'?assignee=UNASSIGNED&status=OPEN&department=d1'
			);
			expect(inboxSearch(NO_FILTER)).toBe('');
		});

		it('round-trips through parseInboxFilter', () => {
			const filter = { status: 'BOT' as const, assignee: 'MINE' as const, departmentId: 'RGVwYXJ0bWVudDox' };
			expect(parseInboxFilter(params(inboxSearch(filter)))).toEqual(filter);
		});
	});

	describe('conversationFilter', () => {
		it('is the api input with only the parts set', () => {
			expect(conversationFilter({ status: 'RESOLVED', assignee: 'MINE', departmentId: null })).toEqual({
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
});
