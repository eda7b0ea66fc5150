// A period [from, to) as people read it: whole days as dates ("Mar 16, 2027", "Mar 10 – 16, 2027"),
// anything else with its times ("Mar 16, 2027, 2:00 – 3:00 PM"). The end is exclusive, so a period
// ending at midnight ends on the day before.
import { locale as uiLocale } from '#lib/i18n/i18n.ts';
import { displayZone } from './zone.ts';

export interface PeriodFormatOptions {
	locale?: string;
	/** IANA zone; the tenant's (format/zone.ts) when omitted. */
	timeZone?: string;
}

function atMidnight(at: Date, timeZone: string): boolean {
	const parts = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone }).formatToParts(at);
	const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	return value('hour') === 0 && value('minute') === 0 && value('second') === 0 && at.getMilliseconds() === 0;
}

export function formatPeriod(from: Date, to: Date, { locale = uiLocale, timeZone = displayZone() }: PeriodFormatOptions = {}): string {
	if (atMidnight(from, timeZone) && atMidnight(to, timeZone) && to > from) {
		return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).formatRange(from, new Date(to.getTime() - 1));
	}
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).formatRange(from, to);
}

/** One moment of a one-sided period: a date at midnight, else a date and time. */
export function formatMoment(at: Date, { locale = uiLocale, timeZone = displayZone() }: PeriodFormatOptions = {}): string {
	return new Intl.DateTimeFormat(locale, atMidnight(at, timeZone) ? { dateStyle: 'medium', timeZone } : { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}
