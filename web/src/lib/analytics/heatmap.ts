// The heatmap's grid: volumes by weekday (Monday first, as the api numbers them, ISO 1–7) and hour
// (0–23), with how strong each cell is against the busiest one.
import type { HeatmapCell } from './operations.ts';

export type HeatmapMeasure = 'conversationsOpened' | 'messagesInbound' | 'messagesOutbound';

export interface HeatmapRow {
	weekday: number;
	/** 24 values, hour 0 first; an hour the api left out counts 0. */
	values: number[];
}

export interface HeatmapGrid {
	rows: HeatmapRow[];
	max: number;
}

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function heatmapGrid(cells: readonly HeatmapCell[], measure: HeatmapMeasure): HeatmapGrid {
	const rows = WEEKDAYS.map((weekday) => ({ weekday, values: HOURS.map(() => 0) }));
	for (const cell of cells) {
		const row = rows[cell.weekday - 1];
		if (row && cell.hour >= 0 && cell.hour < 24) row.values[cell.hour] = cell[measure];
	}
	const max = Math.max(0, ...rows.flatMap((r) => r.values));
	return { rows, max };
}

/** A cell's strength from 0 (nothing) to 1 (the busiest), in five steps so the legend can name each. */
export function heatLevel(value: number, max: number): 0 | 1 | 2 | 3 | 4 {
	if (value <= 0 || max <= 0) return 0;
	return Math.max(1, Math.ceil((value / max) * 4)) as 1 | 2 | 3 | 4;
}

/** The name of ISO weekday `weekday` (1 = Monday) in the locale, "Mon" or "Monday". */
export function weekdayName(weekday: number, locale: string, width: 'short' | 'long' = 'short'): string {
	// 2024-01-01 was a Monday.
	return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(Date.UTC(2024, 0, weekday));
}

/** An hour of the day as the locale writes it: "14" or "2 PM". */
export function hourName(hour: number, locale: string): string {
	return new Intl.DateTimeFormat(locale, { hour: 'numeric', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1, hour));
}
