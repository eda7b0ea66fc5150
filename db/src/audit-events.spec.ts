// The audit log is append-only in the database itself: the application role inserts and reads entries
// of its own tenant and nothing else, and a trigger refuses its updates and deletes even where the
// privileges were granted back; nobody updates an entry. Real Postgres.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Sql } from './connect.ts';
import { seedTenant } from './seed.ts';
import { withTenant } from './tenant.ts';
import { startTestDatabase, type TestDatabase } from './testing.ts';

describe('audit_events', () => {
  let db: TestDatabase;
  let owner: Sql;
  let app: Sql;
  let a: string;
  let b: string;

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
  beforeEach(async () => {
    await db.reset();
    a = (await seedTenant(owner, { name: 'A', wabaId: 'waba-a', phoneNumberId: 'pn-a', displayPhoneNumber: '1555000001' })).tenantId;
    b = (await seedTenant(owner, { name: 'B', wabaId: 'waba-b', phoneNumberId: 'pn-b', displayPhoneNumber: '1555000002' })).tenantId;
  });

  const record = (tenantId: string, action: string) =>
    withTenant(app, tenantId, (tx) => tx`insert into audit_events (tenant_id, action, actor_kind, address) values (${tenantId}, ${action}, 'system', '203.0.113.7') returning id`);
  /** What Postgres answers the statement: 'ok', or its error code and message. */
  const outcome = (run: Promise<unknown>) =>
    run.then(
      () => 'ok',
      (error: { code?: string; message: string }) => `${error.code}: ${error.message}`,
    );
  const count = async () => (await owner<{ n: number }[]>`select count(*)::int as n from audit_events`)[0]!.n;

  it('lets the application role insert and read entries of its own tenant only', async () => {
    await record(a, 'session.signed_in');
    await record(b, 'user.role_changed');
    const seenByA = await withTenant(app, a, (tx) => tx`select action, actor_kind, host(address) as address from audit_events`);
    expect(seenByA).toEqual([{ action: 'session.signed_in', actorKind: 'system', address: '203.0.113.7' }]);
    // An entry for another tenant cannot be written from this one.
    expect(await outcome(withTenant(app, a, (tx) => tx`insert into audit_events (tenant_id, action, actor_kind) values (${b}, 'session.signed_in', 'system')`))).toMatch(/^42501: new row violates row-level security policy/);
  });

  it('refuses the application role every update and delete, without touching an entry', async () => {
    await record(a, 'session.signed_in');
    const attempts = await Promise.all([
      outcome(withTenant(app, a, (tx) => tx`update audit_events set action = 'session.signed_out'`)),
      outcome(withTenant(app, a, (tx) => tx`delete from audit_events`)),
      outcome(app`truncate audit_events`),
    ]);
    expect(attempts.map((a) => a.split(':')[0])).toEqual(['42501', '42501', '42501']);
    expect(await owner`select action from audit_events`).toEqual([{ action: 'session.signed_in' }]);
  });

  it('refuses them by trigger even where the privileges were granted back', async () => {
    await record(a, 'session.signed_in');
    const asAppWithPrivileges = (statement: string) =>
      outcome(
        owner.begin(async (tx) => {
          await tx`grant update, delete, truncate on audit_events to switchboard_app`;
          await tx`set local role switchboard_app`;
          await tx`select set_config('app.tenant_id', ${a}, true)`;
          await tx.unsafe(statement);
        }),
      );
    expect(await asAppWithPrivileges(`update audit_events set action = 'session.signed_out'`)).toBe('42501: audit_events is append-only: UPDATE refused');
    expect(await asAppWithPrivileges('delete from audit_events')).toBe('42501: audit_events is append-only: DELETE refused');
    expect(await asAppWithPrivileges('truncate audit_events')).toBe('42501: audit_events is append-only: TRUNCATE refused');
    expect(await count()).toBe(1);
  });

  it('refuses every role an update; a maintenance role (retention) may delete', async () => {
    await record(a, 'session.signed_in');
    expect(await outcome(owner`update audit_events set action = 'session.signed_out'`)).toBe('42501: audit_events is append-only: UPDATE refused');
    expect(await outcome(owner`delete from audit_events where action = 'session.signed_in'`)).toBe('ok');
    expect(await count()).toBe(0);
  });

  it('takes only dotted, stable action names', async () => {
    expect(await outcome(record(a, 'Signed in'))).toMatch(/^23514: new row for relation "audit_events" violates check constraint/);
    expect(await outcome(record(a, 'privacy.erasure.completed'))).toBe('ok');
  });
});
