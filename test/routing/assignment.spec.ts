// People signing in, and conversations handed out: automatic assignment by department with capacity
// and presence, FIFO queues, manual assignment, and correctness with two api processes racing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textMessage } from '../meta-sandbox/payloads.ts';
import {
  graphql,
  ingest,
  logIn,
  owner,
  resetDatabase,
  seedDepartment,
  seedDevTenant,
  seedUser,
  startApi,
  subscribe,
  type RunningApi,
} from '../support/stack.ts';
import { eventually } from '../support/eventually.ts';
import { devTenantBody } from '../support/webhooks.ts';

let api: RunningApi;
let second: RunningApi;
let tenantId: string;

beforeAll(async () => {
  [api, second] = await Promise.all([startApi({ instanceId: 'assign-a' }), startApi({ instanceId: 'assign-b' })]);
});
afterAll(async () => {
  await Promise.all([api.stop(), second.stop()]);
});
beforeEach(async () => {
  await resetDatabase();
  ({ tenantId } = await seedDevTenant());
});

let sequence = 0;
function customerWrites(n: number, at = Math.floor(Date.now() / 1000)) {
  const waId = `1555000${String(n).padStart(4, '0')}`;
  return devTenantBody({ name: `Customer ${n}`, waId }, [
    textMessage({ from: { name: `Customer ${n}`, waId }, id: `wamid.assign-${n}-${++sequence}`, timestamp: String(at), body: 'Hello?' }),
  ]);
}

const CONVERSATIONS = `{ conversations(first: 100) { edges { node { id status waitingSince assignee { id name } contact { waId } } } } }`;
type ConversationRow = { id: string; status: string; waitingSince: string | null; assignee: { id: string; name: string } | null; contact: { waId: string } };
async function conversations(credentials: { cookie: string } | string): Promise<ConversationRow[]> {
  const res = await graphql<{ conversations: { edges: { node: ConversationRow }[] } }>(api.url, credentials, CONVERSATIONS);
  expect(res.errors).toBeUndefined();
  return res.data!.conversations.edges.map((e) => e.node);
}

const globalUserId = (id: string) => Buffer.from(`User:${id}`).toString('base64');

describe('signing in', () => {
  it('signs a person in with an HttpOnly SameSite cookie, answers me, and signs out', async () => {
    const agent = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', role: 'agent' });
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { logIn(input: { email: "ANA@acme.test", password: "correct horse battery" }) { __typename ... on MutationLogInSuccess { session { operator } } } }' }),
    });
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^sb_session=sbs_[A-Za-z0-9_-]{43}; Path=\/; Expires=.+; HttpOnly; SameSite=Strict$/);
    expect(await res.json()).toEqual({ data: { logIn: { __typename: 'MutationLogInSuccess', session: { operator: false } } } });
    const session = { cookie: cookie.split(';')[0]! };

    const me = await graphql(api.url, session, '{ me { id name role presence } }');
    expect(me.data).toEqual({ me: { id: globalUserId(agent.id), name: 'Ana', role: 'AGENT', presence: 'OFFLINE' } });
    // Only the hash of the token is stored.
    const [stored] = await owner()`select token_hash from sessions`;
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(session.cookie).not.toContain(stored!.tokenHash);

    const out = await graphql(api.url, session, 'mutation { logOut }');
    expect(out.data).toEqual({ logOut: true });
    const after = await graphql(api.url, session, '{ me { id } }');
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a session cookie sent from another origin', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const session = await logIn(api.url, 'ana@acme.test', 'correct horse battery');
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers the same for a wrong password and an unknown account, then pauses the account after five failures', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const attempt = (email: string, password: string) =>
      graphql(api.url, null, 'mutation ($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { __typename ... on Error { code message } ... on TooManyAttemptsError { retryAfterSeconds } } }', { e: email, p: password });
    const unknown = await attempt('nobody@acme.test', 'whatever whatever');
    const wrong = await attempt('ana@acme.test', 'wrong password!');
    expect(unknown.data).toEqual({ logIn: { __typename: 'InvalidCredentialsError', code: 'INVALID_CREDENTIALS', message: 'The email address or password is wrong.' } });
    expect(wrong.data).toEqual(unknown.data);
    for (let i = 0; i < 4; i++) await attempt('ana@acme.test', 'wrong password!');
    const paused = await attempt('ana@acme.test', 'correct horse battery');
    expect(paused.data?.logIn.__typename).toBe('TooManyAttemptsError');
    expect(paused.data?.logIn.retryAfterSeconds).toBeGreaterThan(800);
    // The pause is shared by every api process: counters live in Postgres.
    const elsewhere = await graphql(second.url, null, 'mutation { logIn(input: { email: "ana@acme.test", password: "correct horse battery" }) { __typename } }');
    expect(elsewhere.data).toEqual({ logIn: { __typename: 'TooManyAttemptsError' } });
    await owner()`delete from login_throttle`;
  });

  it('keeps people to their role: an agent cannot create users, an admin can, and the new person signs in once they accept the invitation', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test', role: 'agent' });
    await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
    const agent = await logIn(api.url, 'ana@acme.test', 'correct horse battery');
    const admin = await logIn(api.url, 'boss@acme.test', 'correct horse battery');
    const create = 'mutation ($e: String!) { createUser(email: $e, name: "Bo", role: MANAGER) { __typename ... on MutationCreateUserSuccess { user { email role } invitation { url } } ... on Error { code } } }';
    const refused = await graphql(api.url, agent, create, { e: 'bo@acme.test' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const created = await graphql(api.url, admin, create, { e: 'Bo@Acme.test' });
    expect(created.data).toMatchObject({ createUser: { __typename: 'MutationCreateUserSuccess', user: { email: 'bo@acme.test', role: 'MANAGER' } } });
    const taken = await graphql(api.url, admin, create, { e: 'bo@acme.test' });
    expect(taken.data).toEqual({ createUser: { __typename: 'ConflictError', code: 'CONFLICT' } });
    const token = created.data.createUser.invitation.url.split('/invite/')[1];
    const accepted = await graphql(api.url, null, 'mutation ($t: String!) { acceptInvitation(token: $t, password: "a long password") { __typename } }', { t: token });
    expect(accepted.data).toEqual({ acceptInvitation: { __typename: 'MutationAcceptInvitationSuccess' } });
    await logIn(api.url, 'bo@acme.test', 'a long password');
  });
});

describe('automatic assignment', () => {
  it('hands new conversations to online members in turn, keeps the rest waiting in order, and serves them as capacity frees', async () => {
    const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', capacity: 1, presence: 'online' });
    const ben = await seedUser(tenantId, { email: 'ben@acme.test', name: 'Ben', capacity: 1, presence: 'online' });
    await seedDepartment(tenantId, { name: 'Support', isDefault: true, members: [ana.id, ben.id] });
    const manager = await seedUser(tenantId, { email: 'max@acme.test', role: 'manager' });
    const anaSession = await logIn(api.url, ana.email, ana.password);
    const managerSession = await logIn(api.url, manager.email, manager.password);

    // Ana watches live, over her session cookie.
    const live = await subscribe(api.wsUrl, anaSession, 'subscription { conversationChanged { id assignee { name } } }');
    const now = Math.floor(Date.now() / 1000);
    for (let i = 1; i <= 3; i++) await ingest(api.url, [customerWrites(i, now - 100 + i)]);

    const rows = await eventually(() => conversations(managerSession), (r) => r.filter((c) => c.assignee).length === 2);
    const byCustomer = new Map(rows.map((r) => [r.contact.waId, r]));
    expect(new Set([byCustomer.get('15550000001')!.assignee?.name, byCustomer.get('15550000002')!.assignee?.name])).toEqual(new Set(['Ana', 'Ben']));
    expect(byCustomer.get('15550000003')!.assignee).toBeNull();
    expect(byCustomer.get('15550000003')!.waitingSince).not.toBeNull();
    const seen = await eventually(async () => live.events, (events) => events.some((e: any) => e.conversationChanged.assignee?.name === 'Ana'));
    expect(seen.some((e: any) => e.conversationChanged.assignee?.name === 'Ana')).toBe(true);

    // Ana resolves hers: the waiting customer is hers next.
    const anas = rows.find((r) => r.assignee?.name === 'Ana')!;
    const resolved = await graphql(api.url, anaSession, 'mutation ($id: ID!) { setConversationStatus(conversationId: $id, status: RESOLVED) { __typename } }', { id: anas.id });
    expect(resolved.data).toEqual({ setConversationStatus: { __typename: 'MutationSetConversationStatusSuccess' } });
    const third = await eventually(
      async () => (await conversations(managerSession)).find((c) => c.contact.waId === '15550000003')!,
      (c) => !!c.assignee,
    );
    expect(third.assignee?.name).toBe('Ana');
    await live.close();
  });

  it('gives work to a person who comes online, and shows an agent only their departments', async () => {
    const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', capacity: 3 });
    const sales = await seedUser(tenantId, { email: 'sam@acme.test', name: 'Sam', capacity: 3, presence: 'online' });
    await seedDepartment(tenantId, { name: 'Support', isDefault: true, members: [ana.id] });
    await seedDepartment(tenantId, { name: 'Sales', members: [sales.id] });
    await ingest(api.url, [customerWrites(1)]);
    const samSession = await logIn(api.url, sales.email, sales.password);
    expect(await conversations(samSession)).toEqual([]);

    const anaSession = await logIn(api.url, ana.email, ana.password);
    const [waiting] = await conversations(anaSession);
    expect(waiting!.assignee).toBeNull();
    const online = await graphql(api.url, anaSession, 'mutation { setPresence(presence: ONLINE) { presence } }');
    expect(online.data).toEqual({ setPresence: { presence: 'ONLINE' } });
    const [mine] = await conversations(anaSession);
    expect(mine!.assignee?.name).toBe('Ana');
  });

  it('balanced strategy gives the next conversation to the member with the fewest open', async () => {
    const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', capacity: 5, presence: 'online' });
    const ben = await seedUser(tenantId, { email: 'ben@acme.test', name: 'Ben', capacity: 5, presence: 'online' });
    await seedDepartment(tenantId, { name: 'Support', isDefault: true, strategy: 'balanced', members: [ana.id, ben.id] });
    const admin = await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
    const session = await logIn(api.url, admin.email, admin.password);
    for (let i = 1; i <= 4; i++) await ingest(api.url, [customerWrites(i)]);
    const rows = await eventually(() => conversations(session), (r) => r.every((c) => c.assignee));
    const counts = rows.reduce<Record<string, number>>((acc, r) => ((acc[r.assignee!.name] = (acc[r.assignee!.name] ?? 0) + 1), acc), {});
    expect(counts).toEqual({ Ana: 2, Ben: 2 });
  });
});

describe('transfers', () => {
  it('lets an agent hand a conversation to another department’s queue, which then serves it and hides it from them', async () => {
    const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', presence: 'online' });
    const bo = await seedUser(tenantId, { email: 'bo@acme.test', name: 'Bo', presence: 'online' });
    await seedDepartment(tenantId, { name: 'Support', isDefault: true, members: [ana.id] });
    const billing = await seedDepartment(tenantId, { name: 'Billing', members: [bo.id] });
    await ingest(api.url, [customerWrites(1)]);
    const session = await logIn(api.url, ana.email, ana.password);
    const [mine] = await conversations(session);
    expect(mine!.assignee?.name).toBe('Ana');

    const moved = await graphql(
      api.url,
      session,
      'mutation ($c: ID!, $d: ID!) { transferConversation(conversationId: $c, departmentId: $d) { __typename ... on MutationTransferConversationSuccess { conversation { id department { name } assignee { name } } } ... on Error { code } } }',
      { c: mine!.id, d: Buffer.from(`Department:${billing}`).toString('base64') },
    );
    expect(moved.errors).toBeUndefined();
    // Billing's online member is served at once; the answer shows where it went.
    expect(moved.data.transferConversation).toEqual({
      __typename: 'MutationTransferConversationSuccess',
      conversation: { id: mine!.id, department: { name: 'Billing' }, assignee: { name: 'Bo' } },
    });
    expect(await conversations(session)).toEqual([]);
    const again = await graphql(api.url, session, 'mutation ($c: ID!, $d: ID!) { transferConversation(conversationId: $c, departmentId: $d) { __typename } }', {
      c: mine!.id,
      d: Buffer.from(`Department:${billing}`).toString('base64'),
    });
    expect(again.data.transferConversation.__typename).toBe('NotFoundError');
  });
});

describe('under concurrency, across two api processes', () => {
  it('never assigns one conversation twice nor anyone over capacity, and serves the oldest waiters first', async () => {
    const agents = await Promise.all(
      [0, 1, 2, 3].map((i) => seedUser(tenantId, { email: `agent${i}@acme.test`, name: `Agent ${i}`, capacity: 2 })),
    );
    await seedDepartment(tenantId, { name: 'Support', isDefault: true, members: agents.map((a) => a.id) });
    const base = Math.floor(Date.now() / 1000) - 1000;
    // 20 customers write at once through both processes; nobody is online yet, so all wait.
    await Promise.all(Array.from({ length: 20 }, (_, i) => ingest(i % 2 ? api.url : second.url, [customerWrites(i + 1, base + i)])));
    const sessions = await Promise.all(agents.map((a, i) => logIn(i % 2 ? api.url : second.url, a.email, a.password)));
    // All four come online at the same moment, half through each process, while the sweep may run too.
    await Promise.all(sessions.map((s, i) => graphql(i % 2 ? api.url : second.url, s, 'mutation { setPresence(presence: ONLINE) { id } }')));

    const rows = await owner()<{ assigneeId: string | null; lastInboundAt: Date }[]>`
      select assignee_id, last_inbound_at from conversations where tenant_id = ${tenantId} order by last_inbound_at`;
    expect(rows).toHaveLength(20);
    const load = new Map<string, number>();
    for (const r of rows) if (r.assigneeId) load.set(r.assigneeId, (load.get(r.assigneeId) ?? 0) + 1);
    expect([...load.values()].sort()).toEqual([2, 2, 2, 2]);
    // FIFO: the eight longest-waiting customers were served.
    expect(rows.map((r) => !!r.assigneeId)).toEqual([...Array(8).fill(true), ...Array(12).fill(false)]);
  });

  it('lets only one of two racing manual assignments take an agent’s last slot', async () => {
    const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', capacity: 1 });
    const manager = await seedUser(tenantId, { email: 'max@acme.test', role: 'manager' });
    await seedDepartment(tenantId, { name: 'Support', isDefault: true, autoAssign: false, members: [ana.id] });
    await ingest(api.url, [customerWrites(1), customerWrites(2)]);
    const [s1, s2] = await Promise.all([logIn(api.url, manager.email, manager.password), logIn(second.url, manager.email, manager.password)]);
    const ids = (await conversations(s1)).map((c) => c.id);
    const assign = 'mutation ($c: ID!, $u: ID!) { assignConversation(conversationId: $c, userId: $u) { __typename ... on Error { code } } }';
    const answers = await Promise.all([
      graphql(api.url, s1, assign, { c: ids[0], u: globalUserId(ana.id) }),
      graphql(second.url, s2, assign, { c: ids[1], u: globalUserId(ana.id) }),
    ]);
    const kinds = answers.map((a) => a.data?.assignConversation.__typename).sort();
    expect(kinds).toEqual(['ConflictError', 'MutationAssignConversationSuccess']);
    expect(answers.find((a) => a.data?.assignConversation.code)?.data?.assignConversation.code).toBe('OVER_CAPACITY');
    const [held] = await owner()<{ n: number }[]>`select count(*)::int as n from conversations where assignee_id = ${ana.id}`;
    expect(held!.n).toBe(1);
  });
});
