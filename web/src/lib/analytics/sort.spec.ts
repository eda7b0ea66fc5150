import { describe, expect, it } from 'vitest';
import { nextSort, sortRows } from './sort.ts';

interface Row {
	name: string | null;
	resolved: number;
	median: number | null;
}
const rows: Row[] = [
	{ name: 'Zoë', resolved: 3, median: 120 },
	{ name: null, resolved: 9, median: null },
	{ name: 'ana', resolved: 7, median: 40 },
	{ name: 'Émile', resolved: 3, median: 300 },
	{ name: 'Bo', resolved: 0, median: null }
];
const names = (list: Row[]) => list.map((r) => r.name);

describe('analytics tables', () => {
	describe('sorting rows', () => {
		it('orders numbers both ways, keeping ties in their order', () => {
			expect(names(sortRows(rows, (r) => r.resolved, 'descending'))).toEqual([null, 'ana', 'Zoë', 'Émile', 'Bo']);
			expect(names(sortRows(rows, (r) => r.resolved, 'ascending'))).toEqual(['Bo', 'Zoë', 'Émile', 'ana', null]);
		});

		it('puts rows without a value last in either direction', () => {
			expect(names(sortRows(rows, (r) => r.median, 'ascending'))).toEqual(['ana', 'Zoë', 'Émile', null, 'Bo']);
			expect(names(sortRows(rows, (r) => r.median, 'descending'))).toEqual(['Émile', 'Zoë', 'ana', null, 'Bo']);
		});

		it('orders names by the locale, ignoring case and accents', () => {
			expect(names(sortRows(rows, (r) => r.name, 'ascending', 'en'))).toEqual(['ana', 'Bo', 'Émile', 'Zoë', null]);
			expect(names(sortRows(rows, (r) => r.name, 'descending', 'en'))).toEqual(['Zoë', 'Émile', 'Bo', 'ana', null]);
		});

		it('leaves the rows it was given as they were', () => {
			const before = [...rows];
			sortRows(rows, (r) => r.resolved, 'ascending');
			expect(rows).toEqual(before);
		});
	});

	describe('clicking a column', () => {
		it('flips the direction of the column already sorted by', () => {
			expect(nextSort({ key: 'resolved', direction: 'descending' }, 'resolved', 'descending')).toEqual({ key: 'resolved', direction: 'ascending' });
		});

		it("starts another column in that column's own first direction", () => {
			expect(nextSort({ key: 'resolved', direction: 'ascending' }, 'median', 'ascending')).toEqual({ key: 'median', direction: 'ascending' });
		});
	});
});
