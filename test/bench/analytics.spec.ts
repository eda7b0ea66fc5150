// The bench's analytics part, run at a thousandth of its size (a thousand conversations across 100
// tenants, one second per ingest turn): every dashboard query answers and agrees with the raw rows, the
// live queue is heard, and the ingest cost it prints is the one its figures give. Its timings here mean
// nothing; `pnpm bench` at full size is what docs/benchmarks.md quotes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYTICS_QUERIES } from './analytics.ts';
import { runBenchOnce, type BenchRun } from './run-once.ts';

let run: BenchRun;

const number = (text: string) => Number(text.replaceAll(',', ''));

beforeAll(async () => {
  run = await runBenchOnce({ BENCH_SECONDS: '1', BENCH_ONLY: 'analytics', BENCH_ANALYTICS_SCALE: '0.001', BENCH_ANALYTICS_RUNS: '2' });
}, 600_000);
afterAll(() => run?.cleanUp());

describe('bench analytics part (BENCH_ANALYTICS_SCALE=0.001)', () => {
  it('finishes, having written the data and built the rollups with the folder', () => {
    expect(run.code, run.stdout).toBe(0);
    expect(run.saved).toMatch(/^5\. analytics data: 1,000 conversations and 10,000 messages across 100 tenants, the largest holding 30%/m);
    expect(run.saved).toMatch(/^ +written in [\d,.]+ s .*; rollups built by the folder in [\d,.]+ s/m);
  });

  it('answers every dashboard query over both ranges, each figure equal to the raw rows', () => {
    for (const range of ['30 days', '12 months']) {
      for (const query of ANALYTICS_QUERIES) {
        if (query.grouping === 'hour' && range === '12 months') continue;
        const line = run.saved.split('\n').find((l) => l.startsWith(`   ${range.padEnd(9)} ${query.name}`));
        expect(line, `${range} ${query.name}`).toMatch(/p50 +[\d.,]+ ms +p95 +[\d.,]+ ms/);
        if (query.grouping !== 'dashboard') expect(line, `${range} ${query.name}`).toMatch(/raw rows [\d,.]+ ms .*; all [\d,]+ figures agree$/);
      }
    }
  });

  it('hears the live queue for every webhook, and prints the ingest cost its own figures give', () => {
    expect(run.saved).toMatch(/^5\. live queue: .* p99 [\d,]+ ms .*\(pushed within a second; 0 not heard within 5 s\)$/m);
    const cost = run.saved.match(/^5\. ingest cost of the rollups: ([\d,]+) msg\/s with them .* against ([\d,]+) msg\/s without = (-?[\d.]+)% less/m);
    expect(cost).not.toBeNull();
    const [, on, off, percent] = cost!;
    expect(number(percent!)).toBeCloseTo((1 - number(on!) / number(off!)) * 100, 0);
    expect(run.saved.match(/^ +round [12], rollups (on |off): [\d,]+ msg\/s through \/ingest/gm)).toHaveLength(4);
  });
});
