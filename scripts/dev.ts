// `pnpm dev`: the whole product on embedded defaults — Postgres (migrated, demo tenant seeded), the api,
// the Worker under `wrangler dev` with local Queues, the dashboard, and the Meta sandbox's customer
// simulator. Settings come from the environment, then .env, then the checked-in .env.example.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../db/src/connect.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../db/src/embedded.ts';
import { appRoleUrl, migrate, setAppRolePassword } from '../db/src/migrate.ts';
import { seedTenant } from '../db/src/seed.ts';
import { seedDemoOperator, seedDemoPeople } from '../api/src/tenants/demo-seed.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const file of ['.env', '.env.example']) {
  // loadEnvFile never overrides: the environment wins over .env, which wins over the example.
  if (existsSync(path.join(root, file))) process.loadEnvFile(path.join(root, file));
}
const env = process.env as Record<string, string>;
if (env.NODE_ENV === 'production') {
  console.error('pnpm dev seeds a demo tenant with known keys; it refuses to run with NODE_ENV=production');
  process.exit(1);
}

const children: ChildProcess[] = [];
let database: EmbeddedServer | undefined;
let stopping = false;

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.stop().catch(() => {});
  process.exit(code);
}
process.once('SIGINT', () => void stopAll());
process.once('SIGTERM', () => void stopAll());

function run(name: string, colour: number, command: string, args: string[], extraEnv: Record<string, string> = {}, cwd = root) {
  const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv, FORCE_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[${colour}m${name.padEnd(8)}\x1b[0m│ `;
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) out.write(prefix + line + '\n');
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${prefix}exited with ${code}; stopping everything`);
      void stopAll(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, name: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not come up at ${url}`);
}

// 1. Postgres: the given server, or an embedded one under .data/.
let ownerUrl = env.DATABASE_URL;
if (!ownerUrl) {
  database = await startEmbeddedPostgres({ dataDir: path.join(root, '.data', 'postgres'), port: Number(env.DEV_PG_PORT ?? 54320) });
  ownerUrl = database.ownerUrl;
  console.log(`postgres│ embedded Postgres on port ${database.port}, data in .data/postgres`);
}
const owner = connect(ownerUrl, { max: 2, applicationName: 'switchboard-dev' });
const applied = await migrate(owner);
await setAppRolePassword(owner, env.APP_DB_PASSWORD!);
const demo = await seedTenant(owner, {
  name: env.DEV_TENANT_NAME ?? 'Demo tenant',
  wabaId: env.DEV_WABA_ID!,
  phoneNumberId: env.DEV_PHONE_NUMBER_ID!,
  displayPhoneNumber: env.DEV_DISPLAY_PHONE_NUMBER!,
  apiKey: env.DEV_API_KEY!,
});
await seedDemoPeople(owner, {
  tenantId: demo.tenantId,
  wabaId: env.DEV_WABA_ID!,
  accessToken: env.DEV_META_ACCESS_TOKEN!,
  vaultKey: env.VAULT_KEY!,
  adminEmail: env.DEV_ADMIN_EMAIL!,
  agentEmail: env.DEV_AGENT_EMAIL!,
  password: env.DEV_USER_PASSWORD!,
});
await seedDemoOperator(owner, { email: env.DEV_OPERATOR_EMAIL!, password: env.DEV_USER_PASSWORD! });
await owner.end();
console.log(`postgres│ ${applied.length ? `applied migrations ${applied.join(', ')}` : 'schema up to date'}; demo tenant ${demo.tenantId}`);

// 2. The api, as the application role.
const apiUrl = env.API_URL ?? 'http://localhost:4000';
run('api', 32, process.execPath, ['api/src/main.ts'], {
  APP_DATABASE_URL: env.APP_DATABASE_URL ?? appRoleUrl(ownerUrl, env.APP_DB_PASSWORD!),
  API_PORT: new URL(apiUrl).port || '4000',
});
await waitFor(`${apiUrl}/readyz`, 'api');

// 3. The Worker with local Queues and R2; secrets reach it through the environment.
const edgeUrl = env.EDGE_URL ?? 'http://localhost:8787';
const wrangler = path.join(root, 'edge', 'node_modules', '.bin', 'wrangler');
run('edge', 35, wrangler, ['dev', '--config', 'wrangler.toml', '--port', new URL(edgeUrl).port || '8787', '--ip', '127.0.0.1', '--var', `API_URL:${apiUrl}`, '--persist-to', '.data/wrangler'], {
  // Offline: no Request.cf object from workers.cloudflare.com (a placeholder is used), no telemetry.
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
});
await waitFor(`${edgeUrl}/healthz`, 'edge');

// 4. The dashboard.
run('web', 36, path.join(root, 'web', 'node_modules', '.bin', 'vite'), ['dev', '--port', '5173', '--strictPort'], {
  PUBLIC_API_URL: `${apiUrl}/graphql`,
}, path.join(root, 'web'));

// 5. The Meta sandbox and its customers.
run('sandbox', 33, process.execPath, ['test/meta-sandbox/main.ts'], {});

console.log(`
  Switchboard is up:
    dashboard     http://localhost:5173   sign in as ${env.DEV_ADMIN_EMAIL} or ${env.DEV_AGENT_EMAIL}, password ${env.DEV_USER_PASSWORD}
    partner key   ${env.DEV_API_KEY} (Authorization: Bearer, for integrations)
    operator      ${env.DEV_OPERATOR_EMAIL}, same password (creates tenants, connects numbers)
    api           ${apiUrl}/graphql
    edge          ${edgeUrl}/webhooks/whatsapp
    meta sandbox  http://localhost:${env.SANDBOX_PORT ?? 4010}
  Ctrl-C stops everything.
`);
