// Forward-only migrations: db/migrations/NNNNN_name.sql, each applied once, in order, in its own
// transaction. Concurrent runners wait on an advisory lock instead of racing.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Logger, runMigrations } from 'graphile-worker';
import pg from 'pg';
import type { Sql } from './connect.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));
const MIGRATION_LOCK = 727_001;

export interface Migration {
  version: number;
  name: string;
  file: string;
}

export async function listMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return files.map((file) => {
    const match = /^(\d{5})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file name must look like 00001_name.sql: ${file}`);
    return { version: Number(match[1]), name: match[2]!, file: `${dir}/${file}` };
  });
}

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(sql: Sql, dir = migrationsDir): Promise<number[]> {
  const migrations = await listMigrations(dir);
  const applied: number[] = [];
  await sql.reserve().then(async (conn) => {
    try {
      await conn`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await conn`
        create table if not exists schema_migrations (
          version    integer primary key,
          name       text not null,
          applied_at timestamptz not null default now()
        )`;
      const done = new Set((await conn`select version from schema_migrations`).map((r) => r.version as number));
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        const text = await readFile(m.file, 'utf8');
        await conn.unsafe('begin');
        try {
          await conn.unsafe(text);
          await conn`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
          await conn.unsafe('commit');
        } catch (error) {
          await conn.unsafe('rollback');
          throw new Error(`migration ${m.version}_${m.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(m.version);
      }
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
      conn.release();
    }
  });
  await migrateJobQueue(sql);
  return applied;
}

/**
 * Installs or upgrades graphile-worker's own schema (the job queue for sends, media downloads and
 * assignment), as the owner, then lets the application role enqueue and work jobs. graphile-worker
 * speaks node-postgres, so it gets a one-connection pool to the same server.
 */
async function migrateJobQueue(sql: Sql): Promise<void> {
  const { host, port, user, pass, database } = sql.options;
  const password = (pass as string | null) ?? undefined;
  const pool = new pg.Pool({ host: host[0], port: port[0], user, password, database, max: 1 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await runMigrations({ pgPool: pool, logger: quietLogger });
  } finally {
    await pool.end();
  }
  await sql.unsafe(`
    grant usage on schema graphile_worker to switchboard_app;
    grant select, insert, update, delete on all tables in schema graphile_worker to switchboard_app;
    grant usage, select on all sequences in schema graphile_worker to switchboard_app;
    grant execute on all functions in schema graphile_worker to switchboard_app;`);
  // graphile-worker turns row-level security on for its private tables (no policies: owner only). The
  // application role works the queue, so it gets a policy of its own on each; jobs carry no tenant
  // data beyond ids, and every job re-enters its tenant's scope before touching tenant rows.
  const tables = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'graphile_worker' and c.relkind = 'r' and c.relrowsecurity`;
  for (const { name } of tables) {
    await sql.unsafe(`
      drop policy if exists switchboard_app_worker on graphile_worker.${name};
      create policy switchboard_app_worker on graphile_worker.${name} for all to switchboard_app using (true) with check (true);`);
  }
}

const quietLogger = new Logger(() => () => {});

/** Gives the application role its password (it has none in SQL) so the api can log in as it. */
export async function setAppRolePassword(sql: Sql, password: string): Promise<void> {
  await sql.unsafe(`alter role switchboard_app password ${quoteLiteral(password)}`);
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The application role's URL on the same server and database as the owner's URL. */
export function appRoleUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = 'switchboard_app';
  url.password = encodeURIComponent(password);
  return url.toString();
}
