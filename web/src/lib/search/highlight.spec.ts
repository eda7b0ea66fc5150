import { describe, expect, it } from 'vitest';
import { snippetParts } from './highlight.ts';

describe('snippetParts', () => {
	it('cuts the text at the marked ranges', () => {
		expect(snippetParts({ text: 'Quiero cancelar mi pedido', highlights: [{ start: 7, end: 15 }, { start: 19, end: 25 }] })).toEqual([
			{ text: 'Quiero ', marked: false },
			{ text: 'cancelar', marked: true },
			{ text: ' mi ', marked: false },
			{ text: 'pedido', marked: true }
		]);
	});

	it('keeps markup as text', () => {
		expect(snippetParts({ text: '<b>hola</b>', highlights: [{ start: 3, end: 7 }] }).map((p) => p.text).join('')).toBe('<b>hola</b>');
	});

	it('shows unmarked text when there are no ranges, and ignores ranges it cannot place', () => {
		expect(snippetParts({ text: 'hola', highlights: [] })).toEqual([{ text: 'hola', marked: false }]);
		expect(snippetParts({ text: 'hola', highlights: [{ start: 2, end: 2 }, { start: 9, end: 12 }, { start: 1, end: 3 }, { start: 2, end: 4 }] })).toEqual([
			{ text: 'h', marked: false },
			{ text: 'ol', marked: true },
			{ text: 'a', marked: true }
		]);
	});
});
