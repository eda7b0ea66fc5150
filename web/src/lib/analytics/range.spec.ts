import { describe, expect, it } from 'vitest';
import {
	analyticsInput,
	bucketEnd,
	customProblem,
	DEFAULT_SELECTION,
	dayKey,
	intervalOf,
	parseDay,
	parseSelection,
	rangeOf,
	selectionSearch,
	type AnalyticsSelection
} from './range.ts';

// Wednesday 17 March 2027, mid-afternoon in Bogotá (UTC−5 all year), the business's zone: every range
// is in its days, wherever the test runs.
const ZONE = 'America/Bogota';
const NOW = new Date('2027-03-17T20:42:10Z');
const local = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d, 5));
const preset = (p: AnalyticsSelection['preset'], extra: Partial<AnalyticsSelection> = {}) => ({ ...DEFAULT_SELECTION, preset: p, ...extra });
const params = (search: string) => new URLSearchParams(search);

describe('analytics range', () => {
	describe('presets', () => {
		it('today is from midnight to the next midnight', () => {
			expect(rangeOf(preset('today'), NOW, ZONE)).toEqual({ from: local(2027, 3, 17), to: local(2027, 3, 18) });
		});

		it('the last 7 and 30 days include today', () => {
			expect(rangeOf(preset('last7'), NOW, ZONE)).toEqual({ from: local(2027, 3, 11), to: local(2027, 3, 18) });
			expect(rangeOf(preset('last30'), NOW, ZONE)).toEqual({ from: local(2027, 2, 16), to: local(2027, 3, 18) });
		});

		it('this month runs from the 1st to the end of today', () => {
			expect(rangeOf(preset('month'), NOW, ZONE)).toEqual({ from: local(2027, 3, 1), to: local(2027, 3, 18) });
		});

		it('the last 12 months are this month and the eleven before it, across the new year', () => {
			expect(rangeOf(preset('year'), NOW, ZONE)).toEqual({ from: local(2026, 4, 1), to: local(2027, 3, 18) });
		});

		it('custom days include both the first and the last day', () => {
			expect(rangeOf(preset('custom', { from: '2027-02-27', to: '2027-03-02' }), NOW, ZONE)).toEqual({ from: local(2027, 2, 27), to: local(2027, 3, 3) });
		});

		it("follows the business's calendar, not the browser's nor UTC's", () => {
			const lateEvening = new Date('2027-03-17T23:30:00Z');
			expect(rangeOf(preset('today'), lateEvening, 'Asia/Tokyo')).toEqual({ from: new Date('2027-03-17T15:00:00Z'), to: new Date('2027-03-18T15:00:00Z') });
			expect(rangeOf(preset('today'), lateEvening, ZONE)).toEqual({ from: new Date('2027-03-17T05:00:00Z'), to: new Date('2027-03-18T05:00:00Z') });
			expect(dayKey(lateEvening, 'Asia/Tokyo')).toBe('2027-03-18');
			expect(dayKey(lateEvening, ZONE)).toBe('2027-03-17');
		});

		it('gives a day with a daylight-saving change its 23 hours', () => {
			const day = rangeOf(preset('custom', { from: '2027-03-28', to: '2027-03-28' }), NOW, 'Europe/Madrid');
			expect(day).toEqual({ from: new Date('2027-03-27T23:00:00Z'), to: new Date('2027-03-28T22:00:00Z') });
			expect(intervalOf(day)).toBe('HOUR');
		});

		it('counts calendar days at the end of a month and of a leap February', () => {
			const first = new Date('2028-03-01T14:00:00Z');
			expect(rangeOf(preset('last7'), first, ZONE)).toEqual({ from: local(2028, 2, 24), to: local(2028, 3, 2) });
		});
	});

	describe('interval', () => {
		it('is hourly for ranges of up to two days, daily beyond', () => {
			expect(intervalOf(rangeOf(preset('today'), NOW, ZONE))).toBe('HOUR');
			expect(intervalOf(rangeOf(preset('custom', { from: '2027-03-16', to: '2027-03-17' }), NOW, ZONE))).toBe('HOUR');
			expect(intervalOf(rangeOf(preset('custom', { from: '2027-03-15', to: '2027-03-17' }), NOW, ZONE))).toBe('DAY');
			expect(intervalOf(rangeOf(preset('last7'), NOW, ZONE))).toBe('DAY');
		});
	});

	describe('custom days', () => {
		it('takes only real days', () => {
			expect(parseDay('2027-02-29', ZONE)).toBeNull();
			expect(parseDay('2028-02-29', ZONE)).toEqual(local(2028, 2, 29));
			expect(parseDay('17/03/2027', ZONE)).toBeNull();
			expect(dayKey(local(2027, 1, 5), ZONE)).toBe('2027-01-05');
		});

		it('says what is wrong with a range', () => {
			expect(customProblem('2027-03-01', '')).toBe('missing');
			expect(customProblem('2027-03-02', '2027-03-01')).toBe('order');
			expect(customProblem('2025-01-01', '2027-01-03')).toBe('tooLong');
			expect(customProblem('2025-01-01', '2027-01-02')).toBeNull();
		});
	});

	describe('in the URL', () => {
		it('reads the default view from no parameters', () => {
			expect(parseSelection(params(''))).toEqual(DEFAULT_SELECTION);
		});

		it('round-trips a preset with filters, leaving defaults out', () => {
			const selection = preset('last30', { departmentId: 'RGVwOjE=', agentId: 'VXNlcjox', phoneNumberId: 'UE46MQ==' });
			const search = selectionSearch(selection);
			expect(search).toBe('?range=last30&department=RGVwOjE%3D&agent=VXNlcjox&number=UE46MQ%3D%3D');
			expect(parseSelection(params(search))).toEqual(selection);
			expect(selectionSearch(DEFAULT_SELECTION)).toBe('');
		});

		it('round-trips custom days', () => {
			const selection = preset('custom', { from: '2027-01-01', to: '2027-01-31' });
			expect(parseSelection(params(selectionSearch(selection)))).toEqual(selection);
		});

		it('falls back to the default range for an unknown preset or broken custom days, keeping the filters', () => {
			expect(parseSelection(params('range=forever&department=d1'))).toEqual({ ...DEFAULT_SELECTION, departmentId: 'd1' });
			expect(parseSelection(params('range=custom&from=2027-03-05&to=2027-03-01&agent=a1'))).toEqual({ ...DEFAULT_SELECTION, agentId: 'a1' });
		});
	});

	describe('the api input', () => {
		const range = { from: new Date('2027-03-10T23:00:00Z'), to: new Date('2027-03-17T23:00:00Z') };

		it('sends the range, the zone and only the filters set', () => {
			expect(analyticsInput(preset('last7', { departmentId: 'd1' }), range, 'Europe/Madrid')).toEqual({
				from: '2027-03-10T23:00:00.000Z',
				to: '2027-03-17T23:00:00.000Z',
				timeZone: 'Europe/Madrid',
				departmentId: 'd1'
			});
		});

		it("leaves out another person and a number for an agent's own figures", () => {
			expect(analyticsInput(preset('last7', { agentId: 'a1', phoneNumberId: 'p1' }), range, 'UTC', { personal: true })).toEqual({
				from: '2027-03-10T23:00:00.000Z',
				to: '2027-03-17T23:00:00.000Z',
				timeZone: 'UTC'
			});
		});
	});

	describe('buckets', () => {
		it('end where the next begins, the last at the end of the range', () => {
			const starts = ['2027-03-15T00:00:00Z', '2027-03-16T00:00:00Z', '2027-03-17T00:00:00Z'];
			const range = { from: new Date(starts[0]!), to: new Date('2027-03-18T00:00:00Z') };
			expect(bucketEnd(starts, 0, range)).toEqual(new Date('2027-03-16T00:00:00Z'));
			expect(bucketEnd(starts, 2, range)).toEqual(range.to);
		});
	});
});
