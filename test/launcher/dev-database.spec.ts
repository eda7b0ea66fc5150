// `./switchboard dev`'s database step against a database of one's own (DATABASE_URL): the demo's known
// secrets go in only when asked for with --seed-demo.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '@switchboard/db/connect';
import { startEmbeddedPostgres, type EmbeddedServer } from '@switchboard/db/embedded';
import { appRoleUrl, migrate, setAppRolePassword } from '@switchboard/db/migrate';
import { hashToken } from '@switchboard/db/tokens';
import { prepareDevDatabase } from '../../scripts/dev-database.ts';
import { repoRoot } from '../support/checkout.ts';

const devEnv = parseEnv(readFileSync(path.join(repoRoot, '.env.example'), 'utf8'));
const OWN_APP_PASSWORD = 'the-operators-own-app-password';

async function canSignIn(url: string): Promise<boolean> {
  const sql = connect(url, { max: 1 });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false; // invalid_password
    throw error;
  } finally {
    await sql.end();
  }
}

describe('the dev database step on DATABASE_URL', () => {
  let dir: string;
  let server: EmbeddedServer;
  let owner: Sql;
  const demoRows = async () => {
    const [row] = await owner<{ keys: number; people: number; operators: number; tenants: number }[]>`
      select (select count(*)::int from api_keys where key_hash = ${hashToken(devEnv.DEV_API_KEY!)}) as keys,
             (select count(*)::int from users where email in (${devEnv.DEV_ADMIN_EMAIL!}, ${devEnv.DEV_AGENT_EMAIL!})) as people,
             (select count(*)::int from operators where email = ${devEnv.DEV_OPERATOR_EMAIL!}) as operators,
             (select count(*)::int from tenants) as tenants`;
    return row!;
  };

  beforeAll(async () => {
    // A server standing for one's own: migrated, its app role with a password its operator chose.
    dir = await mkdtemp(path.join(tmpdir(), 'sb-own-db-'));
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
    owner = connect(server.ownerUrl, { max: 1 });
    await migrate(owner);
    await setAppRolePassword(owner, OWN_APP_PASSWORD);
  });
  afterAll(async () => {
    await owner?.end();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates, and seeds no dev key, people or operator, and leaves the app role’s password alone', async () => {
    const env = { ...devEnv, DATABASE_URL: server.ownerUrl };
    const prepared = await prepareDevDatabase({ ownerUrl: server.ownerUrl, embedded: false, env });
    expect(prepared.demoTenantId).toBeNull();
    expect(await demoRows()).toEqual({ keys: 0, people: 0, operators: 0, tenants: 0 });
    expect(await canSignIn(appRoleUrl(server.ownerUrl, OWN_APP_PASSWORD))).toBe(true);
    expect(await canSignIn(appRoleUrl(server.ownerUrl, devEnv.APP_DB_PASSWORD!))).toBe(false);
  });

  it('seeds the demo when --seed-demo asks for it', async () => {
    const env = { ...devEnv, DATABASE_URL: server.ownerUrl };
    const prepared = await prepareDevDatabase({ ownerUrl: server.ownerUrl, embedded: false, seedDemo: true, env });
    expect(prepared.demoTenantId).toEqual(expect.any(String));
    expect(await demoRows()).toEqual({ keys: 1, people: 2, operators: 1, tenants: 1 });
    expect(await canSignIn(appRoleUrl(server.ownerUrl, devEnv.APP_DB_PASSWORD!))).toBe(true);
    expect(await canSignIn(prepared.appUrl)).toBe(true);
  });
});
