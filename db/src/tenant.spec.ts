import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Sql } from './connect.ts';
import { seedTenant } from './seed.ts';
import { withPlatform, withTenant } from './tenant.ts';
import { startTestDatabase, type TestDatabase } from './testing.ts';

describe('db', () => {
  let db: TestDatabase;
  let owner: Sql;
  let app: Sql;

  beforeAll(async () => {
    db = await startTestDatabase();
    owner = connect(db.ownerUrl, { max: 2 });
    app = connect(db.appUrl, { max: 2 });
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await db?.stop();
  });
  beforeEach(() => db.reset());

  const seedTwo = async () => ({
    a: await seedTenant(owner, { name: 'A', wabaId: 'waba-a', phoneNumberId: 'pn-a', displayPhoneNumber: '1555000001' }),
    b: await seedTenant(owner, { name: 'B', wabaId: 'waba-b', phoneNumberId: 'pn-b', displayPhoneNumber: '1555000002' }),
  });

  describe('application role', () => {
    it('owns nothing and cannot bypass row-level security', async () => {
      const [role] = await owner`
        select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = 'switchboard_app'`;
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
      // Its connections' temporary working tables (the analytics fold's) are its own and die with them.
      const owned = await owner`
        select c.relname from pg_class c join pg_roles r on r.oid = c.relowner
         where r.rolname = 'switchboard_app' and c.relpersistence <> 't'`;
      expect(owned).toHaveLength(0);
    });

    it('has row-level security enabled and forced on every table with a tenant_id', async () => {
      const tables = await owner<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
        select c.relname, c.relrowsecurity, c.relforcerowsecurity
          from pg_class c join information_schema.columns col
            on col.table_name = c.relname and col.column_name = 'tenant_id' and col.table_schema = 'public'
         where c.relkind = 'r'`;
      expect(tables.length).toBeGreaterThanOrEqual(9);
      for (const t of tables) expect([t.relname, t.relrowsecurity, t.relforcerowsecurity]).toEqual([t.relname, true, true]);
    });

    it('gives every table with a tenant_id the tenant policy, for reads and writes alike', async () => {
      // enable_tenant_rls's policy: rows of the transaction's tenant only (app_tenant_id()), both ways.
      const policies = await owner<{ relname: string; policies: { name: string; permissive: string; cmd: string; qual: string | null; check: string | null }[] }[]>`
        select c.relname,
               coalesce(json_agg(json_build_object('name', p.polname, 'permissive', case when p.polpermissive then 'PERMISSIVE' else 'RESTRICTIVE' end,
                                                   'cmd', p.polcmd, 'qual', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid)))
                          filter (where p.polname is not null), '[]') as policies
          from pg_class c join information_schema.columns col
            on col.table_name = c.relname and col.column_name = 'tenant_id' and col.table_schema = 'public'
          left join pg_policy p on p.polrelid = c.oid
         where c.relkind = 'r'
         group by c.relname`;
      expect(policies.length).toBeGreaterThanOrEqual(9);
      for (const { relname, policies: list } of policies) {
        // Exactly one permissive policy (restrictive ones, such as agents' scope, only narrow it), for
        // every command, keyed on the transaction's tenant both ways: enable_tenant_rls's
        // tenant_isolation, or for sessions (a person's or an operator's) session_scope.
        const permissive = list.filter((p) => p.permissive === 'PERMISSIVE');
        expect([relname, permissive.map((p) => [p.cmd, p.qual?.includes('app_tenant_id()'), p.check?.includes('app_tenant_id()')])]).toEqual([relname, [['*', true, true]]]);
        expect([relname, permissive[0]!.name]).toEqual([relname, relname === 'sessions' ? 'session_scope' : 'tenant_isolation']);
      }
    });
  });

  describe('tenant scope', () => {
    it('returns nothing without a tenant context, never everything', async () => {
      await seedTwo();
      expect(await app`select * from phone_numbers`).toHaveLength(0);
      expect(await app`select * from tenants`).toHaveLength(0);
    });

    it('shows a tenant only its own rows', async () => {
      const { a, b } = await seedTwo();
      const seenByA = await withTenant(app, a.tenantId, (tx) => tx`select phone_number_id from phone_numbers`);
      expect(seenByA.map((r) => r.phoneNumberId)).toEqual(['pn-a']);
      const seenByB = await withTenant(app, b.tenantId, (tx) => tx`select name from tenants`);
      expect(seenByB.map((r) => r.name)).toEqual(['B']);
    });

    it('refuses to write a row into another tenant', async () => {
      const { a, b } = await seedTwo();
      await expect(
        withTenant(app, a.tenantId, (tx) => tx`insert into contacts (tenant_id, wa_id) values (${b.tenantId}, '1')`),
      ).rejects.toThrow(/row-level security/);
    });

    it('keeps platform rows out of reach outside the platform scope', async () => {
      await withPlatform(app, (tx) => tx`
        insert into dead_letters (body, body_sha256, reason) values ('{}', 'x', 'test')`);
      expect(await app`select * from dead_letters`).toHaveLength(0);
      expect(await withPlatform(app, (tx) => tx`select reason from dead_letters`)).toEqual([{ reason: 'test' }]);
    });
  });

  describe('routing and keys', () => {
    it('routes phone numbers and WABAs to their tenant without a tenant context', async () => {
      const { a, b } = await seedTwo();
      const rows = await app`select * from route_phone_numbers(${['pn-a', 'pn-b', 'pn-x']}) order by phone_number_id`;
      expect(rows).toEqual([
        { phoneNumberId: 'pn-a', tenantId: a.tenantId },
        { phoneNumberId: 'pn-b', tenantId: b.tenantId },
      ]);
      expect(await app`select * from route_wabas(${['waba-b']})`).toEqual([{ wabaId: 'waba-b', tenantId: b.tenantId }]);
    });
  });
});
