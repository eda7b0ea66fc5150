// Small load-generation helpers for the benchmarks: latency percentiles and paced or closed-loop drivers.

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarise(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

/** Runs `task` from `concurrency` workers until `durationMs` has passed; returns per-call latencies. */
export async function closedLoop(concurrency: number, durationMs: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const end = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
          latencies.push(performance.now() - t0);
        } catch {
          failures++;
        }
      }
    }),
  );
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

/** Starts `task` at a steady `ratePerSecond` for `durationMs`, whatever earlier calls are doing. */
export async function openLoop(ratePerSecond: number, durationMs: number, task: (i: number) => Promise<void>) {
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  const interval = 1000 / ratePerSecond;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let failures = 0;
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(task(i).catch(() => void failures++));
  }
  await Promise.all(pending);
  return { sent: total, failures, seconds: (performance.now() - started) / 1000 };
}
