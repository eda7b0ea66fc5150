import { describe, expect, it } from 'vitest';
import { absoluteTime, clockTime, dayLabel, formatCountdown, formatRemaining, relativeTime } from './time.ts';

const now = Date.parse('2026-03-20T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const utc = { locale: 'en', timeZone: 'UTC' };

describe('time formatting', () => {
	describe('relativeTime', () => {
		it('reads as "now" within the first minute', () => {
			expect(relativeTime(ago(30_000), now, utc)).toBe('now');
		});

		it('reads as "now" when the timestamp is slightly in the future', () => {
			expect(relativeTime(new Date(now + 5_000).toISOString(), now, utc)).toBe('now');
		});

		it('counts whole minutes within the hour', () => {
			expect(relativeTime(ago(5 * MIN + 59_000), now, utc)).toBe('5m ago');
		});

		it('counts whole hours within the day', () => {
			expect(relativeTime(ago(3 * HOUR + 20 * MIN), now, utc)).toBe('3h ago');
		});

		it('says "yesterday" and then counts days within the week', () => {
			expect(relativeTime(ago(DAY + HOUR), now, utc)).toBe('yesterday');
			expect(relativeTime(ago(3 * DAY), now, utc)).toBe('3d ago');
		});

		it('shows the date after a week, with the year only when it differs', () => {
			expect(relativeTime('2026-03-01T09:00:00Z', now, utc)).toBe('Mar 1');
			expect(relativeTime('2025-12-24T09:00:00Z', now, utc)).toBe('Dec 24, 2025');
		});
	});

	describe('absoluteTime and clockTime', () => {
		it('formats the full date and time in the given zone', () => {
			expect(absoluteTime('2026-03-20T09:05:00Z', utc)).toBe('Mar 20, 2026, 9:05 AM');
		});

		it('formats the clock time of a message', () => {
			expect(clockTime('2026-03-20T15:07:00Z', utc)).toBe('3:07 PM');
		});
	});

	describe('formatCountdown', () => {
		it('shows hours, minutes and seconds', () => {
			expect(formatCountdown(23 * HOUR + 4 * MIN + 5_000)).toBe('23:04:05');
		});

		it('keeps counting hours past a day', () => {
			expect(formatCountdown(71 * HOUR + 59 * MIN)).toBe('71:59:00');
		});

		it('never goes negative', () => {
			expect(formatCountdown(-10_000)).toBe('0:00:00');
		});
	});

	describe('formatRemaining', () => {
		it('shows hours and minutes', () => {
			expect(formatRemaining(5 * HOUR + 12 * MIN + 30_000)).toBe('5h 12m');
		});

		it('drops zero minutes', () => {
			expect(formatRemaining(2 * HOUR + 20_000)).toBe('2h');
		});

		it('shows minutes alone in the last hour', () => {
			expect(formatRemaining(3 * MIN)).toBe('3m');
			expect(formatRemaining(20_000)).toBe('0m');
		});
	});

	describe('dayLabel', () => {
		it('names today and yesterday', () => {
			expect(dayLabel('2026-03-20', '2026-03-20', 'en')).toBe('Today');
			expect(dayLabel('2026-03-19', '2026-03-20', 'en')).toBe('Yesterday');
		});

		it('shows the date for earlier days, across month boundaries', () => {
			expect(dayLabel('2026-02-28', '2026-03-01', 'en')).toBe('Yesterday');
			expect(dayLabel('2026-02-27', '2026-03-01', 'en')).toBe('Feb 27, 2026');
		});
	});
});
