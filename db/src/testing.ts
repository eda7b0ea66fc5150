// A real, migrated Postgres for tests: embedded and throwaway unless TEST_DATABASE_URL points at a server
// (then a fresh database is created on it per run).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type Sql } from './connect.ts';
import { retryTransient } from './retry.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { appRoleUrl, migrate, setAppRolePassword } from './migrate.ts';

export interface TestDatabase {
  /** Migration owner: for seeding and inspecting in tests. */
  ownerUrl: string;
  /** The application role, as the api connects. */
  appUrl: string;
  /** Empties every table, keeping the schema. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const APP_PASSWORD = 'test-app-password';

export async function startTestDatabase(): Promise<TestDatabase> {
  return process.env.TEST_DATABASE_URL ? createDatabaseOn(process.env.TEST_DATABASE_URL) : startEmbedded();
}

async function startEmbedded(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
  const { close, ...prepared } = await prepare(server.ownerUrl);
  return {
    ...prepared,
    async stop() {
      await close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** On a given server (the owner must be able to create databases and roles): a fresh database per run. */
async function createDatabaseOn(serverUrl: string): Promise<TestDatabase> {
  const name = `switchboard_test_${randomBytes(6).toString('hex')}`;
  const admin = connect(serverUrl, { max: 1, applicationName: 'switchboard-test' });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const { close, ...prepared } = await prepare(url.toString());
  return {
    ...prepared,
    async stop() {
      await close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function prepare(ownerUrl: string) {
  const owner = connect(ownerUrl, { max: 2, applicationName: 'switchboard-test' });
  await migrate(owner);
  await setAppRolePassword(owner, APP_PASSWORD);
  return {
    ownerUrl,
    appUrl: appRoleUrl(ownerUrl, APP_PASSWORD),
    reset: () => truncateAll(owner),
    close: () => owner.end(),
  };
}

/** Empties every table but the migration log and the live sender processes (running apis' liveness). */
export async function truncateAll(sql: Sql): Promise<void> {
  const tables = await sql<{ tablename: string }[]>`
    select tablename from pg_tables
     where schemaname = 'public' and tablename not in ('schema_migrations', 'sender_instances')`;
  if (tables.length === 0) return;
  // A running api's jobs and sweeps lock tables in their own order while TRUNCATE takes them all in its
  // own, so the two can deadlock; Postgres aborts one and the truncate is run again.
  await retryTransient(() => sql.unsafe(`truncate ${tables.map((t) => `"${t.tablename}"`).join(', ')} cascade`));
  // Queued jobs belong to the rows just removed; task names stay (running workers cache their ids).
  await retryTransient(() => sql.unsafe('truncate graphile_worker._private_jobs, graphile_worker._private_job_queues cascade'));
}

