import { describe, expect, it } from 'vitest';
import { pick, pickWeighted, randomInt, seededRandom } from './seeded-random.ts';

describe('seededRandom', () => {
  it('repeats the same stream for the same seed and differs across seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
  });

  it('stays within [0, 1)', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('picks integers inclusively, items, and weighted keys roughly in proportion', () => {
    const random = seededRandom(11);
    const ints = new Set(Array.from({ length: 500 }, () => randomInt(random, 1, 3)));
    expect([...ints].sort()).toEqual([1, 2, 3]);
    expect(['x', 'y']).toContain(pick(random, ['x', 'y']));
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) counts[pickWeighted(random, { a: 9, b: 1 })]++;
    expect(counts.a / 10_000).toBeGreaterThan(0.85);
    expect(counts.a / 10_000).toBeLessThan(0.95);
  });
});
