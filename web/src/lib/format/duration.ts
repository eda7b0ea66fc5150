// A duration of the analytics (first response, reply, resolution: seconds, from histograms) as a manager
// reads it: two units at most, the largest first — "45s", "3m 20s", "2h 5m", "3d 4h".
import { locale as uiLocale } from '#lib/i18n/i18n.ts';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Parts = { days?: number; hours?: number; minutes?: number; seconds?: number };

/** The two largest units of `seconds`, rounded to the smaller of them; a zero second unit is left out. */
export function durationParts(seconds: number): Parts {
	const total = Math.max(0, seconds);
	if (total < MINUTE) {
		const s = Math.round(total);
		return s >= MINUTE ? { minutes: 1 } : { seconds: s };
	}
	if (total < HOUR) {
		const s = Math.round(total);
		// 59.6 minutes round to "1h", not "60m".
		if (s >= HOUR) return { hours: 1 };
		return dropZero({ minutes: Math.floor(s / MINUTE), seconds: s % MINUTE });
	}
	if (total < DAY) {
		const m = Math.round(total / MINUTE);
		if (m >= 24 * 60) return { days: 1 };
		return dropZero({ hours: Math.floor(m / 60), minutes: m % 60 });
	}
	const h = Math.round(total / HOUR);
	return dropZero({ days: Math.floor(h / 24), hours: h % 24 });
}

function dropZero(parts: Parts): Parts {
	const entries = Object.entries(parts);
	const [first, second] = entries;
	return second && second[1] === 0 ? Object.fromEntries([first!]) : parts;
}

/** `seconds` in words of the locale's narrow style: "45s", "3m 20s", "2h 5m", "3d 4h". */
export function formatDuration(seconds: number, locale: string = uiLocale): string {
	return format(seconds, locale, 'narrow');
}

/** The same, spelled out for a screen reader or a title: "3 minutes, 20 seconds". */
export function formatDurationLong(seconds: number, locale: string = uiLocale): string {
	return format(seconds, locale, 'long');
}

function format(seconds: number, locale: string, style: 'narrow' | 'long'): string {
	const parts = durationParts(seconds);
	// DurationFormat leaves out units of zero, which would leave nothing at all for "0s".
	const zero = Object.values(parts).every((n) => n === 0);
	return new Intl.DurationFormat(locale, { style, ...(zero ? { secondsDisplay: 'always' as const } : {}) }).format(parts);
}
