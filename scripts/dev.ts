// `./switchboard dev` (or `pnpm dev`): the whole product on embedded defaults — Postgres (migrated; the
// demo seeded into the embedded one, see dev-database.ts), the api, the Worker under `wrangler dev` with
// local Queues, the dashboard, and the Meta sandbox's customer simulator and SMTP catcher (the api's mail
// lands there unless SMTP_URL is set). Settings come from the environment, then .env, then the
// checked-in .env.example.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EmbeddedPostgresError, reachableDataDir, startEmbeddedPostgres, type EmbeddedServer } from '../db/src/embedded.ts';
import { prepareDevDatabase } from './dev-database.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const file of ['.env', '.env.example']) {
  // loadEnvFile never overrides: the environment wins over .env, which wins over the example.
  if (existsSync(path.join(root, file))) process.loadEnvFile(path.join(root, file));
}
const env = process.env as Record<string, string>;
if (env.NODE_ENV === 'production') {
  console.error('./switchboard dev runs development servers (and may seed a demo with known keys); it refuses to run with NODE_ENV=production');
  process.exit(1);
}
// --seed-demo: seed the demo into DATABASE_URL's database too (the embedded one always gets it).
const options = (() => {
  try {
    return parseArgs({ options: { 'seed-demo': { type: 'boolean', default: false } } }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: ./switchboard dev [--seed-demo]`);
    process.exit(2);
  }
})();

// Every part runs in a process group of its own, so a terminal's Ctrl-C reaches only this script, which
// stops them in the reverse order of what they depend on: the sandbox (it posts to the edge), then the
// dashboard and the edge (they call the api), then the api, then Postgres.
interface Part {
  child: ChildProcess;
  exited: Promise<void>;
}
const parts = new Map<string, Part>();
const colours: Record<string, number> = { postgres: 34, api: 32, edge: 35, web: 36, sandbox: 33, dev: 37 };
const prefix = (name: string) => `\x1b[${colours[name] ?? 37}m${name.padEnd(8)}\x1b[0m│ `;
const say = (name: string, line: string) => console.log(prefix(name) + line);
let database: EmbeddedServer | undefined;
let stopping = false;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function stopPart(name: string) {
  const part = parts.get(name);
  if (!part) return;
  if (part.child.exitCode === null && part.child.signalCode === null) {
    signalGroup(part.child, 'SIGTERM');
    const force = setTimeout(() => signalGroup(part.child, 'SIGKILL'), 10_000);
    await part.exited;
    clearTimeout(force);
  }
  say(name, 'stopped');
}

async function stopAll(code: number) {
  if (stopping) {
    // A second Ctrl-C: no more waiting.
    for (const { child } of parts.values()) signalGroup(child, 'SIGKILL');
    return;
  }
  stopping = true;
  await stopPart('sandbox');
  await Promise.all([stopPart('web'), stopPart('edge')]);
  await stopPart('api');
  if (database) {
    await database.stop();
    say('postgres', 'stopped');
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function run(name: string, command: string, args: string[], extraEnv: Record<string, string> = {}, cwd = root) {
  if (stopping) return;
  const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv, FORCE_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) out.write(prefix(name) + line + '\n');
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix(name)}exited with ${signal ?? code}; stopping everything`);
      void stopAll(code || 1);
    }
  });
  parts.set(name, { child, exited });
}

async function waitFor(url: string, name: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  if (!stopping) throw new DidNotStart(`${name} did not come up at ${url} within ${timeoutMs / 1000} s`);
}

class DidNotStart extends Error {}

try {
  await main();
} catch (error) {
  // Expected failures (Postgres cannot start, a part does not come up) say why, without a stack.
  const expected = error instanceof EmbeddedPostgresError || error instanceof DidNotStart;
  console.error(prefix('dev') + (expected ? (error as Error).message : String((error as Error).stack ?? error)));
  await stopAll(1);
}

async function main() {
  // 1. Postgres: the given server, or an embedded one under .data/ (elsewhere when the user Postgres runs
  //    as cannot enter the checkout; see db/src/embedded.ts).
  let ownerUrl = env.DATABASE_URL;
  if (!ownerUrl) {
    const dataDir = await reachableDataDir(path.join(root, '.data', 'postgres'));
    database = await startEmbeddedPostgres({ dataDir, port: Number(env.DEV_PG_PORT ?? 54320), ownProcessGroup: true });
    ownerUrl = database.ownerUrl;
    say('postgres', `embedded Postgres on port ${database.port}, data in ${path.relative(root, dataDir).startsWith('..') ? dataDir : path.relative(root, dataDir)}, socket in ${database.socketDir ?? '(none: TCP)'}`);
  }
  const { applied, demoTenantId, appUrl } = await prepareDevDatabase({ ownerUrl, embedded: Boolean(database), seedDemo: options['seed-demo'], env });
  const schema = applied.length ? `applied migrations ${applied.join(', ')}` : 'schema up to date';
  say('postgres', `${schema}; ${demoTenantId ? `demo tenant ${demoTenantId}` : 'no demo seeded into DATABASE_URL (--seed-demo would)'}`);

  // 2. The api, as the application role. Its mail goes to the sandbox's SMTP catcher (started below; a
  //    send before it is up fails and is retried) unless SMTP_URL names a real server.
  const apiUrl = env.API_URL ?? 'http://localhost:4000';
  const sandboxUrl = `http://localhost:${env.SANDBOX_PORT ?? 4010}`;
  const smtpUrl = env.SMTP_URL || `smtp://localhost:${env.SANDBOX_SMTP_PORT ?? 4025}`;
  run('api', process.execPath, ['api/src/main.ts'], {
    APP_DATABASE_URL: appUrl,
    API_PORT: new URL(apiUrl).port || '4000',
    SMTP_URL: smtpUrl,
  });
  await waitFor(`${apiUrl}/readyz`, 'api');

  // 3. The Worker with local Queues and R2; secrets reach it through the environment.
  const edgeUrl = env.EDGE_URL ?? 'http://localhost:8787';
  const wrangler = path.join(root, 'edge', 'node_modules', '.bin', 'wrangler');
  run('edge', wrangler, ['dev', '--config', 'wrangler.toml', '--port', new URL(edgeUrl).port || '8787', '--ip', '127.0.0.1', '--var', `API_URL:${apiUrl}`, '--persist-to', '.data/wrangler'], {
    // Offline: no Request.cf object from workers.cloudflare.com (a placeholder is used), no telemetry.
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_SEND_METRICS: 'false',
  });
  await waitFor(`${edgeUrl}/healthz`, 'edge');

  // 4. The dashboard, at WEB_ORIGIN (the origin the api accepts).
  const webUrl = env.WEB_ORIGIN?.split(',')[0]?.trim() || 'http://localhost:5173';
  run('web', path.join(root, 'web', 'node_modules', '.bin', 'vite'), ['dev', '--port', new URL(webUrl).port || '5173', '--strictPort'], {
    PUBLIC_API_URL: `${apiUrl}/graphql`,
    // Embedded Signup runs against the sandbox's stand-in for Facebook's SDK and popup.
    PUBLIC_META_APP_ID: env.META_APP_ID ?? '',
    PUBLIC_META_SIGNUP_CONFIG_ID: env.META_SIGNUP_CONFIG_ID ?? 'sandbox-signup-config',
    PUBLIC_META_SDK_URL: `${sandboxUrl}/sdk.js`,
  }, path.join(root, 'web'));

  // 5. The Meta sandbox, its customers and its mail catcher.
  run('sandbox', process.execPath, ['test/meta-sandbox/main.ts'], {});
  await waitFor(webUrl, 'web');
  await waitFor(`${sandboxUrl}/healthz`, 'sandbox');

  const demo = demoTenantId
    ? `
    dashboard     ${webUrl}   sign in as ${env.DEV_ADMIN_EMAIL} or ${env.DEV_AGENT_EMAIL}, password ${env.DEV_USER_PASSWORD}
    partner key   ${env.DEV_API_KEY} (Authorization: Bearer, for integrations)
    operator      ${env.DEV_OPERATOR_EMAIL}, same password (creates tenants, connects numbers)`
    : `
    dashboard     ${webUrl}   (your database's own people sign in; no demo was seeded)`;
  console.log(`
  Switchboard is up:${demo}
    api           ${apiUrl}/graphql
    metrics       ${apiUrl}/metrics (Authorization: Bearer ${env.METRICS_TOKEN ?? 'unset: set METRICS_TOKEN to turn /metrics on'})
    edge          ${edgeUrl}/webhooks/whatsapp
    meta sandbox  ${sandboxUrl}
    mail          ${env.SMTP_URL ? `sent through ${new URL(smtpUrl).host} (SMTP_URL), not caught here` : `${sandboxUrl}/mail   what the api sends through ${smtpUrl}`}
  Ctrl-C stops everything.
`);
}
