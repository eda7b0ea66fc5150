// Runs `node bench/run.ts` once with `env` added, into a results directory of its own: what it printed
// (stdout and stderr, colours stripped), its exit code, and the one file it saved. For the bench's own tests.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export interface BenchRun {
  code: number | null;
  stdout: string;
  saved: string;
  /** Deletes the results directory. */
  cleanUp(): Promise<void>;
}

export async function runBenchOnce(env: Record<string, string>): Promise<BenchRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-run-'));
  const child = spawn(process.execPath, ['bench/run.ts'], {
    cwd: path.join(import.meta.dirname, '..'),
    env: { ...process.env, ...env, BENCH_RESULTS_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stdout += d));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  const files = await readdir(dir);
  const saved = files.length === 1 ? await readFile(path.join(dir, files[0]!), 'utf8') : `files: ${files.join(', ')}`;
  return { code, stdout: stripVTControlCharacters(stdout), saved, cleanUp: () => rm(dir, { recursive: true, force: true }) };
}
