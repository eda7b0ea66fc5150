import { describe, expect, it } from 'vitest';
import { bucketValue, exactPercentile, MergedHistogram, RELATIVE_ERROR, ZERO_BUCKET, type StoredHistogram } from './histogram.ts';

/** analytics_bucket (db/migrations/00060), for building histograms here as Postgres stores them. */
function bucket(seconds: number): number {
  return seconds <= 0 ? ZERO_BUCKET : Math.max(Math.ceil(Math.log(seconds) / Math.log(1.04)), -400);
}

describe('MergedHistogram', () => {
  it('reads nearest-rank percentiles within the stated error, across histograms merged in any order', () => {
    const samples = [0, 0, 0.004, 1, 2.5, 30, 31, 59, 600, 3_600, 86_400, 86_400 * 400, 1e12];
    // Three stored histograms, as three rollup rows would hold them.
    const stored = [samples.slice(0, 4), samples.slice(4, 9), samples.slice(9)].map((part) => {
      const h: Record<string, number> = {};
      for (const s of part) h[bucket(s)] = (h[bucket(s)] ?? 0) + 1;
      return h;
    });
    for (const order of [[0, 1, 2], [2, 0, 1]]) {
      const merged = new MergedHistogram();
      for (const i of order) merged.addStored(stored[i]!);
      for (const q of [0.1, 0.5, 0.9, 1]) {
        const exact = exactPercentile(samples, q)!;
        const read = merged.percentile(q)!;
        if (exact === 0) expect(read).toBe(0);
        else expect(Math.abs(read - exact) / exact).toBeLessThanOrEqual(RELATIVE_ERROR);
      }
    }
  });

  it('takes counts back out: a bucket brought to zero holds nothing', () => {
    const merged = new MergedHistogram();
    merged.addStored({ '10': 2, '20': 1 });
    merged.addStored({ '10': -2 });
    expect([...merged.entries()]).toEqual([[20, 1]]);
    expect(merged.percentile(0.5)).toBe(bucketValue(20));
  });

  it('reads histograms as Postgres prints them, joined by commas, the same as parsed ones', () => {
    const stored: StoredHistogram[] = [{ '-32768': 2, '-3': 1, '17': 4 }, { '17': -1, '250': 12 }, {}, { '9000': 1 }];
    // jsonb's text: keys in its own order, a space after each colon and comma.
    const text = stored.map((h) => JSON.stringify(h).replaceAll(':', ': ').replaceAll(',"', ', "')).join(',');
    const scanned = new MergedHistogram();
    scanned.addText(text);
    const parsed = new MergedHistogram();
    for (const h of stored) parsed.addStored(h);
    expect([...scanned.entries()]).toEqual([...parsed.entries()]);
    expect([...scanned.entries()]).toEqual([[ZERO_BUCKET, 2], [-3, 1], [17, 3], [250, 12], [9000, 1]]);
  });

  it('falls back to JSON for anything but integers, adding nothing twice', () => {
    const h = new MergedHistogram();
    h.addText('{"5": 2},{"7": 1.5e0}');
    expect([...h.entries()]).toEqual([[5, 2], [7, 1.5]]);
    expect(() => new MergedHistogram().addText('{"5": 2},{oops}')).toThrow(SyntaxError);
  });

  it('has no percentile without samples', () => {
    expect(new MergedHistogram().percentile(0.5)).toBeNull();
  });
});
