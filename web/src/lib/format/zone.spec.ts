import { afterEach, describe, expect, it } from 'vitest';
import { clockTime } from './time.ts';
import { browserZone, dayIn, displayZone, midnightIn, setTenantZone } from './zone.ts';

afterEach(() => setTenantZone(null));

describe("the zone dates are read in", () => {
	it("is the tenant's once known, the browser's before and after", () => {
		expect(displayZone()).toBe(browserZone());
		setTenantZone('Asia/Tokyo');
		expect(displayZone()).toBe('Asia/Tokyo');
		setTenantZone(null);
		expect(displayZone()).toBe(browserZone());
	});

	it('ignores a zone Intl does not know', () => {
		setTenantZone('Mars/Olympus_Mons');
		expect(displayZone()).toBe(browserZone());
	});

	it("puts a message on the tenant's day and clock, whatever the browser's", () => {
		const at = '2027-03-17T23:30:00Z';
		setTenantZone('Asia/Tokyo');
		expect(dayIn(at)).toBe('2027-03-18');
		expect(clockTime(at, { locale: 'en-GB' })).toBe('8:30');
		setTenantZone('America/Bogota');
		expect(dayIn(at)).toBe('2027-03-17');
		expect(clockTime(at, { locale: 'en-GB' })).toBe('18:30');
	});

	it('finds where a day begins, rolling days past the month over', () => {
		expect(midnightIn(2027, 2, 28, 'Europe/Madrid')).toEqual(new Date('2027-03-27T23:00:00Z'));
		expect(midnightIn(2027, 2, 29, 'Europe/Madrid')).toEqual(new Date('2027-03-28T22:00:00Z'));
		expect(midnightIn(2027, 1, 29, 'UTC')).toEqual(new Date('2027-03-01T00:00:00Z'));
	});
});
