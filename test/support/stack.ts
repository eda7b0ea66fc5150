// The real parts a journey needs: the shared Postgres, api instances built by the production factory,
// a seeded tenant, and clients that talk to them over real HTTP and WebSocket.
import { inject } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { buildApp, type App } from '@switchboard/api/app';
import { loadConfig, type AppConfig } from '@switchboard/api/config';
import { signIngest } from '@switchboard/api/ingest/ingest-signature';
import { connect, type Sql } from '@switchboard/db/connect';
import { seedTenant, type SeededTenant } from '@switchboard/db/seed';
import { truncateAll } from '@switchboard/db/testing';

export { DEFAULT_INGEST_SECRET as INGEST_SECRET } from './edge.ts';
import { DEFAULT_INGEST_SECRET as INGEST_SECRET } from './edge.ts';
export const DEV_TENANT = {
  name: 'Acme Coffee',
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
};

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

export interface RunningApi {
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
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
      log: process.env.TEST_LOG ? (l, m, f) => console.log(l, m, JSON.stringify(f)) : () => {},
      ...overrides,
    },
  );
  const app: App = buildApp(config);
  const { url } = await app.start();
  return { url, wsUrl: url.replace('http', 'ws') + '/graphql', stop: () => app.stop() };
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

export async function graphql<T = any>(apiUrl: string, apiKey: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer<T>> {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as Omit<GraphQLAnswer<T>, 'status'>;
  return { status: res.status, ...json };
}

/** A graphql-ws client over a real socket; collects every event of one subscription. */
export async function subscribe<T = any>(wsUrl: string, apiKey: string, query: string, variables: Record<string, unknown> = {}) {
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    retryAttempts: 0,
    lazy: false,
  });
  const events: T[] = [];
  const errors: unknown[] = [];
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
        events.push(value.data as T);
        for (const w of [...waiters]) if (events.length >= w.count) w.resolve();
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  await connected;
  // The server subscribes to the pubsub once the subscribe message is handled; give it a moment.
  await new Promise((r) => setTimeout(r, 100));
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
