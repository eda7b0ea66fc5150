import { describe, expect, it } from 'vitest';
import { formatMoment, formatPeriod } from './period.ts';

const at = (iso: string) => new Date(iso);
const utc = { locale: 'en-US', timeZone: 'UTC' };
/** ICU puts thin and narrow no-break spaces around dashes and before AM/PM. */
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('periods', () => {
	describe('whole days', () => {
		it('is one date for one day, the end being exclusive', () => {
			expect(plain(formatPeriod(at('2027-03-16T00:00:00Z'), at('2027-03-17T00:00:00Z'), utc))).toBe('Mar 16, 2027');
		});

		it('is a range of dates for several days', () => {
			expect(plain(formatPeriod(at('2027-03-10T00:00:00Z'), at('2027-03-17T00:00:00Z'), utc))).toBe('Mar 10 – 16, 2027');
		});

		it('counts midnight in the zone asked for', () => {
			expect(plain(formatPeriod(at('2027-03-15T23:00:00Z'), at('2027-03-16T23:00:00Z'), { locale: 'en-US', timeZone: 'Europe/Madrid' }))).toBe('Mar 16, 2027');
		});
	});

	describe('hours', () => {
		it('shows the times of a period that is not whole days', () => {
			expect(plain(formatPeriod(at('2027-03-16T14:00:00Z'), at('2027-03-16T15:00:00Z'), utc))).toBe('Mar 16, 2027, 2:00 – 3:00 PM');
		});
	});

	describe('one moment', () => {
		it('is a date at midnight, else a date and time', () => {
			expect(plain(formatMoment(at('2027-03-16T00:00:00Z'), utc))).toBe('Mar 16, 2027');
			expect(plain(formatMoment(at('2027-03-16T09:30:00Z'), utc))).toBe('Mar 16, 2027, 9:30 AM');
		});
	});
});
