// The bench itself, run briefly (one second per phase) through ingest, outbound and the dashboard: the
// figures it prints compare like with like, and what it prints is what it saves. Its figures here mean
// nothing, except that the dashboard's DOM stays bounded while a conversation is scrolled back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchOnce, type BenchRun } from './run-once.ts';

let run: BenchRun;

const number = (text: string) => Number(text.replaceAll(',', ''));

beforeAll(async () => {
  run = await runBenchOnce({ BENCH_SECONDS: '1', BENCH_ONLY: 'ingest,outbound,dashboard', SANDBOX_SEND_LATENCY_MS: '150-300', BENCH_DASHBOARD_RUNS: '2' });
}, 600_000);
afterAll(() => run?.cleanUp());

describe('bench run (BENCH_SECONDS=1 BENCH_ONLY=ingest,outbound,dashboard)', () => {
  it('finishes and saves what it printed, whole, headed by the machine’s facts', () => {
    expect(run.code, run.stdout).toBe(0);
    // Everything but the last line, which names the file.
    expect(run.saved.length).toBeGreaterThan(0);
    expect(run.stdout.startsWith(run.saved)).toBe(true);
    expect(run.stdout.slice(run.saved.length)).toMatch(/^saved to .+\.txt\n$/);
    for (const label of ['run:', 'machine:', 'software:', 'quiet?', 'settings:', 'finished:']) expect(run.saved).toMatch(new RegExp(`^${label.replace('?', '\\?')} `, 'm'));
  });

  it('gives the ingest ratio against raw inserts of the message rows alone, measured with the same api processes running and no jobs open', () => {
    const ingest = [...run.saved.matchAll(/^2\. ingest +([\d,.]+) msg\/s through \/ingest = ([\d.]+)% of raw inserts of the message rows alone \(([\d,]+)\/s\)/gm)];
    expect(ingest).toHaveLength(2);
    for (const [, rate, percent, raw] of ingest) expect(number(percent!)).toBeCloseTo((number(rate!) / number(raw!)) * 100, 0);
    const conditions = [...run.saved.matchAll(/^ +raw inserts: .* while (\d) api process(?:es)? ran idle with (\d+) jobs open$/gm)].map((m) => [m[1], m[2]]);
    expect(conditions).toEqual([
      ['1', '0'],
      ['2', '0'],
    ]);
    expect(run.saved.match(/^ +cores while inserting raw: postgres [\d.]+, api [\d.]+, edge \(wrangler dev\) [\d.]+, edge \(workerd\) [\d.]+, sandbox [\d.]+, bench [\d.]+; rest of machine [\d.]+$/gm)).toHaveLength(2);
  });

  it('heads outbound with the run where status webhooks flow back, against Meta-like send latency, and says what held it back', () => {
    const outbound = [...run.saved.matchAll(/^4\. outbound +[\d,]+ msg\/s (.*?) {3}\(target/gm)].map((m) => m[1]);
    expect(outbound).toEqual(['with status webhooks flowing back (the headline: as production runs)', 'without status webhooks (the sender alone, for comparison)']);
    expect(run.saved.match(/each send answered in 150-300 ms/g)).toHaveLength(2);
    // The headline's statuses have all landed (or it says they have not) before the comparison run starts.
    expect(run.saved).toMatch(/our rows: \{.*\} — (all read [\d.]+ s|not all read 180 s) after the last send\n/);
    expect(run.saved.match(/^ +ceilings: \d+ sends in flight ÷ 225 ms per answer = [\d,]+ msg\/s; 50 numbers × 80\/s = 4,000 msg\/s; \d+ cores, [\d.]+ busy; [\d,]+ sends waiting on Meta on average$/gm)).toHaveLength(2);
    expect(run.saved.match(/^ +held back by: .+$/gm)).toHaveLength(2);
  });

  it("measures the dashboard's budgets in Chromium, and scrolling back 50 pages keeps the DOM bounded", () => {
    const js = /^6\. dashboard inbox route's JavaScript: ([\d.]+) KB gzipped \(level 9; ([\d.]+) KB at level 6\), ([\d,.]+) KB raw in (\d+) files/m.exec(run.saved);
    expect(js, run.saved).not.toBeNull();
    expect(number(js![1]!)).toBeGreaterThan(10);
    expect(number(js![3]!)).toBeGreaterThan(number(js![1]!));
    expect(run.saved).toMatch(/first inbox render, 1,000 conversations, navigation start → first frame with rows: cold p50 [\d,]+ ms, max [\d,]+ ms of 2; warm p50 [\d,]+ ms, max [\d,]+ ms of 2/);
    expect(run.saved).toMatch(/opening the 10,000-message conversation from the inbox, click → first frame with its newest message: p50 [\d,]+ ms, max [\d,]+ ms of 2/);
    const scroll = /scrolling back 50 pages \(([\d,]+) messages loaded\): message bubbles in the DOM (\d+)–(\d+), DOM elements ([\d,]+)–([\d,]+)/.exec(run.saved);
    expect(scroll, run.saved).not.toBeNull();
    expect(number(scroll![1]!)).toBeGreaterThanOrEqual(1_500);
    expect(number(scroll![2]!)).toBeGreaterThan(0);
    expect(number(scroll![3]!)).toBeLessThan(100);
  });
});
