import { describe, expect, it } from 'vitest';
import type { HeatmapCell } from './operations.ts';
import { heatLevel, heatmapGrid, hourName, weekdayName } from './heatmap.ts';

const cell = (weekday: number, hour: number, conversationsOpened: number, messagesInbound = 0): HeatmapCell => ({
	weekday,
	hour,
	conversationsOpened,
	messagesInbound,
	messagesOutbound: 0
});

describe('analytics heatmap', () => {
	describe('the grid', () => {
		it('has a row per weekday, Monday first, and a value per hour', () => {
			const grid = heatmapGrid([cell(7, 23, 2), cell(1, 0, 5), cell(3, 14, 1, 9)], 'conversationsOpened');
			expect(grid.rows.map((r) => r.weekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
			expect(grid.rows.every((r) => r.values.length === 24)).toBe(true);
			expect(grid.rows[0]!.values[0]).toBe(5);
			expect(grid.rows[6]!.values[23]).toBe(2);
			expect(grid.rows[2]!.values[14]).toBe(1);
			expect(grid.max).toBe(5);
		});

		it('reads the measure asked for', () => {
			expect(heatmapGrid([cell(3, 14, 1, 9)], 'messagesInbound').rows[2]!.values[14]).toBe(9);
		});

		it('counts missing cells as zero', () => {
			expect(heatmapGrid([], 'conversationsOpened')).toEqual({
				rows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, values: Array(24).fill(0) })),
				max: 0
			});
		});
	});

	describe('strength', () => {
		it('is 0 for nothing and 4 for the busiest, anything above nothing at least 1', () => {
			expect(heatLevel(0, 10)).toBe(0);
			expect(heatLevel(1, 100)).toBe(1);
			expect(heatLevel(50, 100)).toBe(2);
			expect(heatLevel(51, 100)).toBe(3);
			expect(heatLevel(100, 100)).toBe(4);
			expect(heatLevel(0, 0)).toBe(0);
		});
	});

	describe('labels', () => {
		it('names weekdays from Monday and hours as the locale writes them', () => {
			expect(weekdayName(1, 'en')).toBe('Mon');
			expect(weekdayName(7, 'en', 'long')).toBe('Sunday');
			expect(hourName(14, 'en-GB')).toBe('14');
			expect(hourName(0, 'en-US')).toBe('12 AM');
		});
	});
});
