import { describe, expect, it } from 'vitest';
import { durationParts, formatDuration, formatDurationLong } from './duration.ts';

describe('analytics durations', () => {
	describe('under a minute', () => {
		it('shows whole seconds', () => {
			expect(formatDuration(45.4, 'en')).toBe('45s');
			expect(formatDuration(0.3, 'en')).toBe('0s');
		});
	});

	describe('two units at most, the largest first', () => {
		it('shows minutes and seconds under an hour', () => {
			expect(formatDuration(200, 'en')).toBe('3m 20s');
		});

		it('shows hours and minutes under a day, seconds dropped', () => {
			expect(formatDuration(2 * 3600 + 5 * 60 + 40, 'en')).toBe('2h 6m');
		});

		it('shows days and hours past a day', () => {
			expect(formatDuration(3 * 86_400 + 4 * 3600 + 10 * 60, 'en')).toBe('3d 4h');
		});

		it('leaves out a second unit of zero', () => {
			expect(formatDuration(120, 'en')).toBe('2m');
			expect(formatDuration(3600, 'en')).toBe('1h');
			expect(formatDuration(2 * 86_400, 'en')).toBe('2d');
		});
	});

	describe('rounding', () => {
		it('carries into the larger unit instead of showing 60 of the smaller', () => {
			expect(durationParts(3599.7)).toEqual({ hours: 1 });
			expect(durationParts(86_399)).toEqual({ days: 1 });
			expect(durationParts(59.6)).toEqual({ minutes: 1 });
		});

		it('treats a negative duration (clock skew) as zero', () => {
			expect(formatDuration(-5, 'en')).toBe('0s');
		});
	});

	describe('spelled out', () => {
		it('uses the long style for screen readers', () => {
			expect(formatDurationLong(200, 'en')).toBe('3 minutes, 20 seconds');
		});
	});
});
