import { describe, expect, it } from 'vitest';
import { metaStringify } from './meta-json.ts';

describe('metaStringify', () => {
  describe('escaping like Meta', () => {
    it('escapes accents as lowercase \\u00XX', () => {
      expect(metaStringify({ name: 'Lucía Müller' })).toBe('{"name":"Luc\\u00eda M\\u00fcller"}');
    });

    it('escapes Arabic and Hebrew letter by letter', () => {
      expect(metaStringify('مرحبا')).toBe('"\\u0645\\u0631\\u062d\\u0628\\u0627"');
      expect(metaStringify('שלום')).toBe('"\\u05e9\\u05dc\\u05d5\\u05dd"');
    });

    it('escapes emoji as UTF-16 surrogate pairs in lowercase hex', () => {
      expect(metaStringify({ emoji: '😮' })).toBe('{"emoji":"\\ud83d\\ude2e"}');
      expect(metaStringify('👍🏽❤️')).toBe('"\\ud83d\\udc4d\\ud83c\\udffd\\u2764\\ufe0f"');
    });

    it('escapes forward slashes', () => {
      expect(metaStringify({ url: 'https://example.com/a/b' })).toBe('{"url":"https:\\/\\/example.com\\/a\\/b"}');
    });

    it('keeps a literal backslash before a slash distinguishable', () => {
      expect(metaStringify('a\\/b')).toBe('"a\\\\\\/b"');
      expect(JSON.parse(metaStringify('a\\/b'))).toBe('a\\/b');
    });

    it('writes no whitespace between tokens and keeps key order', () => {
      expect(metaStringify({ b: [1, { c: true }], a: null })).toBe('{"b":[1,{"c":true}],"a":null}');
    });

    it('produces ASCII-only output', () => {
      expect(metaStringify({ t: 'नमस्ते 🙏 — ¿qué?' })).toMatch(/^[\x20-\x7e]*$/);
    });
  });

  describe('round trip', () => {
    it('parses back to the same value', () => {
      const value = {
        ar: 'تم خصم المبلغ مرتين',
        he: 'חויבתי פעמיים',
        emoji: '😮🙏👍🏽❤️',
        accents: 'Ça coûte très cher, señor',
        url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1',
        control: 'line1\nline2\t"quoted"',
        nested: [{ n: 37.453, ok: false }],
      };
      expect(JSON.parse(metaStringify(value))).toEqual(value);
    });
  });

  it('rejects values JSON cannot represent', () => {
    expect(() => metaStringify(undefined)).toThrow(TypeError);
  });
});
