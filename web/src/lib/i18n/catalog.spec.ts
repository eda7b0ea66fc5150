// The message catalog (web/messages/{locale}.json): every language has every message English has, no
// more, each taking the same inputs — so no string of any page falls back to English, and no message
// is shown with a placeholder left in it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { m } from '#lib/paraglide/messages.js';
import { locales } from '#lib/paraglide/runtime.js';

type Variant = { declarations: string[]; selectors: string[]; match: Record<string, string> };
type Catalog = Record<string, string | Variant[]>;

const read = (locale: string): Catalog => {
	const { $schema: _, ...messages } = JSON.parse(readFileSync(new URL(`../../../messages/${locale}.json`, import.meta.url), 'utf8')) as Catalog;
	return messages;
};

/** `{name}` placeholders of a pattern, leaving escaped braces (`\{`) out. */
const placeholders = (pattern: string) => [...pattern.matchAll(/(?<!\\)\{(\w+)\}/g)].map((x) => x[1]!);

/** The inputs a message takes: its placeholders, or a plural message's declared inputs. */
function inputs(message: string | Variant[]): string[] {
	if (typeof message === 'string') return [...new Set(placeholders(message))].sort();
	const declared = message[0]!.declarations.filter((d) => d.startsWith('input ')).map((d) => d.slice('input '.length).trim());
	return [...new Set(declared)].sort();
}

const english = read('en');

describe('the message catalog', () => {
	it('is in English, Spanish, Arabic and Hebrew', () => {
		expect([...locales].sort()).toEqual(['ar', 'en', 'es', 'he']);
	});

	for (const locale of locales.filter((l) => l !== 'en')) {
		it(`has in ${locale} every message English has, and no other`, () => {
			const catalog = read(locale);
			const missing = Object.keys(english).filter((key) => !(key in catalog));
			const extra = Object.keys(catalog).filter((key) => !(key in english));
			expect(missing).toEqual([]);
			expect(extra).toEqual([]);
		});

		it(`takes in ${locale} the inputs English takes, and uses no other`, () => {
			const catalog = read(locale);
			const differing = Object.keys(english).filter((key) => key in catalog && inputs(catalog[key]!).join() !== inputs(english[key]!).join());
			expect(differing).toEqual([]);
			for (const [key, message] of Object.entries(catalog)) {
				if (typeof message === 'string') continue;
				const declared = new Set(inputs(message));
				for (const pattern of Object.values(message[0]!.match)) for (const name of placeholders(pattern)) expect(declared, `${locale} ${key}`).toContain(name);
				// The catch-all comes last, so every number has words.
				expect(Object.keys(message[0]!.match).at(-1), `${locale} ${key}`).toMatch(/=\*$/);
			}
		});
	}

	it('words plurals by each language’s rules', () => {
		expect(m.message_itemCount({ count: 1 }, { locale: 'en' })).toBe('1 item');
		expect(m.message_itemCount({ count: 2 }, { locale: 'en' })).toBe('2 items');
		// Arabic has a form for two, another for three to ten, another for eleven and up.
		const arabic = [2, 3, 11].map((count) => m.message_itemCount({ count }, { locale: 'ar' }));
		expect(new Set(arabic).size).toBe(3);
		// Hebrew has its own form for two.
		expect(m.message_itemCount({ count: 2 }, { locale: 'he' })).not.toBe(m.message_itemCount({ count: 3 }, { locale: 'he' }).replace('3', '2'));
	});
});
