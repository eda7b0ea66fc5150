// A file's size as agents read it: "512 bytes", "12.4 kB", "4.8 MB". Multiples of 1024, as Meta states
// its media limits (an image of "5 MB" may have 5 × 1024 × 1024 bytes).
import { locale as uiLocale } from '#lib/i18n/i18n.ts';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

export function fileSize(bytes: number, { locale = uiLocale }: { locale?: string } = {}): string {
	const as = (value: number, unit: string, unitDisplay: 'short' | 'long' = 'short') =>
		new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay, maximumFractionDigits: 1 }).format(value);
	if (bytes < KB) return as(bytes, 'byte', 'long');
	if (bytes < MB) return as(bytes / KB, 'kilobyte');
	if (bytes < GB) return as(bytes / MB, 'megabyte');
	return as(bytes / GB, 'gigabyte');
}
