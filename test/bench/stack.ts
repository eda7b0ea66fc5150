// The product as benchmarks run it: embedded Postgres, the api as its own process, the Worker under
// wrangler dev. Nothing shares an event loop with the load generator.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Sql } from '@switchboard/db/connect';
import { freePort, startEmbeddedPostgres } from '@switchboard/db/embedded';
import { appRoleUrl, migrate, setAppRolePassword } from '@switchboard/db/migrate';
import { seedTenant } from '@switchboard/db/seed';
import { startEdge, type RunningEdge } from '../support/edge.ts';
import { readProcesses } from '../support/processes.ts';
import { waitForHttp } from '../support/wait-for-http.ts';
import { startWorkerdEdge } from '../support/workerd-edge.ts';
import { sealAccountToken, TEST_VAULT_KEY } from '../support/vault.ts';
import type { Parts } from './cpu.ts';
import { BENCH_TENANT, useBenchPhotos, type BenchPhoto } from './webhooks.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_INGEST_SECRET = 'bench-ingest-secret';
export const BENCH_APP_SECRET = 'bench-meta-app-secret';
const APP_PASSWORD = 'bench-app-password';
/** The business token the sandbox accepts for the bench's WhatsApp accounts. */
export const BENCH_META_TOKEN = 'EAAbenchToken0000000000000000000000';
/** How long the sandbox takes to answer a send, like Meta (SANDBOX_SEND_LATENCY_MS). */
export const BENCH_SEND_LATENCY_MS = process.env.SANDBOX_SEND_LATENCY_MS?.trim() || '150-300';
/** Postgres's shared_buffers for the bench (BENCH_PG_SHARED_BUFFERS). */
export const BENCH_PG_SHARED_BUFFERS = process.env.BENCH_PG_SHARED_BUFFERS?.trim() || '2GB';

export interface BenchStack {
  owner: Sql;
  ownerUrl: string;
  appUrl: string;
  /** The first api instance: the edge forwards to it and subscribers connect to it. */
  apiUrl: string;
  /** Every api instance running now; ingest load is spread over them. */
  apiUrls: string[];
  apiKey: string;
  tenantId: string;
  /** The Worker under `wrangler dev`, as `pnpm dev` runs it. */
  edge: RunningEdge;
  /** The same Worker in workerd through Miniflare, without the dev tooling in front. */
  workerdEdge: RunningEdge;
  apiPids: number[];
  /** The Meta sandbox as its own process: the api's Graph API, posting signed statuses to the workerd edge. */
  sandboxUrl: string;
  sandboxPid: number;
  /**
   * Starts one more api process on the same database (as behind a load balancer), with `env` added to
   * its environment (ANALYTICS_ROLLUPS=off, say); `stop` ends it.
   */
  addApiInstance(env?: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }>;
  /** Starts the sandbox afresh (same address, empty state) with its status webhooks on or off. */
  restartSandbox(statuses: 'realistic' | 'off'): Promise<void>;
  /** Every part of the stack by the roots of its process trees, as running now, for cpu.ts. */
  cpuParts(): Parts;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-'));
  // BENCH_PG_STATEMENTS=1: pg_stat_statements on, and the statements that took longest printed at the end.
  const statements = process.env.BENCH_PG_STATEMENTS === '1';
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    persistent: false,
    // Postgres's own default (128 MB) is for small machines; with the analytics part's ten million
    // messages every fold and query would churn it. BENCH_PG_SHARED_BUFFERS sets it (printed in the head).
    settings: [
      '-c', `shared_buffers=${BENCH_PG_SHARED_BUFFERS}`,
      ...(statements ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'] : []),
    ],
  });
  const postmaster = postmasterPids();
  const owner = connect(pg.ownerUrl, { max: 4 });
  if (statements) await owner`create extension if not exists pg_stat_statements`;
  await migrate(owner);
  await setAppRolePassword(owner, APP_PASSWORD);
  const { tenantId, apiKey } = await seedTenant(owner, BENCH_TENANT);
  const appUrl = appRoleUrl(pg.ownerUrl, APP_PASSWORD);

  // Several api processes can share the database, as in production behind a load balancer. They call
  // the sandbox as their Graph API; it starts last, once the edge it posts statuses to is up.
  const sandboxPort = await freePort();
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const apis = [await startApiProcess(appUrl, sandboxUrl)];
  const apiUrl = apis[0]!.url;
  const edge = await startEdge({ apiUrl, ingestSecret: BENCH_INGEST_SECRET, appSecret: BENCH_APP_SECRET, vars: { RETRY_BASE_DELAY_SECONDS: '1' } });
  const workerdEdge = await startWorkerdEdge({ apiUrl, ingestSecret: BENCH_INGEST_SECRET, appSecret: BENCH_APP_SECRET, vars: { RETRY_BASE_DELAY_SECONDS: '1' } });
  let sandbox = await startSandboxProcess(sandboxPort, workerdEdge.url, 'off');
  // A live tenant's customers send photos: the tenant's token is sealed as onboarding does, and the
  // sandbox holds the photos, so ingest's download jobs fetch, verify and store them for real.
  await owner.begin((tx) => sealAccountToken(tx, { tenantId, wabaId: BENCH_TENANT.wabaId, token: BENCH_META_TOKEN }));
  useBenchPhotos(await holdPhotos(sandboxUrl));
  return {
    owner,
    ownerUrl: pg.ownerUrl,
    appUrl,
    apiUrl,
    apiKey,
    tenantId,
    edge,
    workerdEdge,
    get apiUrls() {
      return apis.map((a) => a.url);
    },
    get apiPids() {
      return apis.map((a) => a.process.pid!);
    },
    async addApiInstance(env = {}) {
      const api = await startApiProcess(appUrl, sandboxUrl, env);
      apis.push(api);
      return {
        url: api.url,
        async stop() {
          apis.splice(apis.indexOf(api), 1);
          await stopProcess(api.process);
        },
      };
    },
    sandboxUrl,
    get sandboxPid() {
      return sandbox.pid!;
    },
    cpuParts() {
      return {
        postgres: postmaster,
        api: apis.map((a) => a.process.pid!),
        'edge (wrangler dev)': [edge.pid],
        'edge (workerd)': [workerdEdge.pid],
        sandbox: [sandbox.pid!],
        bench: [process.pid],
      };
    },
    async restartSandbox(statuses) {
      await stopProcess(sandbox);
      sandbox = await startSandboxProcess(sandboxPort, workerdEdge.url, statuses);
    },
    async stop() {
      if (statements) {
        const top = await owner<{ calls: number; totalMs: number; meanMs: number; rows: number; blocks: number; query: string }[]>`
          select calls::int, round(total_exec_time)::int as total_ms, round(mean_exec_time::numeric, 3)::float as mean_ms,
                 rows::int, (shared_blks_hit + shared_blks_read)::int as blocks,
                 left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
            from pg_stat_statements order by total_exec_time desc limit 25`;
        console.log('\npg_stat_statements, by total time:\n' + top.map((t) => `${String(t.totalMs).padStart(7)} ms ${String(t.calls).padStart(7)} calls ${String(t.meanMs).padStart(8)} ms/call ${String(t.rows).padStart(7)} rows ${String(t.blocks).padStart(9)} blocks  ${t.query}`).join('\n'));
      }
      await stopProcess(sandbox);
      await edge.stop();
      await workerdEdge.stop();
      for (const { process: api } of apis) await stopProcess(api);
      await owner.end();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Postgres's postmaster(s) this process started: descendants of ours named postgres whose parent is not. */
function postmasterPids(): number[] {
  const procs = readProcesses();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const ours = (pid: number): boolean => {
    for (let at = byPid.get(pid); at && at.ppid > 0; at = byPid.get(at.ppid)) if (at.ppid === process.pid) return true;
    return false;
  };
  const found = procs.filter((p) => p.comm === 'postgres' && byPid.get(p.ppid)?.comm !== 'postgres' && ours(p.pid)).map((p) => p.pid);
  if (found.length === 0) throw new Error('could not find the postmaster the bench started');
  return found;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
}

async function startApiProcess(appUrl: string, sandboxUrl: string, env: Record<string, string> = {}): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const api = spawn(process.execPath, ['api/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      APP_DATABASE_URL: appUrl,
      INGEST_SECRET: BENCH_INGEST_SECRET,
      VAULT_KEY: TEST_VAULT_KEY,
      META_GRAPH_URL: sandboxUrl,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      DB_POOL_SIZE: '20',
      // The hourly retention sweep (and the one each process starts with) would land inside measured
      // phases at random, over whatever data the bench has written; it is not what the bench measures.
      RETENTION_SCHEDULE: 'off',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Through this process's stderr, so what it prints is in the run's saved output (results.ts).
  api.stderr!.pipe(process.stderr, { end: false });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`, { timeoutMs: 20_000, ok: (status) => status === 200, alive: () => api.exitCode === null });
  return { url, process: api };
}

/** The Meta sandbox with no simulated customers and no auto replies: it answers sends and, if asked, posts statuses. */
async function startSandboxProcess(port: number, edgeUrl: string, statuses: 'realistic' | 'off'): Promise<ChildProcess> {
  const sandbox = spawn(process.execPath, ['test/meta-sandbox/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      SANDBOX_PORT: String(port),
      SANDBOX_SMTP_PORT: '0',
      EDGE_URL: edgeUrl,
      META_APP_SECRET: BENCH_APP_SECRET,
      META_APP_ID: '100000000000001',
      DEV_WABA_ID: BENCH_TENANT.wabaId,
      DEV_PHONE_NUMBER_ID: BENCH_TENANT.phoneNumberId,
      DEV_DISPLAY_PHONE_NUMBER: BENCH_TENANT.displayPhoneNumber,
      DEV_META_ACCESS_TOKEN: BENCH_META_TOKEN,
      SIMULATOR_RATE_PER_MINUTE: '0',
      SANDBOX_AUTO_REPLY: 'false',
      SANDBOX_STATUS_WEBHOOKS: statuses,
      SANDBOX_SEND_LATENCY_MS: BENCH_SEND_LATENCY_MS,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  sandbox.stderr!.pipe(process.stderr, { end: false });
  await waitForHttp(`http://127.0.0.1:${port}/_sandbox/stats`, { timeoutMs: 20_000, ok: (status) => status === 200, alive: () => sandbox.exitCode === null });
  return sandbox;
}

/** Twelve 40 KB "photos" held by the sandbox for the bench number's customers. */
async function holdPhotos(sandboxUrl: string): Promise<BenchPhoto[]> {
  return Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      const bytes = randomBytes(40 * 1024);
      const res = await fetch(`${sandboxUrl}/_sandbox/media`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phoneNumberId: BENCH_TENANT.phoneNumberId, mimeType: 'image/jpeg', base64: bytes.toString('base64'), id: `90000000000000${String(i).padStart(2, '0')}` }),
      });
      if (!res.ok) throw new Error(`sandbox refused a photo: ${res.status}`);
      const { id } = (await res.json()) as { id: string };
      return { mediaId: id, sha256Base64: createHash('sha256').update(bytes).digest('base64') };
    }),
  );
}
