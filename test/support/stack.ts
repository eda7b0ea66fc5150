// The real parts a journey needs: the shared Postgres, api instances built by the production factory,
// a seeded tenant, and clients that talk to them over real HTTP and WebSocket.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { buildApp, type App } from '@switchboard/api/app';
import { loadConfig, type AppConfig } from '@switchboard/api/config';
import { createLogger } from '@switchboard/api/logging/logger';
import { signIngest } from '@switchboard/api/ingest/ingest-signature';
import { connect, type Sql } from '@switchboard/db/connect';
import { seedTenant, type SeededTenant } from '@switchboard/db/seed';
import { truncateAll } from '@switchboard/db/testing';
import { generateApiKey, hashToken } from '@switchboard/db/tokens';
import { hashPassword } from '@switchboard/api/auth/passwords';
import { sealAccountToken, TEST_VAULT_KEY } from './vault.ts';
import { eventually } from './eventually.ts';

export { DEFAULT_INGEST_SECRET as INGEST_SECRET } from './edge.ts';
import { DEFAULT_INGEST_SECRET as INGEST_SECRET } from './edge.ts';
export const DEV_TENANT = {
  name: 'Acme Coffee',
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
};

export { TEST_VAULT_KEY } from './vault.ts';

/** Stores a WABA's business token sealed, as onboarding does. */
export async function seedAccountToken(tenantId: string, token: string, wabaId = DEV_TENANT.wabaId): Promise<void> {
  await owner().begin((tx) => sealAccountToken(tx, { tenantId, wabaId, token }));
}

let ownerSql: Sql | undefined;
/** The migration owner's pool, for seeding and for asserting on stored rows. */
export function owner(): Sql {
  ownerSql ??= connect(inject('ownerUrl'), { max: 4, applicationName: 'switchboard-test-owner' });
  return ownerSql;
}

export async function resetDatabase(): Promise<void> {
  await truncateAll(owner());
}

export function seedDevTenant(overrides: Partial<typeof DEV_TENANT> = {}): Promise<SeededTenant> {
  return seedTenant(owner(), { ...DEV_TENANT, ...overrides });
}

/** The bearer token of the apis tests start: /metrics answers only to it. */
export const METRICS_TOKEN = 'test-metrics-token-6a0d2e91';

/** One of an api's Prometheus figures (0 when not reported yet), read with the metrics token. */
export async function metric(apiUrl: string, name: string): Promise<number> {
  const res = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const line = (await res.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

export interface RunningApi {
  url: string;
  wsUrl: string;
  /** Where /ingest is served: `url`, or the ingest listener's own when the api has one (config.ingestListener). */
  ingestUrl: string;
  stop(): Promise<void>;
}

/** The apis this process started, by socket URL, so a subscription can ask its server whether it is live. */
const runningApps = new Map<string, App>();

/** How many subscriptions (all, or of one topic: "conversationChanged", "messageChanged", "userChanged") the api serving `wsUrl` has attached since it started. */
export function subscriptionsAttached(wsUrl: string, topic?: string): number {
  const server = runningApps.get(wsUrl);
  if (!server) throw new Error(`no api started by this process serves ${wsUrl}`);
  return server.subscriptionsAttached(topic);
}

export async function startApi(overrides: Partial<AppConfig> = {}): Promise<RunningApi> {
  const config = loadConfig(
    {},
    {
      databaseUrl: inject('appUrl'),
      ingestSecret: INGEST_SECRET,
      port: 0,
      host: '127.0.0.1',
      dbPoolSize: 8,
      vaultKey: TEST_VAULT_KEY,
      jobConcurrency: 8,
      metricsToken: METRICS_TOKEN,
      log: process.env.TEST_LOG ? createLogger().log : () => {},
      ...overrides,
    },
  );
  const app: App = buildApp(config);
  const { url, ingestUrl } = await app.start();
  const wsUrl = url.replace('http', 'ws') + '/graphql';
  runningApps.set(wsUrl, app);
  return {
    url,
    wsUrl,
    ingestUrl: ingestUrl ?? url,
    stop: () => {
      runningApps.delete(wsUrl);
      return app.stop();
    },
  };
}

export interface IngestAnswer {
  status: number;
  results: { id: string; status: string; error?: string }[];
}

/** Posts bodies to /ingest exactly as the edge's queue consumer does. */
export async function ingest(apiUrl: string, bodies: string[], { secret = INGEST_SECRET, path = '/ingest' } = {}): Promise<IngestAnswer> {
  const payload = JSON.stringify({
    events: bodies.map((body, i) => ({ id: `msg-${i}-${Math.random().toString(36).slice(2)}`, body, receivedAt: new Date().toISOString(), attempts: 1 })),
  });
  const res = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchboard-signature': signIngest(secret, payload) },
    body: payload,
  });
  const json = (await res.json()) as { results?: IngestAnswer['results'] };
  return { status: res.status, results: json.results ?? [] };
}

export interface GraphQLAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A partner key (string), a signed-in person's session cookie, or nobody. */
export type Credentials = string | { cookie: string } | null;

function credentialHeaders(credentials: Credentials): Record<string, string> {
  if (!credentials) return {};
  return typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : { cookie: credentials.cookie };
}

export async function graphql<T = any>(apiUrl: string, credentials: Credentials, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer<T>> {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...credentialHeaders(credentials),
    },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as Omit<GraphQLAnswer<T>, 'status'>;
  return { status: res.status, ...json };
}

/** A graphql-ws client over a real socket; collects every event of one subscription. */
export async function subscribe<T = any>(wsUrl: string, credentials: Exclude<Credentials, null>, query: string, variables: Record<string, unknown> = {}) {
  // A person's socket carries the session cookie on the upgrade request, as a browser's does.
  const cookie = typeof credentials === 'string' ? null : credentials.cookie;
  class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  }
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: CookieWebSocket,
    connectionParams: typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : {},
    retryAttempts: 0,
    lazy: false,
    // A refused socket is reported through 'closed' below, not printed.
    onNonLazyError: () => {},
  });
  const attachedBefore = subscriptionsAttached(wsUrl);
  const events: T[] = [];
  const errors: unknown[] = [];
  let ended = false;
  const waiters: { count: number; resolve: () => void }[] = [];
  let acknowledged!: () => void;
  let refused!: (reason: unknown) => void;
  const connected = new Promise<void>((resolve, reject) => ((acknowledged = resolve), (refused = reject)));
  client.on('connected', () => acknowledged());
  client.on('closed', (event) => refused(event));
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        // A refusal (FORBIDDEN when subscribing) arrives as a result with errors and no data.
        if (value.errors?.length) errors.push(...value.errors);
        events.push(value.data as T);
        for (const w of [...waiters]) if (events.length >= w.count) w.resolve();
      },
      error: (error) => {
        errors.push(error);
        ended = true;
      },
      complete: () => {
        ended = true;
      },
    },
  );
  await connected;
  // Live means the server has attached this subscription to its pubsub: only then does an event
  // committed by the test reach it. A refused subscription ends instead, with its error in `errors`.
  // (A journey opens its subscriptions one at a time, so the next attachment on that api is this one.)
  const live = await eventually(
    async () => subscriptionsAttached(wsUrl) > attachedBefore || ended,
    (done) => done,
    { timeoutMs: 10_000, everyMs: 5 },
  );
  if (!live) throw new Error(`the server did not attach the subscription within 10 s: ${query}`);
  return {
    events,
    errors,
    waitFor(count: number, timeoutMs = 10_000): Promise<T[]> {
      if (events.length >= count) return Promise.resolve(events);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} events, got ${events.length}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(events)) });
      });
    },
    async close() {
      dispose();
      await client.dispose();
    },
  };
}

export interface SeededUser {
  id: string;
  email: string;
  password: string;
}

/** A partner key with these scopes, straight into the database (as the owner); answers its secret. */
export async function seedApiKey(tenantId: string, scopes: string[], name = scopes.join('+')): Promise<string> {
  const apiKey = generateApiKey();
  await owner()`
    insert into api_keys (tenant_id, name, prefix, key_hash, scopes)
    values (${tenantId}, ${name}, ${apiKey.slice(0, 12)}, ${hashToken(apiKey)}, ${scopes})`;
  return apiKey;
}

/** Adds a person to a tenant as an admin would, straight into the database (as the owner). */
export async function seedUser(
  tenantId: string,
  { email, name = email.split('@')[0]!, role = 'agent', password = 'correct horse battery', capacity = 5, presence = 'offline' }:
    { email: string; name?: string; role?: 'agent' | 'manager' | 'admin'; password?: string; capacity?: number; presence?: 'online' | 'away' | 'offline' },
): Promise<SeededUser> {
  const [row] = await owner()<{ id: string }[]>`
    insert into users (tenant_id, email, name, role, password_hash, capacity, presence)
    values (${tenantId}, ${email}, ${name}, ${role}, ${await hashPassword(password)}, ${capacity}, ${presence})
    returning id`;
  return { id: row!.id, email, password };
}

export async function seedDepartment(
  tenantId: string,
  { name, strategy = 'round_robin', members = [], isDefault = false, autoAssign = true }:
    { name: string; strategy?: 'round_robin' | 'balanced'; members?: string[]; isDefault?: boolean; autoAssign?: boolean },
): Promise<string> {
  const [row] = await owner()<{ id: string }[]>`
    insert into departments (tenant_id, name, strategy, is_default, auto_assign)
    values (${tenantId}, ${name}, ${strategy}, ${isDefault}, ${autoAssign}) returning id`;
  for (const userId of members) {
    await owner()`insert into department_members (tenant_id, department_id, user_id) values (${tenantId}, ${row!.id}, ${userId})`;
  }
  return row!.id;
}

/** Signs in through the logIn mutation (with `otp` for a person with two-factor sign-in) and returns the session cookie the api set. */
export async function logIn(apiUrl: string, email: string, password: string, otp?: string): Promise<{ cookie: string }> {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({
      query: 'mutation ($email: String!, $password: String!, $otp: String) { logIn(input: { email: $email, password: $password, otp: $otp }) { __typename } }',
      variables: { email, password, otp },
    }),
  });
  const body = (await res.json()) as { data?: { logIn: { __typename: string } } };
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sb_session='));
  if (body.data?.logIn.__typename !== 'MutationLogInSuccess' || !setCookie) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  return { cookie: setCookie.split(';')[0]! };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An api command (`api/src/…-cli.ts`) as an operator runs it: against the test database, as its owner. */
export function runApiCli(script: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      { cwd: fileURLToPath(new URL('../../api/', import.meta.url)), env: { PATH: process.env.PATH ?? '', DATABASE_URL: inject('ownerUrl'), ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
