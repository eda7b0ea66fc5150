// The audit log through GraphQL, over real HTTP against a real api and Postgres: every sign-in and every
// failed one is recorded with who, what and from where; only the tenant's admins (and ADMIN keys) read
// it, newest first, by page and filter; another tenant's entries are out of reach, even by id. (That the
// database refuses to change an entry is db/src/audit-events.spec.ts.)
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { seedTenant } from '@switchboard/db/seed';
import { graphql, logIn, owner, resetDatabase, seedApiKey, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';

const PASSWORD = 'correct horse battery';
const LOG = `query ($first: Int, $after: String, $filter: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    edges { node { id action actorLabel targetLabel address } }
    pageInfo { hasNextPage endCursor } } }`;

const errorsOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);

describe('the audit log', () => {
  let api: RunningApi;
  let tenantId: string;
  let admin: Credentials;
  let adminId: string;

  beforeAll(async () => {
    api = await startApi({ runJobs: false });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    adminId = (await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' })).id;
    await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent', role: 'agent' });
    admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
  });

  const keyWithScopes = (scopes: string[]) => seedApiKey(tenantId, scopes);
  const entries = async (credentials: Credentials, variables: Record<string, unknown> = {}) => {
    const res = await graphql(api.url, credentials, LOG, variables);
    expect(res.errors).toBeUndefined();
    return res.data.auditLog.edges.map((e: any) => e.node) as { id: string; action: string; actorLabel: string; targetLabel: string | null; address: string }[];
  };
  const signInFails = async (email: string) => {
    const res = await graphql(api.url, null, 'mutation ($e: String!) { logIn(input: { email: $e, password: "not it at all" }) { __typename } }', { e: email });
    expect(res.data.logIn.__typename).toBe('InvalidCredentialsError');
  };

  it('records a sign-in with who and from where, and a failed one against the account it tried', async () => {
    await logIn(api.url, 'ana@acme.test', PASSWORD);
    await signInFails('ana@acme.test');
    // A failed sign-in is recorded without holding up its answer: wait for it.
    const log = await eventually(() => entries(admin), (all) => all.length === 3);
    expect(log.map(({ action, actorLabel, targetLabel, address }) => ({ action, actorLabel, targetLabel, address }))).toEqual([
      { action: 'session.sign_in_failed', actorLabel: 'Someone not signed in', targetLabel: 'Ana Agent', address: '127.0.0.1' },
      { action: 'session.signed_in', actorLabel: 'Ana Agent', targetLabel: null, address: '127.0.0.1' },
      { action: 'session.signed_in', actorLabel: 'Bea Boss', targetLabel: null, address: '127.0.0.1' },
    ]);
    // An email nobody has leaves nothing in any tenant's log.
    await signInFails('nobody@acme.test');
    await signInFails('ana@acme.test');
    await eventually(() => entries(admin), (all) => all.length === 4);
    expect(await owner()`select count(*)::int as n from audit_events`).toEqual([{ n: 4 }]);
  });

  it('pages newest first and filters by action and by actor', async () => {
    for (let i = 0; i < 3; i++) await logIn(api.url, 'ana@acme.test', PASSWORD);
    const first = await graphql(api.url, admin, LOG, { first: 2 });
    const second = await graphql(api.url, admin, LOG, { first: 2, after: first.data.auditLog.pageInfo.endCursor });
    const paged = [...first.data.auditLog.edges, ...second.data.auditLog.edges].map((e: any) => e.node.actorLabel);
    expect([paged, first.data.auditLog.pageInfo.hasNextPage, second.data.auditLog.pageInfo.hasNextPage]).toEqual([
      ['Ana Agent', 'Ana Agent', 'Ana Agent', 'Bea Boss'],
      true,
      false,
    ]);
    const boss = Buffer.from(`User:${adminId}`).toString('base64');
    expect((await entries(admin, { filter: { actorId: boss } })).map((e) => e.actorLabel)).toEqual(['Bea Boss']);
    expect(await entries(admin, { filter: { action: 'session.sign_in_failed' } })).toEqual([]);
    expect((await entries(admin, { filter: { since: new Date(Date.now() + 60_000).toISOString() } }))).toEqual([]);
  });

  it('is for admins and ADMIN keys only', async () => {
    const agent = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const refused = await Promise.all([agent, await keyWithScopes(['read', 'send'])].map((c) => graphql(api.url, c, LOG)));
    expect(refused.map((r) => [r.data?.auditLog ?? null, errorsOf(r)])).toEqual([
      [null, ['FORBIDDEN']],
      [null, ['FORBIDDEN']],
    ]);
    expect((await entries(await keyWithScopes(['admin']))).length).toBe(2);
  });

  it("keeps another tenant's entries out of reach, by list and by id", async () => {
    const other = await seedTenant(owner(), { name: 'Other Co', wabaId: 'waba-other', phoneNumberId: 'pn-other', displayPhoneNumber: '15550000999' });
    await seedUser(other.tenantId, { email: 'olga@other.test', name: 'Olga Other', role: 'admin' });
    const olga = await logIn(api.url, 'olga@other.test', PASSWORD);
    const theirs = await entries(olga);
    expect(theirs.map((e) => e.actorLabel)).toEqual(['Olga Other']);
    const ours = await entries(admin);
    expect(ours.map((e) => e.actorLabel)).toEqual(['Bea Boss']);
    const byId = await graphql(api.url, admin, 'query ($id: ID!) { node(id: $id) { id } }', { id: theirs[0]!.id });
    expect(byId.data).toEqual({ node: null });
    const own = await graphql(api.url, admin, 'query ($id: ID!) { node(id: $id) { ... on AuditEvent { action } } }', { id: ours[0]!.id });
    expect(own.data).toEqual({ node: { action: 'session.signed_in' } });
  });
});
