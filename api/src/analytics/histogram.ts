// Duration distributions kept in the rollups as log-bucketed histograms (db/migrations/00060,
// analytics_bucket): bucket i holds (1.04^(i-1), 1.04^i] seconds and is read back as 2·1.04^i / 2.04,
// within RELATIVE_ERROR of every value in it. Histograms of any periods and breakdowns merge by adding
// counts, so a median or 90th percentile over any range is as exact as over one period.

/** The ratio between a bucket's upper and lower bound. */
export const GROWTH = 1.04;
/** The largest relative difference between a reported percentile and the true one: 1.96 %. */
export const RELATIVE_ERROR = (GROWTH - 1) / (GROWTH + 1);
/** The bucket of zero (and of negative durations, which the definitions clamp to zero). */
export const ZERO_BUCKET = -32768;

/** Bucket → count, as stored (jsonb object keys are the bucket numbers). */
export type StoredHistogram = Record<string, number>;

export function bucketValue(bucket: number): number {
  return bucket === ZERO_BUCKET ? 0 : (2 * GROWTH ** bucket) / (1 + GROWTH);
}

/** The lowest bucket analytics_bucket gives a positive duration (it clamps there). */
const MIN_BUCKET = -400;
/** Buckets MIN_BUCKET … MIN_BUCKET + DENSE − 1 (up to 1.04^623 s, centuries) are counted in an array. */
const DENSE = 1_024;

/**
 * Counts per bucket, merged from any number of stored histograms. A dense array over every bucket a
 * duration can reach (a map for anything beyond), so merging the thousands of histograms a year's
 * breakdown reads costs an array add per entry.
 */
export class MergedHistogram {
  private zero = 0;
  /** Allocated at the first bucket; only [lo, hi] of it has ever been touched. */
  private dense: Float64Array | null = null;
  private lo = DENSE;
  private hi = -1;
  private sparse: Map<number, number> | null = null;

  add(bucket: number, n: number): void {
    if (bucket === ZERO_BUCKET) {
      this.zero += n;
    } else if (bucket >= MIN_BUCKET && bucket < MIN_BUCKET + DENSE) {
      const i = bucket - MIN_BUCKET;
      this.dense ??= new Float64Array(DENSE);
      this.dense[i]! += n;
      if (i < this.lo) this.lo = i;
      if (i > this.hi) this.hi = i;
    } else {
      this.sparse ??= new Map();
      this.sparse.set(bucket, (this.sparse.get(bucket) ?? 0) + n);
    }
  }

  /** Adds a stored histogram ({bucket: count}). */
  addStored(stored: StoredHistogram): void {
    const keys = Object.keys(stored);
    for (let i = 0; i < keys.length; i++) this.add(+keys[i]!, stored[keys[i]!]!);
  }

  /**
   * Adds stored histograms given as Postgres prints jsonb, joined by commas — `{"-12": 3, "40": 1},{…}` —
   * read in one pass without building objects (a month's hourly series reads two thousand of them; this
   * is a few times faster than JSON.parse). Anything other than integer buckets and counts goes through
   * JSON.parse instead.
   */
  addText(joined: string): void {
    const text = joined;
    const end = text.length;
    // Parsed first into pairs, so a malformed text adds nothing before it falls back.
    const pairs: number[] = [];
    let i = 0;
    const integer = (): number | null => {
      let negative = false;
      if (text.charCodeAt(i) === 45) {
        negative = true;
        i++;
      }
      const start = i;
      let value = 0;
      for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) value = value * 10 + (c - 48);
      if (i === start || i - start > 15) return null;
      return negative ? -value : value;
    };
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 123 || c === 125 || c === 44 || c === 32) {
        i++; // { } , and spaces between entries and objects
        continue;
      }
      if (c !== 34) return this.addParsed(joined);
      i++;
      const bucket = integer();
      if (bucket === null || text.charCodeAt(i) !== 34 || text.charCodeAt(i + 1) !== 58) return this.addParsed(joined);
      i += 2;
      while (text.charCodeAt(i) === 32) i++;
      const count = integer();
      if (count === null) return this.addParsed(joined);
      pairs.push(bucket, count);
    }
    for (let p = 0; p < pairs.length; p += 2) this.add(pairs[p]!, pairs[p + 1]!);
  }

  private addParsed(joined: string): void {
    for (const stored of JSON.parse(`[${joined}]`) as StoredHistogram[]) this.addStored(stored);
  }

  /** (bucket, count) in ascending bucket order, empty buckets left out. */
  *entries(): Generator<[number, number]> {
    const beyond = [...(this.sparse ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
    let next = 0;
    if (this.zero !== 0) yield [ZERO_BUCKET, this.zero];
    for (; next < beyond.length && beyond[next]![0] < MIN_BUCKET; next++) yield beyond[next]!;
    for (let i = this.lo; i <= this.hi; i++) if (this.dense![i] !== 0) yield [i + MIN_BUCKET, this.dense![i]!];
    for (; next < beyond.length; next++) yield beyond[next]!;
  }

  /**
   * The nearest-rank percentile: the value at rank ⌈q·n⌉ (at least 1) of the n samples in ascending
   * order, as its bucket reads it. Null when there are no samples.
   */
  percentile(q: number): number | null {
    // Plain loops over the array (no generator): a year's daily series asks this of a thousand histograms.
    const beyond = this.sparse ? [...this.sparse].sort((x, y) => x[0] - y[0]) : [];
    let total = this.zero;
    for (const [, n] of beyond) total += n;
    for (let i = this.lo; i <= this.hi; i++) total += this.dense![i]!;
    if (total <= 0) return null;
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = this.zero;
    if (seen >= rank) return bucketValue(ZERO_BUCKET);
    let next = 0;
    for (; next < beyond.length && beyond[next]![0] < MIN_BUCKET; next++) if ((seen += beyond[next]![1]) >= rank) return bucketValue(beyond[next]![0]);
    for (let i = this.lo; i <= this.hi; i++) if ((seen += this.dense![i]!) >= rank) return bucketValue(i + MIN_BUCKET);
    for (; next < beyond.length; next++) if ((seen += beyond[next]![1]) >= rank) return bucketValue(beyond[next]![0]);
    return null;
  }
}

/** The nearest-rank percentile of raw samples: what `percentile` approximates (tests, benchmarks). */
export function exactPercentile(samples: readonly number[], q: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

export interface DurationStats {
  count: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
}

/** Count, median, 90th percentile and mean, in seconds, of a merged distribution. */
export function durationStats(count: number, sum: number, histogram: MergedHistogram | null): DurationStats {
  if (count <= 0) return { count: 0, median: null, p90: null, mean: null };
  return {
    count,
    median: histogram ? histogram.percentile(0.5) : null,
    p90: histogram ? histogram.percentile(0.9) : null,
    mean: sum / count,
  };
}
