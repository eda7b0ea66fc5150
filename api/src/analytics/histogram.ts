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

/** Adds `from` into `into` (a Map for speed when merging thousands of rows). */
export function mergeHistogram(into: Map<number, number>, from: StoredHistogram | null | undefined): Map<number, number> {
  if (!from) return into;
  for (const key in from) {
    const bucket = Number(key);
    into.set(bucket, (into.get(bucket) ?? 0) + from[key]!);
  }
  return into;
}

/**
 * The nearest-rank percentile: the value at rank ⌈q·n⌉ (at least 1) of the n samples in ascending order,
 * as its bucket reads it. Null when there are no samples.
 */
export function percentile(histogram: Map<number, number>, q: number): number | null {
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return bucketValue(bucket);
  }
  return null;
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
export function durationStats(count: number, sum: number, histogram: Map<number, number> | null): DurationStats {
  if (count <= 0) return { count: 0, median: null, p90: null, mean: null };
  return {
    count,
    median: histogram ? percentile(histogram, 0.5) : null,
    p90: histogram ? percentile(histogram, 0.9) : null,
    mean: sum / count,
  };
}
