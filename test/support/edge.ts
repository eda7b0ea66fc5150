// The real Worker under `wrangler dev` (workerd with local Queues and R2), as journeys need it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchboard/db/embedded';
import { waitForHttp } from './wait-for-http.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const META_APP_SECRET = 'test-meta-app-secret';
export const META_VERIFY_TOKEN = 'test-verify-token';
export const DEFAULT_INGEST_SECRET = 'test-ingest-secret';

export interface RunningEdge {
  url: string;
  /** The edge's root process: wrangler (its workerd runtimes are its children), or the workerd Miniflare runs. */
  pid: number;
  stop(): Promise<void>;
}

export interface EdgeOptions {
  apiUrl: string;
  vars?: Record<string, string>;
  ingestSecret?: string;
  appSecret?: string;
}

export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  // A free port can be taken by a parallel spec between our probe and wrangler's bind; try afresh.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEdgeOnce(options);
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startEdgeOnce({ apiUrl, vars = {}, ingestSecret = DEFAULT_INGEST_SECRET, appSecret = META_APP_SECRET }: EdgeOptions): Promise<RunningEdge> {
  const port = await freePort();
  const inspector = await freePort();
  const persist = await mkdtemp(path.join(tmpdir(), 'switchboard-wrangler-'));
  const allVars = { API_URL: apiUrl, RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '2', ...vars };
  const child = spawn(
    path.join(root, 'edge', 'node_modules', '.bin', 'wrangler'),
    [
      'dev', '--config', 'wrangler.toml', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspector),
      '--persist-to', persist, '--log-level', 'warn',
      ...Object.entries(allVars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ],
    {
      cwd: root,
      env: { ...process.env, META_APP_SECRET: appSecret, META_VERIFY_TOKEN, INGEST_SECRET: ingestSecret, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, { ok: (status) => status === 200, alive: () => child.exitCode === null });
  } catch (error) {
    await rm(persist, { recursive: true, force: true });
    throw new Error(`wrangler dev did not start (${(error as Error).message}): ${output.slice(-2000)}`);
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      await rm(persist, { recursive: true, force: true });
    },
  };
}
