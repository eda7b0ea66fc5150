import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { machineFacts, recordOutput, saveResults, type OutputRecord } from './results.ts';

let record: OutputRecord | undefined;
let dir: string | undefined;
afterEach(async () => {
  record?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('results: a run’s output saved whole', () => {
  it('records what this process prints and what a child writes to stderr through it', async () => {
    record = recordOutput();
    process.stdout.write('2. ingest    5,885 msg/s\n');
    const child = spawn(process.execPath, ['-e', 'process.stderr.write("api: a warning\\n")'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.pipe(process.stderr, { end: false });
    await new Promise((r) => child.once('close', r));
    record.stop();
    process.stdout.write('after the record stopped\n');
    expect(record.text()).toBe('2. ingest    5,885 msg/s\napi: a warning\n');
  });

  it('saves the text to <dir>/<date-time>.txt, without terminal colour codes', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bench-results-'));
    const saved = await saveResults(path.join(dir, 'bench', 'results'), new Date('2026-12-04T18:22:02.975Z'), '\u001b[33m▲ warning\u001b[0m\n4. outbound  557 msg/s\n');
    expect(saved).toBe(path.join(dir, 'bench', 'results', '2026-12-04T18-22-02Z.txt'));
    expect(await readFile(saved, 'utf8')).toBe('▲ warning\n4. outbound  557 msg/s\n');
  });

  it('heads a run with the machine, the software, how busy the machine already was, and the settings', async () => {
    const facts = await machineFacts({
      root: process.cwd(),
      startedAt: new Date('2026-12-04T18:22:02.975Z'),
      postgresVersion: '18.4',
      busyBefore: 0.12,
      settings: { BENCH_SECONDS: '15', BENCH_ONLY: undefined },
    });
    const lines = facts.split('\n');
    expect(lines[0]).toMatch(/^run: {7}2026-12-04T18:22:02\.975Z, commit [0-9a-f]{12}( with uncommitted changes)?$/);
    expect(lines[1]).toContain(`machine:   ${cpus().length} cores (`);
    expect(lines[2]).toBe(`software:  Node ${process.versions.node}, Postgres 18.4`);
    expect(lines[3]).toMatch(new RegExp(`^quiet\\? {5}before the bench started anything the machine was busy 0\\.12 of ${cpus().length} cores; load average [\\d.]+ [\\d.]+ [\\d.]+$`));
    expect(lines[4]).toBe('settings:  BENCH_SECONDS=15 BENCH_ONLY=(unset)');
  });
});

describe('docs/benchmarks.md', () => {
  const root = path.join(import.meta.dirname, '..', '..');
  const read = (file: string) => readFile(path.join(root, file), 'utf8');

  it('quotes the committed run it names whole, and every figure line it quotes from another run as that run printed it', async () => {
    const doc = await read('docs/benchmarks.md');
    const latest = doc.slice(doc.indexOf('## The latest run'), doc.indexOf('## What the figures say'));
    const named = [...latest.matchAll(/`(bench\/results\/[^`]+\.txt)`/g)].map((m) => m[1]!);
    expect(named.length).toBe(3);
    const [whole, ...others] = named;
    expect(doc).toContain((await read(whole!)).trimEnd());
    for (const file of others) {
      const printed = (await read(file)).split('\n');
      const figures = printed.filter((line) => /^[1-4]\. /.test(line));
      expect(figures.length).toBeGreaterThan(0);
      for (const line of figures) expect(latest).toContain(line);
    }
  });

  it('quotes the analytics run it names whole, at the issue’s full size', async () => {
    const doc = await read('docs/benchmarks.md');
    const section = doc.slice(doc.indexOf('## Analytics: the latest run'), doc.indexOf('## What the analytics figures say'));
    const named = [...section.matchAll(/`(bench\/results\/[^`]+\.txt)`/g)].map((m) => m[1]!);
    expect(named).toHaveLength(1);
    const text = await read(named[0]!);
    expect(text).toMatch(/^5\. analytics data: 1,000,000 conversations and 10,000,000 messages across 100 tenants, the largest holding 30%/m);
    expect(section).toContain(text.trimEnd());
  });

  it('quotes the dashboard run it names whole', async () => {
    const doc = await read('docs/benchmarks.md');
    const section = doc.slice(doc.indexOf('## Dashboard: the latest run'), doc.indexOf('## What the dashboard figures say'));
    const named = [...section.matchAll(/`(bench\/results\/[^`]+\.txt)`/g)].map((m) => m[1]!);
    expect(named).toHaveLength(1);
    const text = await read(named[0]!);
    expect(text).toMatch(/^6\. dashboard inbox route's JavaScript: [\d.]+ KB gzipped/m);
    expect(section).toContain(text.trimEnd());
  });
});
