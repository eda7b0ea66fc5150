// The bench's analytics part, run at a thousandth of its size (a thousand conversations across 100
// tenants, one second per ingest turn): every dashboard query answers and agrees with the raw rows, the
// live queue is heard, and the ingest cost it prints is the one its figures give. Its timings here mean
// nothing; `pnpm bench` at full size is what docs/benchmarks.md quotes.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYTICS_QUERIES } from './analytics.ts';

let dir: string;
let run: { code: number | null; stdout: string; saved: string };

const number = (text: string) => Number(text.replaceAll(',', ''));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bench-analytics-'));
  const child = spawn(process.execPath, ['bench/run.ts'], {
    cwd: path.join(import.meta.dirname, '..'),
    env: { ...process.env, BENCH_SECONDS: '1', BENCH_ONLY: 'analytics', BENCH_ANALYTICS_SCALE: '0.001', BENCH_ANALYTICS_RUNS: '2', BENCH_RESULTS_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stdout += d));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  const files = await readdir(dir);
  run = { code, stdout: stripVTControlCharacters(stdout), saved: files.length === 1 ? await readFile(path.join(dir, files[0]!), 'utf8') : `files: ${files.join(', ')}` };
}, 600_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

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
