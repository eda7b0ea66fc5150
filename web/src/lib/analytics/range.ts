// Which figures the analytics page shows: a range of days (a preset, or custom days) and filters by
// department, person and number. The choice lives in the URL (`/analytics?range=last30&department=…`),
// so a view can be bookmarked and the back button works. Days are the business's: the range is computed
// in the tenant's time zone (format/zone.ts) and the api is asked to count hours and days in that
// zone too, so everyone of the tenant sees the same figures for "today" wherever they are.
import { calendarIn, midnightIn } from '#lib/format/zone.ts';
import type { AnalyticsInput, AnalyticsInterval } from '#lib/graphql/types.ts';

export const PRESETS = ['today', 'last7', 'last30', 'month', 'year', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export interface AnalyticsSelection {
	preset: Preset;
	/** For `custom`: the first and the last day shown (both included), `YYYY-MM-DD`. */
	from: string | null;
	to: string | null;
	departmentId: string | null;
	agentId: string | null;
	phoneNumberId: string | null;
}

export const DEFAULT_SELECTION: AnalyticsSelection = {
	preset: 'last7',
	from: null,
	to: null,
	departmentId: null,
	agentId: null,
	phoneNumberId: null
};

/** The longest custom range in days: the api answers at most 2 × 366 days (it keeps the rollups 24 months). */
export const MAX_DAYS = 732;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight of a `YYYY-MM-DD` day in `zone`; null for anything that is not a real day. */
export function parseDay(key: string | null | undefined, zone: string): Date | null {
	const match = key ? DAY_KEY.exec(key) : null;
	if (!match) return null;
	const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
	const date = midnightIn(year, month, day, zone);
	const read = calendarIn(date, zone);
	return read.year === year && read.month === month && read.day === day ? date : null;
}

/** The `YYYY-MM-DD` of a moment in `zone` (what `<input type="date">` takes). */
export function dayKey(at: Date, zone: string): string {
	const { year, month, day } = calendarIn(at, zone);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${year}-${pad(month + 1)}-${pad(day)}`;
}

/** Why custom days cannot be shown, or null when they can. Days are counted by the calendar, in any zone alike. */
export function customProblem(from: string | null, to: string | null): 'missing' | 'order' | 'tooLong' | null {
	const start = parseDay(from, 'UTC');
	const end = parseDay(to, 'UTC');
	if (!start || !end) return 'missing';
	if (end < start) return 'order';
	if (Math.round((end.getTime() - start.getTime()) / DAY_MS) + 1 > MAX_DAYS) return 'tooLong';
	return null;
}

/** `?range=…&from=…&to=…&department=…&agent=…&number=…`; what is unknown or incomplete means the default. */
export function parseSelection(params: Pick<URLSearchParams, 'get'>): AnalyticsSelection {
	const id = (name: string) => params.get(name)?.trim() || null;
	const filters = { departmentId: id('department'), agentId: id('agent'), phoneNumberId: id('number') };
	const preset = PRESETS.find((p) => p === params.get('range')) ?? DEFAULT_SELECTION.preset;
	if (preset === 'custom') {
		const from = params.get('from');
		const to = params.get('to');
		if (customProblem(from, to) === null) return { preset, from, to, ...filters };
		return { ...DEFAULT_SELECTION, ...filters };
	}
	return { preset, from: null, to: null, ...filters };
}

/** The query string of a selection, without the parts at their default; '' for the default view. */
export function selectionSearch(selection: AnalyticsSelection): string {
	const params = new URLSearchParams();
	if (selection.preset !== DEFAULT_SELECTION.preset) params.set('range', selection.preset);
	if (selection.preset === 'custom') {
		params.set('from', selection.from ?? '');
		params.set('to', selection.to ?? '');
	}
	if (selection.departmentId) params.set('department', selection.departmentId);
	if (selection.agentId) params.set('agent', selection.agentId);
	if (selection.phoneNumberId) params.set('number', selection.phoneNumberId);
	const search = params.toString();
	return search ? `?${search}` : '';
}

export interface TimeRange {
	/** Included. */
	from: Date;
	/** Excluded. */
	to: Date;
}

/**
 * The moments a selection covers, `now` being when the page asks: whole days in `zone`, up to the end
 * of today there. "Last 7 days" and "last 30 days" include today; "this month" is the 1st to today;
 * "last 12 months" is this month and the eleven before it. A day with a daylight-saving change has 23
 * or 25 hours.
 */
export function rangeOf(selection: AnalyticsSelection, now: Date, zone: string): TimeRange {
	const { year: y, month: m, day: d } = calendarIn(now, zone);
	const midnight = (year: number, month: number, day: number) => midnightIn(year, month, day, zone);
	const tomorrow = midnight(y, m, d + 1);
	switch (selection.preset) {
		case 'today':
			return { from: midnight(y, m, d), to: tomorrow };
		case 'last7':
			return { from: midnight(y, m, d - 6), to: tomorrow };
		case 'last30':
			return { from: midnight(y, m, d - 29), to: tomorrow };
		case 'month':
			return { from: midnight(y, m, 1), to: tomorrow };
		case 'year':
			return { from: midnight(y, m - 11, 1), to: tomorrow };
		case 'custom': {
			const from = parseDay(selection.from, zone);
			const last = parseDay(selection.to, zone);
			if (!from || !last) return rangeOf(DEFAULT_SELECTION, now, zone);
			const end = calendarIn(last, zone);
			return { from, to: midnight(end.year, end.month, end.day + 1) };
		}
	}
}

/** Hours for a range of at most two days (a daylight-saving change may add an hour), days beyond. */
export function intervalOf(range: TimeRange): AnalyticsInterval {
	return range.to.getTime() - range.from.getTime() <= 2 * DAY_MS + HOUR_MS ? 'HOUR' : 'DAY';
}

/** The api's input for a selection: its range, the zone, and only the filters that are set. */
export function analyticsInput(selection: AnalyticsSelection, range: TimeRange, timeZone: string, { personal = false } = {}): AnalyticsInput {
	return {
		from: range.from.toISOString(),
		to: range.to.toISOString(),
		timeZone,
		...(selection.departmentId ? { departmentId: selection.departmentId } : {}),
		// Agents see their own figures: the api refuses anyone else's.
		...(selection.agentId && !personal ? { agentId: selection.agentId } : {}),
		...(selection.phoneNumberId && !personal ? { phoneNumberId: selection.phoneNumberId } : {})
	};
}

/** Where the bucket starting at `starts[index]` ends: where the next begins, the last one at the range's end. */
export function bucketEnd(starts: readonly string[], index: number, range: TimeRange): Date {
	const next = starts[index + 1];
	return next ? new Date(next) : range.to;
}
