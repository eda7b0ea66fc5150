import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';
import { createWamidGenerator, wamidFromParts } from './wamid.ts';

describe('wamid', () => {
  it("reproduces the structure of Meta's published example", () => {
    expect(wamidFromParts({ counterpart: '16503879439', direction: 'inbound', hex: '3AADF8441347E8571C10' })).toBe(
      'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
    );
    expect(wamidFromParts({ counterpart: '16467043595', direction: 'outbound', hex: '5F425A74F13033492A' })).toBe(
      'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA',
    );
  });

  it('generates unique ids that start with wamid.HBg', () => {
    const next = createWamidGenerator(seededRandom(1));
    const ids = Array.from({ length: 5_000 }, () => next('16505551234'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^wamid\.HBgL[A-Za-z0-9+/]+=*$/);
  });

  it('is deterministic for a seed', () => {
    const a = createWamidGenerator(seededRandom(42));
    const b = createWamidGenerator(seededRandom(42));
    expect([a('1'), a('2')]).toEqual([b('1'), b('2')]);
  });
});
