import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './connect.ts';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..', '..');

describe('embedded Postgres', () => {
  describe('from a checkout whose directory other users cannot enter', () => {
    let checkout: string;
    beforeAll(async () => {
      // As root, Postgres runs as the `postgres` system user, which cannot enter a 0700 directory (a
      // checkout under /root, or any mktemp -d). The copy shares the installed files (hard links), so
      // its node_modules, Postgres's binaries included, lie inside that directory as a clone's would.
      checkout = await mkdtemp(path.join(tmpdir(), 'sb-checkout-'));
      await chmod(checkout, 0o700);
      await run('cp', ['-al', path.join(repo, 'node_modules'), checkout]);
      await run('cp', ['-a', path.join(repo, 'db'), checkout]);
    });
    afterAll(() => rm(checkout, { recursive: true, force: true }));

    it('starts the tests’ database, migrates it and answers a query', async () => {
      const probe = path.join(checkout, 'db', 'probe.ts');
      await writeFile(
        probe,
        `import { connect } from './src/connect.ts';
         import { startTestDatabase } from './src/testing.ts';
         const db = await startTestDatabase();
         const sql = connect(db.ownerUrl, { max: 1 });
         const [row] = await sql\`select current_user as who, count(*)::int as migrations from schema_migrations\`;
         console.log(JSON.stringify(row));
         await sql.end();
         await db.stop();`,
      );
      const env = { ...process.env };
      delete env.TEST_DATABASE_URL;
      const started = Date.now();
      const { stdout } = await run(process.execPath, [probe], { cwd: checkout, env, timeout: 90_000 });
      const row = JSON.parse(stdout.trim().split('\n').at(-1)!) as { who: string; migrations: number };
      expect(row.who).toBe('postgres');
      expect(row.migrations).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(90_000);
    });
  });

  describe('when Postgres cannot start', () => {
    let first: EmbeddedServer;
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'sb-embedded-'));
      first = await startEmbeddedPostgres({ dataDir: path.join(dir, 'first'), persistent: false });
    });
    afterAll(async () => {
      await first?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('answers on the port it was given', async () => {
      const sql = connect(first.ownerUrl, { max: 1 });
      const [row] = await sql<{ answer: number }[]>`select 6 * 7 as answer`;
      await sql.end();
      expect(row!.answer).toBe(42);
    });

    it('stops within seconds, saying why and what to do, when its port is taken', async () => {
      const started = Date.now();
      const error = await startEmbeddedPostgres({ dataDir: path.join(dir, 'second'), port: first.port, persistent: false }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EmbeddedPostgresError);
      expect((error as Error).message).toMatch(new RegExp(`port ${first.port} is already in use`));
      expect((error as Error).message).toMatch(/another port/);
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  });
});
