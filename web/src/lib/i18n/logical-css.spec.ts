// Arabic and Hebrew lay the page out right to left by flipping <html dir>, which only works when the
// styles say start and end, not left and right. This fails on a physical property or value in any
// stylesheet or component style block.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : files(path);
		return /\.(svelte|css)$/.test(entry.name) ? [path] : [];
	});
}

/** The CSS of a file: a stylesheet whole, a component's <style> blocks. */
function styles(path: string): string {
	const text = readFileSync(path, 'utf8');
	if (path.endsWith('.css')) return text;
	return [...text.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((match) => match[1]).join('\n');
}

const PHYSICAL = [
	/(?:^|[\s;{])(?:margin|padding|border)-(?:left|right)(?:-\w+)?\s*:/,
	/(?:^|[\s;{])(?:left|right)\s*:/,
	/(?:^|[\s;{])(?:text-align|float|clear)\s*:\s*(?:left|right)\b/,
	/border-(?:top|bottom)-(?:left|right)-radius\s*:/
];

describe('styles', () => {
	it('use logical properties, so right-to-left languages mirror the layout', () => {
		const found: string[] = [];
		for (const path of files(SRC)) {
			styles(path)
				.split('\n')
				.forEach((line) => {
					if (PHYSICAL.some((pattern) => pattern.test(line))) found.push(`${relative(SRC, path)}: ${line.trim()}`);
				});
		}
		expect(found).toEqual([]);
	});

	it('are read from every component (the check is not looking at nothing)', () => {
		const all = files(SRC);
		expect(all.length).toBeGreaterThan(20);
		expect(all.filter((path) => /margin-inline|padding-inline|inset-inline/.test(styles(path))).length).toBeGreaterThan(5);
	});
});
