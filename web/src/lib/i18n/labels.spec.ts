import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { m } from '#lib/paraglide/messages.js';
import { GROUPS, labelOf, problems, roles } from './labels.ts';

const catalog = m as unknown as Record<string, unknown>;

describe('the tables of messages chosen at run time', () => {
	it.each(Object.entries(GROUPS))('%s holds the catalog’s own messages, all of its prefix where it stands for the whole group', (_, { table, prefix, whole }) => {
		for (const [member, message] of Object.entries(table)) expect(message, `${prefix}${member}`).toBe(catalog[`${prefix}${member}`]);
		if (!whole) return;
		const inCatalog = Object.keys(catalog).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
		expect(Object.keys(table).sort()).toEqual(inCatalog.sort());
	});

	it('labelOf answers a known key with its words and an unknown one with nothing', () => {
		expect(labelOf(roles, 'ADMIN')).toBe('Admin');
		expect(labelOf(problems, 'NOT_FOUND')).toBe(m.problems_NOT_FOUND());
		expect(labelOf(roles, 'OPERATOR')).toBeUndefined();
		expect(labelOf(roles, 'toString')).toBeUndefined();
	});
});

describe('the dashboard’s code', () => {
	it('never looks a message up by a computed key, which would put the whole catalog in every page’s JavaScript', async () => {
		const root = new URL('../../', import.meta.url);
		const files = (await readdir(root, { recursive: true })).filter(
			(file) => /\.(ts|svelte)$/.test(file) && !file.endsWith('.spec.ts') && !file.startsWith('lib/paraglide/')
		);
		expect(files.length).toBeGreaterThan(100);
		const offenders: string[] = [];
		for (const file of files) {
			const text = await readFile(new URL(file, root), 'utf8');
			if (/\bm\s*\[|\(m as\b|Object\.(keys|values|entries)\(m\)/.test(text)) offenders.push(file);
		}
		expect(offenders).toEqual([]);
	});
});
