import { describe, expect, it } from 'vitest';
import { sectionOf, sectionsFor } from './sections.ts';

describe('settings sections', () => {
	it('offers each role only what it may use', () => {
		expect(sectionsFor('AGENT')).toEqual([]);
		expect(sectionsFor('MANAGER').map((s) => s.key)).toEqual(['departments', 'numbers', 'templates', 'labels', 'canned']);
		expect(sectionsFor('ADMIN').map((s) => s.key)).toEqual(['account', 'people', 'departments', 'numbers', 'templates', 'labels', 'canned', 'apiKeys']);
		expect(sectionsFor(undefined)).toEqual([]);
	});

	it('finds the section of a path, and none for others', () => {
		expect(sectionOf('/settings/labels')?.key).toBe('labels');
		expect(sectionOf('/settings/canned-responses')?.key).toBe('canned');
		expect(sectionOf('/settings/labelsx')).toBeUndefined();
		expect(sectionOf('/settings')).toBeUndefined();
	});
});
