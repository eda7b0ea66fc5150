// A real, migrated Postgres for tests: embedded and throwaway unless TEST_DATABASE_URL points at a server
// (then a fresh database is created on it per run).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type Sql } from './connect.ts';
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
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
  const owner = connect(server.ownerUrl, { max: 2, applicationName: 'switchboard-test' });
  await migrate(owner);
  await setAppRolePassword(owner, APP_PASSWORD);
  return {
    ownerUrl: server.ownerUrl,
    appUrl: appRoleUrl(server.ownerUrl, APP_PASSWORD),
    reset: () => truncateAll(owner),
    async stop() {
      await owner.end();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function truncateAll(sql: Sql): Promise<void> {
  const tables = await sql<{ tablename: string }[]>`
    select tablename from pg_tables
     where schemaname = 'public' and tablename <> 'schema_migrations'`;
  if (tables.length === 0) return;
  await sql.unsafe(`truncate ${tables.map((t) => `"${t.tablename}"`).join(', ')} cascade`);
}
