// The time zone every date and time on the dashboard is read in: the tenant's (Settings → Account), so
// everyone of a business sees a message on the same day, and analytics counts the business's days,
// wherever each person's browser happens to be. Before anyone is signed in (the sign-in page) and for
// operators, who belong to no tenant, the browser's own.
import { TZDate } from '@date-fns/tz';
import { SvelteMap } from 'svelte/reactivity';

/** Reactive in the browser (what shows a date re-renders when the zone changes), a plain Map on the server and in unit tests. */
const chosen = new SvelteMap<'tenant', string>();

/** The browser's IANA zone. */
export function browserZone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The zone to read dates in now. Reactive: what is on screen follows a change of the tenant's zone. */
export function displayZone(): string {
	return chosen.get('tenant') ?? browserZone();
}

/** The signed-in tenant's zone, or null for none; a zone `Intl` does not know is ignored. */
export function setTenantZone(zone: string | null | undefined): void {
	if (zone && knownZone(zone)) chosen.set('tenant', zone);
	else chosen.delete('tenant');
}

function knownZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day of a moment in `zone`, as `YYYY-MM-DD`. */
export function dayIn(at: Date | string, zone: string = displayZone()): string {
	const date = new TZDate(new Date(at).getTime(), zone);
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The moment a calendar day begins in `zone` (month from 0, days past the month's end roll over, as Date's). */
export function midnightIn(year: number, month: number, day: number, zone: string): Date {
	return new Date(new TZDate(year, month, day, zone).getTime());
}

/** The year, month (from 0) and day of a moment in `zone`. */
export function calendarIn(at: Date, zone: string): { year: number; month: number; day: number } {
	const date = new TZDate(at.getTime(), zone);
	return { year: date.getFullYear(), month: date.getMonth(), day: date.getDate() };
}
