import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';

describe('cursor', () => {
  it('round-trips a keyset position', () => {
    const at = new Date('2026-05-08T09:43:20.123Z');
    const id = '3f2b1c9e-0a4d-4e6f-8b7a-1c2d3e4f5a6b';
    expect(decodeCursor(encodeCursor(at, id))).toEqual({ at, id });
  });

  it('rejects anything else as an invalid cursor', () => {
    for (const bad of ['x', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["2026-01-01","; drop"]').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow('Invalid cursor');
    }
  });

  it('treats no cursor as the start', () => {
    expect(decodeCursor(undefined)).toBeNull();
  });
});
