// The dashboard's language: the messages themselves are compiled from web/messages/{locale}.json by
// Paraglide (import { m } from '#lib/paraglide/messages.js'); this module holds what goes with them —
// the locale Intl formats in, the writing direction, the languages offered and switching between them.
import { getLocale, getTextDirection, isLocale, locales, setLocale, type Locale } from '#lib/paraglide/runtime.js';

export type { Locale };
export { locales };

/** The page's language, fixed for the life of the page: choosing another reloads it. */
export const locale: Locale = getLocale();
export const direction: 'ltr' | 'rtl' = getTextDirection(locale);

/** The languages the picker offers, each named in itself (not in the current language). */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español', ar: 'العربية', he: 'עברית' };

/** User.language (the API's enum) for a locale, and back. */
export const toApiLanguage = (l: Locale) => l.toUpperCase() as Uppercase<Locale>;
export const fromApiLanguage = (language: string | null | undefined): Locale | null => {
	const l = language?.toLowerCase();
	return l && isLocale(l) ? l : null;
};

/**
 * Shows the dashboard in `next`: remembers it in the cookie (for the sign-in page too) and reloads, so
 * every string and format on the page is in the one language.
 */
export function switchLocale(next: Locale): void {
	if (next !== locale) setLocale(next);
}
