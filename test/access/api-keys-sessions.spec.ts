// Who holds access, and how it ends: partner keys created, scoped and revoked by admins (the secret shown
// once), sessions listed and ended, passwords changed — through the real api over HTTP and WebSocket, with
// row-level security checked underneath as the api's own database role.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { connect, type Sql } from '@switchboard/db/connect';
import { withScope } from '@switchboard/db/tenant';
import {
  graphql,
  logIn,
  owner,
  resetDatabase,
  seedDevTenant,
  seedUser,
  startApi,
  subscriptionsAttached,
  type Credentials,
  type RunningApi,
} from '../support/stack.ts';

const ERROR = '... on Error { __typename code message }';
const ERRORS = `${ERROR} ... on ValidationError { field }`;
const KEY_FIELDS = 'id name scopes hint active revokedAt lastUsedAt createdBy { email } createdByKey { name }';

const CREATE_KEY = `mutation ($name: String!, $scopes: [ApiKeyScope!]!) {
  createApiKey(input: { name: $name, scopes: $scopes }) {
    __typename ... on MutationCreateApiKeySuccess { secret apiKey { ${KEY_FIELDS} } } ${ERRORS} } }`;
const UPDATE_SCOPES = `mutation ($id: ID!, $scopes: [ApiKeyScope!]!) {
  updateApiKeyScopes(id: $id, scopes: $scopes) {
    __typename ... on MutationUpdateApiKeyScopesSuccess { apiKey { name scopes } } ${ERRORS} } }`;
const REVOKE_KEY = `mutation ($id: ID!) {
  revokeApiKey(id: $id) { __typename ... on MutationRevokeApiKeySuccess { apiKey { name active } } ${ERRORS} } }`;
const KEYS = `query ($includeRevoked: Boolean) { apiKeys(includeRevoked: $includeRevoked) { edges { node { ${KEY_FIELDS} } } } }`;

const CONVERSATIONS = '{ conversations(first: 5) { edges { node { id } } } }';
const SEND_TEXT = `mutation ($conversationId: ID!) {
  sendText(conversationId: $conversationId, body: "Hello") { __typename ${ERRORS} } }`;
/** A well-formed conversation id that names no conversation: a send scope gets past the scope check to NOT_FOUND. */
const NO_CONVERSATION = Buffer.from('Conversation:00000000-0000-0000-0000-000000000000').toString('base64');

const SESSIONS = '{ mySessions { id current userAgent createdAt lastSeenAt expiresAt } }';
const REVOKE_SESSION = `mutation ($id: ID!) {
  revokeSession(id: $id) { __typename ... on MutationRevokeSessionSuccess { sessionId } ${ERROR} } }`;
const CHANGE_PASSWORD = `mutation ($current: String!, $next: String!) {
  changePassword(currentPassword: $current, newPassword: $next) {
    __typename ... on MutationChangePasswordSuccess { endedSessions } ... on TooManyAttemptsError { retryAfterSeconds } ${ERRORS} } }`;

const PASSWORD = 'correct horse battery';
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

type KeyNode = {
  id: string;
  name: string;
  scopes: string[];
  hint: string;
  active: boolean;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdBy: { email: string } | null;
  createdByKey: { name: string } | null;
};

let api: RunningApi;
let appSql: Sql;
let tenantId: string;
let seededKey: string;
let admin: { cookie: string };

beforeAll(async () => {
  // Open sockets are checked again every second here (30 s by default), so idle listeners' revocation shows quickly.
  api = await startApi({ instanceId: 'access', socketRecheckSeconds: 1 });
  appSql = connect(inject('appUrl'), { max: 2, applicationName: 'access-spec-app' });
});
afterAll(async () => {
  await api?.stop();
  await appSql?.end();
});
beforeEach(async () => {
  await resetDatabase();
  ({ tenantId, apiKey: seededKey } = await seedDevTenant());
  await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
  admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
});

async function createKey(as: Credentials, name: string, scopes: string[]) {
  const res = await graphql(api.url, as, CREATE_KEY, { name, scopes });
  expect(res.errors).toBeUndefined();
  return res.data!.createApiKey as { __typename: string; secret?: string; apiKey?: KeyNode; code?: string; message?: string; field?: string };
}

async function newKey(as: Credentials, name: string, scopes: string[]): Promise<{ secret: string; id: string }> {
  const created = await createKey(as, name, scopes);
  expect(created.__typename).toBe('MutationCreateApiKeySuccess');
  return { secret: created.secret!, id: created.apiKey!.id };
}

async function listKeys(as: Credentials, includeRevoked = false): Promise<KeyNode[]> {
  const res = await graphql(api.url, as, KEYS, { includeRevoked });
  expect(res.errors).toBeUndefined();
  return res.data!.apiKeys.edges.map((e: { node: KeyNode }) => e.node);
}

/** A graphql-ws connection held open, to run several operations on one socket. */
async function openSocket(credentials: Exclude<Credentials, null>) {
  const cookie = typeof credentials === 'string' ? null : credentials.cookie;
  class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  }
  let closeCode: number | undefined;
  const client: Client = createClient({
    url: api.wsUrl,
    webSocketImpl: CookieWebSocket,
    connectionParams: typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : {},
    retryAttempts: 0,
    lazy: false,
    // The close is asserted through closeCode(); the client need not print it.
    onNonLazyError: () => {},
  });
  client.on('closed', (event) => (closeCode = (event as { code: number }).code));
  await new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', reject);
  });
  return {
    run(query: string): Promise<{ data?: any; errors?: any }> {
      return new Promise((resolve) => {
        let result: { data?: any; errors?: any } = {};
        client.subscribe({ query }, {
          next: (value) => (result = value),
          error: (error) => resolve({ errors: error }),
          complete: () => resolve(result),
        });
      });
    },
    closeCode: () => closeCode,
    dispose: () => client.dispose(),
  };
}

describe('partner keys', () => {
  it('creates a key whose secret is shown once, stored only as a hash, and grants exactly its scopes', async () => {
    const created = await createKey(admin, '  CRM sync ', ['READ']);
    expect(created.__typename).toBe('MutationCreateApiKeySuccess');
    const secret = created.secret!;
    expect(secret).toMatch(/^sb_live_[0-9a-f]{32}$/);
    expect(created.apiKey).toEqual({
      id: expect.any(String),
      name: 'CRM sync',
      scopes: ['READ'],
      hint: `${secret.slice(0, 12)}…${secret.slice(-4)}`,
      active: true,
      revokedAt: null,
      lastUsedAt: null,
      createdBy: { email: 'boss@acme.test' },
      createdByKey: null,
    });

    // Only the hash is stored: no column holds the secret.
    const rows = await owner()<{ row: string; keyHash: string }[]>`
      select row_to_json(k)::text as row, key_hash from api_keys k where name = 'CRM sync'`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.keyHash).toBe(sha256(secret));
    expect(rows[0]!.row).not.toContain(secret);

    // Read: it may read, not send, not administer.
    const read = await graphql(api.url, secret, CONVERSATIONS);
    expect(read).toEqual({ status: 200, data: { conversations: { edges: [] } } });
    const send = await graphql(api.url, secret, SEND_TEXT, { conversationId: NO_CONVERSATION });
    expect(send.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const keys = await graphql(api.url, secret, KEYS);
    expect(keys.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Given send, the same key gets past the scope check on its next request.
    const raised = await graphql(api.url, admin, UPDATE_SCOPES, { id: created.apiKey!.id, scopes: ['SEND', 'READ', 'SEND'] });
    expect(raised.data).toEqual({ updateApiKeyScopes: { __typename: 'MutationUpdateApiKeyScopesSuccess', apiKey: { name: 'CRM sync', scopes: ['READ', 'SEND'] } } });
    const sent = await graphql(api.url, secret, SEND_TEXT, { conversationId: NO_CONVERSATION });
    expect(sent.data).toEqual({ sendText: { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Conversation was not found.' } });

    // The listing shows the key, its use, and never a secret; there is no field to ask for one.
    const listed = await listKeys(admin);
    expect(listed.map((k) => [k.name, k.scopes, k.createdBy?.email ?? null])).toEqual([
      ['CRM sync', ['READ', 'SEND'], 'boss@acme.test'],
      ['Seeded key', ['READ', 'SEND'], null],
    ]);
    expect(listed[0]!.lastUsedAt).not.toBeNull();
    const body = JSON.stringify(listed);
    expect(body).not.toContain(secret);
    expect(body).not.toContain(seededKey);
    const asked = await graphql(api.url, admin, '{ apiKeys { edges { node { secret } } } }');
    expect(asked.status).toBe(400);
    expect(asked.errors?.[0]?.message).toBe('Cannot query field "secret" on type "ApiKey".');
  });

  it('answers bad input with typed errors', async () => {
    expect(await createKey(admin, '   ', ['READ'])).toEqual({
      __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'name', message: 'Key names need 1 to 100 characters.',
    });
    expect(await createKey(admin, 'Nothing', [])).toEqual({
      __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'scopes', message: 'Give the key at least one scope: read, send or admin.',
    });
    // A scope that does not exist is not a value of the enum: the operation is refused before it runs.
    const unknown = await graphql(api.url, admin, CREATE_KEY, { name: 'Everything', scopes: ['ROOT'] });
    expect(unknown.status).toBe(400);
    expect(unknown.errors?.[0]?.message).toContain('Value "ROOT" does not exist in "ApiKeyScope" enum.');

    const missing = globalId('ApiKey', '00000000-0000-0000-0000-000000000000');
    expect((await graphql(api.url, admin, REVOKE_KEY, { id: missing })).data).toEqual({
      revokeApiKey: { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'API key was not found.' },
    });
    expect((await graphql(api.url, admin, REVOKE_KEY, { id: globalId('User', 'not-a-uuid') })).data?.revokeApiKey.__typename).toBe('NotFoundError');
    expect(await owner()`select 1 from api_keys where name in ('Nothing', 'Everything')`).toHaveLength(0);
  });

  it('keeps keys from people who are not admins, in the schema and in the database underneath', async () => {
    const agent = await seedUser(tenantId, { email: 'ana@acme.test', role: 'agent' });
    const manager = await seedUser(tenantId, { email: 'max@acme.test', role: 'manager' });
    for (const who of [await logIn(api.url, agent.email, PASSWORD), await logIn(api.url, manager.email, PASSWORD)]) {
      expect((await graphql(api.url, who, KEYS)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await graphql(api.url, who, CREATE_KEY, { name: 'Mine', scopes: ['READ'] })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    // A seeded read+send key is no admin either.
    expect((await graphql(api.url, seededKey, CREATE_KEY, { name: 'Mine', scopes: ['READ'] })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Row-level security, as the api's role: a person's transaction sees keys only when they are an admin.
    const [bossId] = await owner()<{ id: string }[]>`select id from users where email = 'boss@acme.test'`;
    const visible = (scope: Parameters<typeof withScope>[1]) => withScope(appSql, scope, (tx) => tx`select name from api_keys`);
    expect(await visible({ tenantId, userId: agent.id, role: 'agent' })).toEqual([]);
    expect(await visible({ tenantId, userId: manager.id, role: 'manager' })).toEqual([]);
    expect(await visible({ tenantId, userId: bossId!.id, role: 'admin' })).toEqual([{ name: 'Seeded key' }]);
    // An agent's transaction cannot write one either.
    await expect(
      withScope(appSql, { tenantId, userId: agent.id, role: 'agent' }, (tx) => tx`
        insert into api_keys (tenant_id, name, prefix, key_hash, scopes) values (${tenantId}, 'Sneaky', 'sb_live_0000', ${sha256('x')}, ${['admin']})`),
    ).rejects.toThrow(/row-level security/);
  });

  it('lets an admin key manage keys only within its own scopes, and revokes the keys it made with it', async () => {
    const parent = await newKey(admin, 'Provisioner', ['READ', 'ADMIN']);

    const broader = await createKey(parent.secret, 'Sender', ['READ', 'SEND']);
    expect(broader).toEqual({
      __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'scopes', message: 'A key can only give scopes it has itself; this one lacks: send.',
    });
    const childCreated = await createKey(parent.secret, 'Reporting', ['READ']);
    expect(childCreated.apiKey).toMatchObject({ name: 'Reporting', scopes: ['READ'], createdBy: null, createdByKey: { name: 'Provisioner' } });
    const child = { secret: childCreated.secret!, id: childCreated.apiKey!.id };

    // It cannot raise its child beyond itself, nor touch a key holding a scope it lacks.
    expect((await graphql(api.url, parent.secret, UPDATE_SCOPES, { id: child.id, scopes: ['READ', 'SEND'] })).data).toEqual({
      updateApiKeyScopes: { __typename: 'ConflictError', code: 'SCOPE_NOT_HELD', message: 'Only an admin, or a key that has these scopes too, can do this: send.' },
    });
    const seededId = (await listKeys(admin)).find((k) => k.name === 'Seeded key')!.id;
    expect((await graphql(api.url, parent.secret, REVOKE_KEY, { id: seededId })).data?.revokeApiKey).toMatchObject({ code: 'SCOPE_NOT_HELD' });
    expect((await graphql(api.url, seededKey, CONVERSATIONS)).status).toBe(200);

    // A person who is admin may give any scope, and revoking the parent revokes the child with it.
    expect((await graphql(api.url, admin, UPDATE_SCOPES, { id: child.id, scopes: ['READ', 'SEND'] })).data?.updateApiKeyScopes.__typename).toBe(
      'MutationUpdateApiKeyScopesSuccess',
    );
    expect((await graphql(api.url, admin, REVOKE_KEY, { id: parent.id })).data).toEqual({
      revokeApiKey: { __typename: 'MutationRevokeApiKeySuccess', apiKey: { name: 'Provisioner', active: false } },
    });
    for (const secret of [parent.secret, child.secret]) expect((await graphql(api.url, secret, CONVERSATIONS)).status).toBe(401);
    expect((await listKeys(admin)).map((k) => k.name)).toEqual(['Seeded key']);
    expect((await listKeys(admin, true)).map((k) => [k.name, k.active])).toEqual([
      ['Reporting', false],
      ['Provisioner', false],
      ['Seeded key', true],
    ]);
    expect((await graphql(api.url, admin, UPDATE_SCOPES, { id: child.id, scopes: ['READ'] })).data?.updateApiKeyScopes).toMatchObject({
      __typename: 'ConflictError',
      code: 'REVOKED',
    });
  });

  it("shows a tenant's admin key only its own tenant's keys", async () => {
    const other = await seedDevTenant({ name: 'Beta Bakery', wabaId: '200000000000001', phoneNumberId: '200000000000002', displayPhoneNumber: '15550000002' });
    await seedUser(other.tenantId, { email: 'boss@beta.test', role: 'admin' });
    const betaAdmin = await logIn(api.url, 'boss@beta.test', PASSWORD);
    const beta = await newKey(betaAdmin, 'Beta integration', ['READ']);
    const acme = await newKey(admin, 'Acme admin key', ['READ', 'ADMIN']);

    expect((await listKeys(acme.secret)).map((k) => k.name)).toEqual(['Acme admin key', 'Seeded key']);
    expect((await listKeys(betaAdmin)).map((k) => k.name)).toEqual(['Beta integration', 'Seeded key']);
    expect((await graphql(api.url, acme.secret, REVOKE_KEY, { id: beta.id })).data?.revokeApiKey.__typename).toBe('NotFoundError');
    expect((await graphql(api.url, admin, UPDATE_SCOPES, { id: beta.id, scopes: ['READ'] })).data?.updateApiKeyScopes.__typename).toBe('NotFoundError');
    expect((await graphql(api.url, beta.secret, CONVERSATIONS)).status).toBe(200);
  });

  it('refuses a revoked key at once: the next HTTP request with 401, the next operation on an open socket by closing it', async () => {
    const key = await newKey(admin, 'Live dashboard', ['READ']);
    const socket = await openSocket(key.secret);
    expect(await socket.run(CONVERSATIONS)).toEqual({ data: { conversations: { edges: [] } } });

    expect((await graphql(api.url, admin, REVOKE_KEY, { id: key.id })).data?.revokeApiKey.apiKey).toEqual({ name: 'Live dashboard', active: false });

    const http = await graphql(api.url, key.secret, CONVERSATIONS);
    expect(http.status).toBe(401);
    expect(http.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const next = await socket.run(CONVERSATIONS);
    expect(next.data).toBeUndefined();
    await expect.poll(() => socket.closeCode()).toBe(4403);
    await socket.dispose();
    // Revoking again changes nothing.
    expect((await graphql(api.url, admin, REVOKE_KEY, { id: key.id })).data?.revokeApiKey.apiKey).toEqual({ name: 'Live dashboard', active: false });
  });
});

describe('sessions', () => {
  async function sessionsOf(who: { cookie: string }) {
    const res = await graphql(api.url, who, SESSIONS);
    expect(res.errors).toBeUndefined();
    return res.data!.mySessions as { id: string; current: boolean; userAgent: string | null; expiresAt: string }[];
  }
  const refused = async (who: { cookie: string }) => (await graphql(api.url, who, '{ me { id } }')).errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';

  it('lists your open sessions, marks the current one, and ends the one you name', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const laptop = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const phone = await logIn(api.url, 'ana@acme.test', PASSWORD);

    const seen = await sessionsOf(laptop);
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.current).sort()).toEqual([false, true]);
    expect(new Date(seen[0]!.expiresAt).getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);
    const phoneSession = seen.find((s) => !s.current)!;

    // Someone else's session is not yours to end, even for an admin through this mutation.
    const byAdmin = await graphql(api.url, admin, REVOKE_SESSION, { id: phoneSession.id });
    expect(byAdmin.data).toEqual({ revokeSession: { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Session was not found.' } });
    expect(await refused(phone)).toBe(false);

    const ended = await graphql(api.url, laptop, REVOKE_SESSION, { id: phoneSession.id });
    expect(ended.data).toEqual({ revokeSession: { __typename: 'MutationRevokeSessionSuccess', sessionId: phoneSession.id } });
    expect(await refused(phone)).toBe(true);
    expect(await refused(laptop)).toBe(false);
    expect((await sessionsOf(laptop)).map((s) => s.current)).toEqual([true]);
    expect((await graphql(api.url, laptop, REVOKE_SESSION, { id: phoneSession.id })).data?.revokeSession.__typename).toBe('NotFoundError');
  });

  it('changes a password: a wrong current one is refused, then other sessions end, this one stays, and only the new password signs in', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const here = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const elsewhere = await logIn(api.url, 'ana@acme.test', PASSWORD);

    expect((await graphql(api.url, here, CHANGE_PASSWORD, { current: 'not my password', next: 'a brand new secret' })).data).toEqual({
      changePassword: { __typename: 'InvalidCredentialsError', code: 'INVALID_CREDENTIALS', message: 'The email address or password is wrong.' },
    });
    expect((await graphql(api.url, here, CHANGE_PASSWORD, { current: PASSWORD, next: 'short' })).data).toEqual({
      changePassword: { __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'newPassword', message: 'Passwords need at least 10 characters.' },
    });
    expect(await refused(elsewhere)).toBe(false);

    const changed = await graphql(api.url, here, CHANGE_PASSWORD, { current: PASSWORD, next: 'a brand new secret' });
    expect(changed.data).toEqual({ changePassword: { __typename: 'MutationChangePasswordSuccess', endedSessions: 1 } });
    expect(await refused(elsewhere)).toBe(true);
    expect(await refused(here)).toBe(false);
    await expect(logIn(api.url, 'ana@acme.test', PASSWORD)).rejects.toThrow(/INVALID_CREDENTIALS|InvalidCredentialsError/);
    const again = await logIn(api.url, 'ana@acme.test', 'a brand new secret');
    expect(await refused(again)).toBe(false);
  });

  it('counts wrong current passwords towards the sign-in pause', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const here = await logIn(api.url, 'ana@acme.test', PASSWORD);
    for (let i = 0; i < 5; i++) await graphql(api.url, here, CHANGE_PASSWORD, { current: `guess number ${i}`, next: 'a brand new secret' });
    const paused = await graphql(api.url, here, CHANGE_PASSWORD, { current: PASSWORD, next: 'a brand new secret' });
    expect(paused.data?.changePassword.__typename).toBe('TooManyAttemptsError');
    expect(paused.data?.changePassword.retryAfterSeconds).toBeGreaterThan(800);
    const signIn = await graphql(api.url, null, `mutation { logIn(input: { email: "ana@acme.test", password: "${PASSWORD}" }) { __typename } }`);
    expect(signIn.data).toEqual({ logIn: { __typename: 'TooManyAttemptsError' } });
    await owner()`delete from login_throttle`;
  });

  it('signs out everywhere else, keeping this session', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const [here, a, b] = [
      await logIn(api.url, 'ana@acme.test', PASSWORD),
      await logIn(api.url, 'ana@acme.test', PASSWORD),
      await logIn(api.url, 'ana@acme.test', PASSWORD),
    ];
    expect((await graphql(api.url, here, 'mutation { logOutEverywhereElse }')).data).toEqual({ logOutEverywhereElse: 2 });
    expect([await refused(here), await refused(a), await refused(b)]).toEqual([false, true, true]);
    expect((await graphql(api.url, seededKey, 'mutation { logOutEverywhereElse }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("lets an admin end a person's sessions, but not set their password; an agent cannot", async () => {
    const ana = await seedUser(tenantId, { email: 'ana@acme.test' });
    const bo = await seedUser(tenantId, { email: 'bo@acme.test' });
    const anaSessions = [await logIn(api.url, ana.email, PASSWORD), await logIn(api.url, ana.email, PASSWORD)];
    const boSession = await logIn(api.url, bo.email, PASSWORD);
    const END = `mutation ($userId: ID!) { revokeUserSessions(userId: $userId) {
      __typename ... on MutationRevokeUserSessionsSuccess { endedSessions } ${ERROR} } }`;

    expect((await graphql(api.url, boSession, END, { userId: globalId('User', ana.id) })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // An agent's transaction does not even see a colleague's sessions underneath.
    const seenByBo = await withScope(appSql, { tenantId, userId: bo.id, role: 'agent' }, (tx) => tx`select user_id from sessions`);
    expect(seenByBo).toEqual([{ userId: bo.id }]);

    expect((await graphql(api.url, admin, END, { userId: globalId('User', ana.id) })).data).toEqual({
      revokeUserSessions: { __typename: 'MutationRevokeUserSessionsSuccess', endedSessions: 2 },
    });
    for (const s of anaSessions) expect(await refused(s)).toBe(true);
    expect(await refused(boSession)).toBe(false);
    expect((await graphql(api.url, admin, END, { userId: globalId('User', '00000000-0000-0000-0000-000000000000') })).data?.revokeUserSessions.__typename).toBe(
      'NotFoundError',
    );

    // Nobody sets another person's password any more: resetUserPassword is gone (invitations.spec.ts).
    const reset = await graphql(api.url, admin, `mutation { resetUserPassword(id: "${globalId('User', bo.id)}", newPassword: "reset by the boss") { __typename } }`);
    expect(reset.errors?.[0]?.message).toMatch(/Cannot query field "resetUserPassword"/);
    expect(await refused(boSession)).toBe(false);
  });

  it('refuses an expired session and no longer lists it', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const old = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const fresh = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const stale = (await sessionsOf(fresh)).find((s) => !s.current)!;
    const [, rawId] = Buffer.from(stale.id, 'base64').toString().split(':');
    await owner()`update sessions set expires_at = now() - interval '1 second' where id = ${rawId!}`;

    expect(await refused(old)).toBe(true);
    expect((await sessionsOf(fresh)).map((s) => s.current)).toEqual([true]);
  });

  it('closes an open socket at its next operation once its session is revoked', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const browser = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const other = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const socket = await openSocket(browser);
    expect((await socket.run('{ me { email } }')).data).toEqual({ me: { email: 'ana@acme.test' } });

    const target = (await sessionsOf(other)).find((s) => !s.current)!;
    expect((await graphql(api.url, other, REVOKE_SESSION, { id: target.id })).data?.revokeSession.__typename).toBe('MutationRevokeSessionSuccess');

    expect((await socket.run('{ me { email } }')).data).toBeUndefined();
    await expect.poll(() => socket.closeCode()).toBe(4403);
    await socket.dispose();
  });
  it('closes a socket that only listens once its session is signed out elsewhere', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    const browser = await logIn(api.url, 'ana@acme.test', PASSWORD);
    const socket = await openSocket(browser);
    const attached = subscriptionsAttached(api.wsUrl);
    void socket.run('subscription { conversationChanged { id } }');
    // The server has attached the subscription: the socket is listening, not just connected.
    await expect.poll(() => subscriptionsAttached(api.wsUrl)).toBe(attached + 1);
    expect(socket.closeCode()).toBeUndefined();

    expect((await graphql(api.url, browser, 'mutation { logOut }')).data?.logOut).toBe(true);
    // No operation is sent on the socket: the periodic check closes it.
    await expect.poll(() => socket.closeCode(), { timeout: 5_000 }).toBe(4403);
    await socket.dispose();
  });
});
