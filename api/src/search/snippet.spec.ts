import { describe, expect, it } from 'vitest';
import { contactSnippet, excerpt, findFolded, markedRanges, mergeRanges, messageSnippet } from './snippet.ts';

const S = '\u0002';
const E = '\u0003';

describe('snippet', () => {
  describe('reading ts_headline marks', () => {
    it('gives the marked words as ranges of the text', () => {
      const text = 'Quiero cancelar mi pedido 😀 ya';
      expect(markedRanges(`Quiero ${S}cancelar${E} mi ${S}pedido${E} 😀 ya`, text)).toEqual([{ start: 7, end: 15 }, { start: 19, end: 25 }]);
    });

    it('counts offsets past emoji in UTF-16 code units', () => {
      const text = '😀 pedido';
      const [range] = markedRanges(`😀 ${S}pedido${E}`, text);
      expect(text.slice(range!.start, range!.end)).toBe('pedido');
    });

    it('gives nothing when the marked text is not the text', () => {
      expect(markedRanges(`${S}otra${E} cosa`, 'Quiero cancelar')).toEqual([]);
    });

    it('merges the readings: overlapping and touching ranges become one', () => {
      expect(mergeRanges([{ start: 7, end: 15 }, { start: 0, end: 6 }, { start: 7, end: 15 }, { start: 14, end: 20 }, { start: 20, end: 22 }])).toEqual([
        { start: 0, end: 6 },
        { start: 7, end: 22 },
      ]);
    });

    it('marks what any reading found', () => {
      const text = 'Cancelled the order, quiero cancelar';
      const snippet = messageSnippet(text, [`Cancelled the order, quiero cancelar`, `Cancelled the order, quiero ${S}cancelar${E}`, `${S}Cancelled${E} the order, quiero cancelar`]);
      expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.end))).toEqual(['Cancelled', 'cancelar']);
    });
  });

  describe('cutting long texts', () => {
    it('keeps a short text whole', () => {
      expect(excerpt('corto', [{ start: 0, end: 5 }], 200)).toEqual({ text: 'corto', highlights: [{ start: 0, end: 5 }] });
    });

    it('cuts a long text around the first hit at spaces, with ellipses, and moves the ranges', () => {
      const text = `${'palabra '.repeat(40)}cancelar ${'otra '.repeat(40)}`.trim();
      const at = text.indexOf('cancelar');
      const snippet = excerpt(text, [{ start: at, end: at + 8 }], 60);
      expect(snippet.text.startsWith('…palabra')).toBe(true);
      expect(snippet.text.endsWith('otra…')).toBe(true);
      expect(snippet.text.length).toBeLessThanOrEqual(62);
      expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.end))).toEqual(['cancelar']);
    });

    it('never splits an emoji', () => {
      const text = `${'😀'.repeat(50)} cancelar ${'😀'.repeat(50)}`;
      const at = text.indexOf('cancelar');
      const snippet = excerpt(text, [{ start: at, end: at + 8 }], 41);
      expect(snippet.text).not.toMatch(/^…\uDE00|\uD83D…$/);
      expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.end))).toEqual(['cancelar']);
    });
  });

  describe('contacts', () => {
    it('finds a part of a name without case or accents and marks it in the name as written', () => {
      const name = 'Lucía Fernández';
      const hit = findFolded(name, 'FERNANDEZ');
      expect(name.slice(hit!.start, hit!.end)).toBe('Fernández');
      expect(findFolded(name, 'lucia f')).toEqual({ start: 0, end: 7 });
    });

    it('marks the digits of a phone number after its +', () => {
      expect(contactSnippet({ displayName: 'Lucía', waId: '34612345678', userId: null }, { text: '612 34', digits: '61234' })).toEqual({
        text: '+34612345678',
        highlights: [{ start: 3, end: 8 }],
      });
    });

    it('shows a name found as similar unmarked', () => {
      expect(contactSnippet({ displayName: 'Lucía Fernández', waId: null, userId: 'US.1' }, { text: 'Fernandes', digits: null })).toEqual({ text: 'Lucía Fernández', highlights: [] });
    });
  });
});
