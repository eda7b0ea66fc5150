// A bench run's record: everything the run prints (its own lines, and what its api and sandbox
// processes write to stderr, piped through this process) with the facts of the machine it ran on,
// saved whole to bench/results/<date-time>.txt at the repository root. docs/benchmarks.md quotes such
// a file verbatim, so a figure in the docs can be traced to the run and machine it came from.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, release, totalmem, type as osType, arch } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify, stripVTControlCharacters } from 'node:util';
import { machineBusyTicks, TICKS_PER_SECOND } from '../support/processes.ts';

export interface OutputRecord {
  /** Everything written to stdout and stderr since the record started, in order. */
  text(): string;
  /** Stops copying; what was written stays in the record. */
  stop(): void;
}

/** Copies every write to this process's stdout and stderr into a record, still writing them through. */
export function recordOutput(): OutputRecord {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (originals[i] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  return {
    text: () => chunks.join(''),
    stop() {
      streams.forEach((stream, i) => void (stream.write = originals[i] as typeof stream.write));
    },
  };
}

/** Cores the whole machine keeps busy over `ms`: what else is running, measured before the bench starts anything. */
export async function machineBusyCores(ms = 2_000): Promise<number> {
  const before = machineBusyTicks();
  const t0 = performance.now();
  await sleep(ms);
  return (machineBusyTicks() - before) / TICKS_PER_SECOND / ((performance.now() - t0) / 1000);
}

async function git(root: string, args: string[]): Promise<string> {
  try {
    return (await promisify(execFile)('git', args, { cwd: root })).stdout.trim();
  } catch {
    return 'unknown';
  }
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

/** The lines that say what the figures were measured on and with, printed at the head of every run. */
export async function machineFacts({ root, startedAt, postgresVersion, busyBefore, settings }: {
  root: string;
  startedAt: Date;
  postgresVersion: string;
  busyBefore: number;
  settings: Record<string, string | undefined>;
}): Promise<string> {
  const commit = await git(root, ['rev-parse', '--short=12', 'HEAD']);
  const dirty = (await git(root, ['status', '--porcelain', '--untracked-files=no'])) !== '';
  const cpu = cpus();
  return [
    `run:       ${startedAt.toISOString()}, commit ${commit}${dirty ? ' with uncommitted changes' : ''}`,
    `machine:   ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${gib(totalmem())} memory (${gib(freemem())} free), ${osType()} ${release()} ${arch()}`,
    `software:  Node ${process.versions.node}, Postgres ${postgresVersion}`,
    `quiet?     before the bench started anything the machine was busy ${busyBefore.toFixed(2)} of ${cpu.length} cores; load average ${load()}`,
    `settings:  ${Object.entries(settings)
      .map(([name, value]) => `${name}=${value ?? '(unset)'}`)
      .join(' ')}`,
  ].join('\n');
}

export function closingFacts(startedAt: Date): string {
  return `finished:  ${new Date().toISOString()} after ${((Date.now() - startedAt.getTime()) / 60_000).toFixed(1)} min; load average ${load()}`;
}

/**
 * `<dir>/<date-time>.txt` (the start time in UTC, colons as dashes; dir is bench/results at the root
 * unless BENCH_RESULTS_DIR says otherwise); returns the file's path. Terminal colour codes are left out:
 * the file is read as text and quoted in the docs.
 */
export async function saveResults(dir: string, startedAt: Date, text: string): Promise<string> {
  const file = path.join(dir, `${startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}.txt`);
  await mkdir(dir, { recursive: true });
  await writeFile(file, stripVTControlCharacters(text));
  return file;
}
