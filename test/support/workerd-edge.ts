// The same Worker, bundled by wrangler and run in workerd by Miniflare directly, without the
// `wrangler dev` tooling in front of it. Bindings come from wrangler.toml.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { convertV4MiniflareOptions, Miniflare, NoOpLog } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { freePort } from '@switchboard/db/embedded';
import { childrenNamed } from './processes.ts';
import type { EdgeOptions, RunningEdge } from './edge.ts';
import { DEFAULT_INGEST_SECRET, META_APP_SECRET, META_VERIFY_TOKEN } from './edge.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let starting: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const next = starting.then(run, run);
  starting = next.catch(() => {});
  return next;
}

export async function startWorkerdEdge({ apiUrl, vars = {}, ingestSecret = DEFAULT_INGEST_SECRET, appSecret = META_APP_SECRET }: EdgeOptions): Promise<RunningEdge> {
  const outdir = await mkdtemp(path.join(tmpdir(), 'switchboard-edge-bundle-'));
  await promisify(execFile)(path.join(root, 'edge', 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outdir, '--config', 'wrangler.toml'], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
  });
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, 'wrangler.toml'));
  // The bundle is one module: wrangler's module rules and root (which Miniflare 5 cannot convert) are moot.
  const { modulesRules: _rules, rootPath: _root, ...options } = workerOptions as { modulesRules?: unknown; rootPath?: unknown };
  const worker = {
    ...options,
    name: 'switchboard-edge',
    modules: [{ type: 'ESModule', path: path.join(outdir, 'index.js') }],
    modulesRoot: outdir,
    bindings: {
      ...((workerOptions as { bindings?: Record<string, unknown> }).bindings ?? {}),
      API_URL: apiUrl,
      META_APP_SECRET: appSecret,
      META_VERIFY_TOKEN,
      INGEST_SECRET: ingestSecret,
      ...vars,
    },
  };
  const port = await freePort();
  // wrangler describes workers in Miniflare's v4 option shape; Miniflare 5 converts it.
  const miniflareOptions = convertV4MiniflareOptions({ workers: [worker], host: '127.0.0.1', port, log: new NoOpLog(), handleStructuredLogs: () => {} } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]);
  const { mf, url, pid } = await oneAtATime(async () => {
    // Miniflare runs workerd as a child of this process: the child that appears is this edge (its CPU
    // is not this process's work). One start at a time, so the new child is unambiguous.
    const before = new Set(childrenNamed(process.pid, 'workerd'));
    const mf = new Miniflare(miniflareOptions);
    const url = (await mf.ready).toString().replace(/\/$/, '');
    const started = childrenNamed(process.pid, 'workerd').filter((p) => !before.has(p));
    if (started.length !== 1) {
      await mf.dispose();
      throw new Error(`expected Miniflare to start one workerd process, found ${started.length}`);
    }
    return { mf, url, pid: started[0]! };
  });
  return {
    url,
    pid,
    async stop() {
      await mf.dispose();
      await rm(outdir, { recursive: true, force: true });
    },
  };
}
