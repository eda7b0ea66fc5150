import { describe, expect, it } from 'vitest';
import { inboxSearch, NO_DRILL_DOWN, NO_FILTER } from '#lib/inbox/filter.ts';
import { departmentOpenedIn, openedIn, personOpenedIn } from './drill-down.ts';
import { DEFAULT_SELECTION } from './range.ts';

const day = { from: new Date('2027-03-16T00:00:00Z'), to: new Date('2027-03-17T00:00:00Z') };
const manager = { personal: false, meId: 'maya' };
const agent = { personal: true, meId: 'ana' };
const filtered = { ...DEFAULT_SELECTION, departmentId: 'support', agentId: 'omar', phoneNumberId: 'n1' };

describe('analytics drill-down', () => {
	describe('a bar', () => {
		it('leads to the conversations opened in its period', () => {
			expect(inboxSearch(openedIn(DEFAULT_SELECTION, day, manager))).toBe(
				'?openedAfter=2027-03-16T00%3A00%3A00.000Z&openedBefore=2027-03-17T00%3A00%3A00.000Z'
			);
		});

		it("keeps the page's department, person and number", () => {
			expect(openedIn(filtered, day, manager)).toEqual({
				...NO_FILTER,
				departmentId: 'support',
				drillDown: { ...NO_DRILL_DOWN, openedAfter: '2027-03-16T00:00:00.000Z', openedBefore: '2027-03-17T00:00:00.000Z', agentId: 'omar', phoneNumberId: 'n1' }
			});
		});

		it("leads an agent to their own conversations only", () => {
			expect(openedIn(filtered, day, agent).drillDown).toMatchObject({ agentId: 'ana', phoneNumberId: null });
		});
	});

	describe('a row', () => {
		it("leads to a person's conversations, or to the unassigned ones", () => {
			expect(personOpenedIn(DEFAULT_SELECTION, day, 'omar', manager).drillDown?.agentId).toBe('omar');
			const nobody = personOpenedIn(DEFAULT_SELECTION, day, null, manager);
			expect(nobody.assignee).toBe('UNASSIGNED');
			expect(nobody.drillDown?.agentId).toBeNull();
		});

		it("leads to a department's conversations", () => {
			expect(departmentOpenedIn(filtered, day, 'billing', manager).departmentId).toBe('billing');
		});
	});
});
