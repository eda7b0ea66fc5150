// What the README promises about people and keys, through the real api over HTTP: updateUser,
// deactivateUser and reactivateUser; the last admin cannot be demoted; deactivation ends sessions;
// keys cannot touch admins; at most 100 active keys; 50 failed sign-ins per address.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent, fetch as fetchWith } from 'undici';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { textMessage } from '../meta-sandbox/payloads.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, ingest, logIn, owner, resetDatabase, seedApiKey, seedDepartment, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

const PASSWORD = 'correct horse battery';
const ERRORS = '... on Error { __typename code message } ... on ValidationError { field }';
const USER = 'id email name role capacity active';
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

const UPDATE_USER = `mutation ($id: ID!, $role: Role, $name: String, $capacity: Int) {
  updateUser(id: $id, role: $role, name: $name, capacity: $capacity) { __typename ... on MutationUpdateUserSuccess { user { ${USER} } } ${ERRORS} } }`;
const DEACTIVATE = `mutation ($id: ID!) {
  deactivateUser(id: $id) { __typename ... on MutationDeactivateUserSuccess { user { ${USER} } } ${ERRORS} } }`;
const REACTIVATE = `mutation ($id: ID!) {
  reactivateUser(id: $id) { __typename ... on MutationReactivateUserSuccess { user { ${USER} } } ${ERRORS} } }`;
const CREATE_KEY = `mutation ($name: String!, $scopes: [ApiKeyScope!]!) {
  createApiKey(input: { name: $name, scopes: $scopes }) { __typename ... on MutationCreateApiKeySuccess { secret apiKey { id } } ${ERRORS} } }`;
const UPDATE_MY_PROFILE = `mutation ($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) { __typename ... on MutationUpdateMyProfileSuccess { user { ${USER} language } } ${ERRORS} } }`;
const UPDATE_TENANT = `mutation ($input: UpdateTenantInput!) {
  updateTenant(input: $input) { __typename ... on MutationUpdateTenantSuccess { tenant { name timeZone } } ${ERRORS} } }`;
const REVOKE_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ${ERRORS} } }`;
const LOG_IN = `mutation ($email: String!, $password: String!) {
  logIn(input: { email: $email, password: $password }) { __typename ... on TooManyAttemptsError { code retryAfterSeconds } ... on Error { code } } }`;

describe('people and keys, as the README states them', () => {
  let api: RunningApi;
  let tenantId: string;
  let boss: { id: string };
  let admin: Credentials;

  beforeAll(async () => {
    api = await startApi({ runJobs: false });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    boss = await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
    admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
  });

  const call = async (credentials: Credentials, query: string, variables: Record<string, unknown>) => {
    const answer = await graphql(api.url, credentials, query, variables);
    expect(answer.errors).toBeUndefined();
    return Object.values(answer.data!)[0] as any;
  };
  const me = (credentials: Credentials) => graphql(api.url, credentials, '{ me { email } }');

  describe('updateUser', () => {
    it("changes a person's role, name and capacity", async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', capacity: 5 });
      const answer = await call(admin, UPDATE_USER, { id: globalId('User', ana.id), role: 'MANAGER', name: '  Ana Lima ', capacity: 12 });
      expect(answer).toEqual({
        __typename: 'MutationUpdateUserSuccess',
        user: { id: globalId('User', ana.id), email: 'ana@acme.test', name: 'Ana Lima', role: 'MANAGER', capacity: 12, active: true },
      });
      expect(await owner()`select role, name, capacity from users where id = ${ana.id}`).toEqual([{ role: 'manager', name: 'Ana Lima', capacity: 12 }]);
    });

    it('refuses a capacity or name out of range with a ValidationError naming the field, changing nothing', async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', capacity: 5 });
      expect(await call(admin, UPDATE_USER, { id: globalId('User', ana.id), capacity: -1 })).toMatchObject({ __typename: 'ValidationError', field: 'capacity' });
      expect(await call(admin, UPDATE_USER, { id: globalId('User', ana.id), capacity: 1001 })).toMatchObject({ __typename: 'ValidationError', field: 'capacity' });
      expect(await call(admin, UPDATE_USER, { id: globalId('User', ana.id), name: '   ' })).toMatchObject({ __typename: 'ValidationError', field: 'name' });
      expect(await owner()`select name, capacity from users where id = ${ana.id}`).toEqual([{ name: 'Ana', capacity: 5 }]);
    });

    it('answers NotFoundError for a person of another tenant', async () => {
      const other = await seedDevTenant({ name: 'Other', wabaId: '900000000000001', phoneNumberId: '900000000000002', displayPhoneNumber: '15550000002' });
      const stranger = await seedUser(other.tenantId, { email: 'stranger@other.test' });
      expect(await call(admin, UPDATE_USER, { id: globalId('User', stranger.id), name: 'Taken over' })).toMatchObject({ __typename: 'NotFoundError' });
      expect(await owner()`select name from users where id = ${stranger.id}`).toEqual([{ name: 'stranger' }]);
    });
  });

  describe('updateMyProfile', () => {
    it("changes the signed-in person's own name and language, keeps what is left out, and clears the language with null", async () => {
      await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana' });
      const ana = await logIn(api.url, 'ana@acme.test', PASSWORD);
      expect((await graphql(api.url, ana, '{ me { language } }')).data).toEqual({ me: { language: null } });
      expect(await call(ana, UPDATE_MY_PROFILE, { input: { name: ' Ana Lima ', language: 'HE' } })).toMatchObject({
        __typename: 'MutationUpdateMyProfileSuccess',
        user: { email: 'ana@acme.test', name: 'Ana Lima', language: 'HE', role: 'AGENT' },
      });
      expect(await call(ana, UPDATE_MY_PROFILE, { input: { language: 'ES' } })).toMatchObject({ user: { name: 'Ana Lima', language: 'ES' } });
      expect(await call(ana, UPDATE_MY_PROFILE, { input: { name: 'Ana' } })).toMatchObject({ user: { name: 'Ana', language: 'ES' } });
      expect(await call(ana, UPDATE_MY_PROFILE, { input: { language: null } })).toMatchObject({ user: { language: null } });
      // Nobody else changed; the rename is in the audit log.
      expect(await owner()`select name, language from users where email = 'boss@acme.test'`).toEqual([{ name: 'boss', language: null }]);
      expect(await owner()`select count(*)::int as n from audit_events where action = 'user.renamed'`).toEqual([{ n: 2 }]);
    });

    it('refuses an empty or overlong name and a language it does not have, changing nothing', async () => {
      for (const name of ['   ', 'x'.repeat(121)]) {
        expect(await call(admin, UPDATE_MY_PROFILE, { input: { name, language: 'AR' } })).toMatchObject({ __typename: 'ValidationError', field: 'name' });
      }
      expect((await graphql(api.url, admin, UPDATE_MY_PROFILE, { input: { language: 'FR' } })).errors?.[0]?.message).toMatch(/Language/);
      expect(await owner()`select name, language from users where id = ${boss.id}`).toEqual([{ name: 'boss', language: null }]);
    });

    it('is for people only: a key has no profile', async () => {
      const key = (await call(admin, CREATE_KEY, { name: 'Sync', scopes: ['READ', 'SEND', 'ADMIN'] })).secret;
      const answer = await graphql(api.url, key, UPDATE_MY_PROFILE, { input: { language: 'EN' } });
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('User.sessions', () => {
    const SESSIONS = `query ($id: ID!) { node(id: $id) { ... on User { name sessions { id userAgent } } } }`;

    it("shows admins where a person is signed in, and nobody else; another tenant's person is not there at all", async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana' });
      await logIn(api.url, 'ana@acme.test', PASSWORD);
      await logIn(api.url, 'ana@acme.test', PASSWORD);
      const answer = await graphql(api.url, admin, SESSIONS, { id: globalId('User', ana.id) });
      expect(answer.errors).toBeUndefined();
      expect((answer.data as any).node.sessions).toHaveLength(2);

      await seedUser(tenantId, { email: 'max@acme.test', role: 'manager' });
      const manager = await logIn(api.url, 'max@acme.test', PASSWORD);
      const asManager = await graphql(api.url, manager, SESSIONS, { id: globalId('User', ana.id) });
      expect(asManager.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const readKey = await seedApiKey(tenantId, ['read', 'admin']);
      const asKey = await graphql(api.url, readKey, SESSIONS, { id: globalId('User', ana.id) });
      expect(asKey.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

      const { tenantId: other } = await seedDevTenant({ name: 'Other', wabaId: 'waba-other', phoneNumberId: 'pn-other', displayPhoneNumber: '1555000999' });
      await seedUser(other, { email: 'root@other.test', role: 'admin' });
      const otherAdmin = await logIn(api.url, 'root@other.test', PASSWORD);
      expect(await graphql(api.url, otherAdmin, SESSIONS, { id: globalId('User', ana.id) })).toMatchObject({ data: { node: null } });
      expect((await graphql(api.url, otherAdmin, SESSIONS, { id: globalId('User', ana.id) })).errors).toBeUndefined();
    });
  });

  describe('updateTenant', () => {
    it("changes the tenant's name (trimmed) and time zone, keeping what is left out, and audits each change", async () => {
      expect(await call(admin, UPDATE_TENANT, { input: { name: '  Acme Roasters ', timeZone: 'America/Mexico_City' } })).toEqual({
        __typename: 'MutationUpdateTenantSuccess',
        tenant: { name: 'Acme Roasters', timeZone: 'America/Mexico_City' },
      });
      expect(await call(admin, UPDATE_TENANT, { input: { timeZone: 'Asia/Jerusalem' } })).toMatchObject({ tenant: { name: 'Acme Roasters', timeZone: 'Asia/Jerusalem' } });
      expect((await graphql(api.url, admin, '{ viewer { tenant { name timeZone } } }')).data).toEqual({ viewer: { tenant: { name: 'Acme Roasters', timeZone: 'Asia/Jerusalem' } } });
      expect(await owner()`select count(*)::int as n from audit_events where action = 'tenant.updated'`).toEqual([{ n: 2 }]);
    });

    it('refuses an empty or overlong name and a zone Postgres does not know, changing nothing', async () => {
      for (const name of ['   ', 'x'.repeat(121)]) {
        expect(await call(admin, UPDATE_TENANT, { input: { name, timeZone: 'Europe/Madrid' } })).toMatchObject({ __typename: 'ValidationError', field: 'name' });
      }
      for (const timeZone of ['Mars/Olympus_Mons', '', 'europe/madrid; drop table tenants']) {
        expect(await call(admin, UPDATE_TENANT, { input: { timeZone } })).toMatchObject({ __typename: 'ValidationError', field: 'timeZone' });
      }
      expect(await owner()`select name, time_zone from tenants where id = ${tenantId}`).toEqual([{ name: 'Acme Coffee', timeZone: 'UTC' }]);
    });

    it('is for admins and ADMIN keys only', async () => {
      await seedUser(tenantId, { email: 'mia@acme.test', name: 'Mia', role: 'manager' });
      const manager = await logIn(api.url, 'mia@acme.test', PASSWORD);
      const readKey = (await call(admin, CREATE_KEY, { name: 'Reader', scopes: ['READ', 'SEND'] })).secret;
      const adminKey = (await call(admin, CREATE_KEY, { name: 'Admin', scopes: ['ADMIN'] })).secret;
      for (const caller of [manager, readKey]) {
        expect((await graphql(api.url, caller, UPDATE_TENANT, { input: { name: 'Taken over' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      expect(await call(adminKey, UPDATE_TENANT, { input: { name: 'By key' } })).toMatchObject({ tenant: { name: 'By key' } });
    });
  });

  describe('the last admin', () => {
    it('cannot be demoted; with a second admin, one can', async () => {
      const refused = await call(admin, UPDATE_USER, { id: globalId('User', boss.id), role: 'MANAGER' });
      expect(refused).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
      expect(await owner()`select role from users where id = ${boss.id}`).toEqual([{ role: 'admin' }]);

      const second = await seedUser(tenantId, { email: 'second@acme.test', role: 'admin' });
      expect(await call(admin, UPDATE_USER, { id: globalId('User', second.id), role: 'MANAGER' })).toMatchObject({ user: { role: 'MANAGER' } });
      // Now boss is the last admin again.
      expect(await call(admin, UPDATE_USER, { id: globalId('User', boss.id), role: 'AGENT' })).toMatchObject({ __typename: 'ConflictError' });
    });

    it('cannot be deactivated, and nobody deactivates themselves', async () => {
      const second = await seedUser(tenantId, { email: 'second@acme.test', role: 'admin' });
      const secondSession = await logIn(api.url, 'second@acme.test', PASSWORD);
      expect(await call(admin, DEACTIVATE, { id: globalId('User', boss.id) })).toMatchObject({ __typename: 'ConflictError', message: 'You cannot deactivate yourself.' });
      expect(await call(secondSession, DEACTIVATE, { id: globalId('User', boss.id) })).toMatchObject({ __typename: 'MutationDeactivateUserSuccess' });
      // `second` is now the only active admin; a deactivated admin does not count.
      expect(await call(secondSession, UPDATE_USER, { id: globalId('User', second.id), role: 'MANAGER' })).toMatchObject({ __typename: 'ConflictError' });
    });
  });

  describe('deactivateUser and reactivateUser', () => {
    it('ends every session of the person and their sign-in; reactivation lets them sign in anew', async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana' });
      const laptop = await logIn(api.url, 'ana@acme.test', PASSWORD);
      const phone = await logIn(api.url, 'ana@acme.test', PASSWORD);
      expect((await me(laptop)).data).toEqual({ me: { email: 'ana@acme.test' } });

      const deactivated = await call(admin, DEACTIVATE, { id: globalId('User', ana.id) });
      expect(deactivated).toMatchObject({ __typename: 'MutationDeactivateUserSuccess', user: { email: 'ana@acme.test', active: false } });
      for (const session of [laptop, phone]) expect((await me(session)).status).toBe(401);
      expect(await owner()`select count(*)::int as n from sessions where user_id = ${ana.id} and revoked_at is null`).toEqual([{ n: 0 }]);
      expect((await graphql(api.url, null, LOG_IN, { email: 'ana@acme.test', password: PASSWORD })).data?.logIn).toEqual({ __typename: 'InvalidCredentialsError', code: 'INVALID_CREDENTIALS' });

      const reactivated = await call(admin, REACTIVATE, { id: globalId('User', ana.id) });
      expect(reactivated).toMatchObject({ __typename: 'MutationReactivateUserSuccess', user: { email: 'ana@acme.test', active: true } });
      // Back in, with a new session; the ended ones stay ended.
      const again = await logIn(api.url, 'ana@acme.test', PASSWORD);
      expect((await me(again)).data).toEqual({ me: { email: 'ana@acme.test' } });
      expect((await me(laptop)).status).toBe(401);
    });

    it("closes the person's open socket (4403) at its next operation", async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test' });
      const session = await logIn(api.url, 'ana@acme.test', PASSWORD);
      let closeCode: number | undefined;
      const socket = createClient({
        url: api.wsUrl,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: { cookie: session.cookie } });
          }
        },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => {},
      });
      socket.on('closed', (event) => (closeCode = (event as { code: number }).code));
      const run = (query: string) =>
        new Promise<{ data?: unknown; errors?: unknown }>((resolve) => {
          let result: { data?: unknown } = {};
          socket.subscribe({ query }, { next: (value) => (result = value), error: (errors) => resolve({ errors }), complete: () => resolve(result) });
        });
      try {
        expect((await run('{ me { email } }')).data).toEqual({ me: { email: 'ana@acme.test' } });
        await call(admin, DEACTIVATE, { id: globalId('User', ana.id) });
        expect((await run('{ me { email } }')).data).toBeUndefined();
        await expect.poll(() => closeCode).toBe(4403);
      } finally {
        await socket.dispose();
      }
    });

    it('puts their open conversations back in the queue, where the next free person gets them', async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', presence: 'online' });
      const bo = await seedUser(tenantId, { email: 'bo@acme.test', name: 'Bo', presence: 'offline' });
      await seedDepartment(tenantId, { name: 'Support', isDefault: true, members: [ana.id, bo.id] });
      const from = { name: 'Lina', waId: '966501234567' };
      await ingest(api.url, [devTenantBody(from, [textMessage({ from, id: 'wamid.requeue-1', timestamp: String(Math.floor(Date.now() / 1000)), body: 'Hello?' })])]);
      const assignee = async () => (await owner()`select assignee_id, status from conversations`)[0];
      expect(await eventually(assignee, (c) => c?.assigneeId === ana.id)).toMatchObject({ assigneeId: ana.id, status: 'open' });

      await owner()`update users set presence = 'online' where id = ${bo.id}`;
      expect(await call(admin, DEACTIVATE, { id: globalId('User', ana.id) })).toMatchObject({ __typename: 'MutationDeactivateUserSuccess' });
      expect(await eventually(assignee, (c) => c?.assigneeId === bo.id)).toMatchObject({ assigneeId: bo.id, status: 'open' });
    });

    it('lists a deactivated person only when asked to', async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test' });
      await call(admin, DEACTIVATE, { id: globalId('User', ana.id) });
      const list = async (includeDeactivated: boolean) =>
        (await graphql(api.url, admin, 'query ($all: Boolean) { users(includeDeactivated: $all) { edges { node { email active } } } }', { all: includeDeactivated })).data.users.edges.map((e: any) => e.node);
      expect(await list(false)).toEqual([{ email: 'boss@acme.test', active: true }]);
      expect(await list(true)).toEqual(expect.arrayContaining([{ email: 'ana@acme.test', active: false }, { email: 'boss@acme.test', active: true }]));
    });

    it('answers NotFoundError when reactivating someone who does not exist', async () => {
      expect(await call(admin, REACTIVATE, { id: globalId('User', '00000000-0000-0000-0000-000000000000') })).toMatchObject({ __typename: 'NotFoundError' });
    });
  });

  describe('keys cannot touch admins', () => {
    let key: string;
    beforeEach(async () => {
      // A key changes only people whose powers it holds (READ and SEND, which every person has): invitations.spec.ts.
      key = (await call(admin, CREATE_KEY, { name: 'HR sync', scopes: ['READ', 'SEND', 'ADMIN'] })).secret;
    });

    it('may change agents and managers', async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test' });
      expect(await call(key, UPDATE_USER, { id: globalId('User', ana.id), role: 'MANAGER', capacity: 3 })).toMatchObject({ user: { role: 'MANAGER', capacity: 3 } });
      expect(await call(key, DEACTIVATE, { id: globalId('User', ana.id) })).toMatchObject({ user: { active: false } });
      expect(await call(key, REACTIVATE, { id: globalId('User', ana.id) })).toMatchObject({ user: { active: true } });
    });

    it('cannot make anyone an admin', async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test' });
      expect(await call(key, UPDATE_USER, { id: globalId('User', ana.id), role: 'ADMIN' })).toMatchObject({ __typename: 'ValidationError', field: 'role' });
      expect(await owner()`select role from users where id = ${ana.id}`).toEqual([{ role: 'agent' }]);
    });

    it('cannot change, deactivate or reactivate an admin', async () => {
      const second = await seedUser(tenantId, { email: 'second@acme.test', role: 'admin' });
      const id = globalId('User', second.id);
      expect(await call(key, UPDATE_USER, { id, name: 'Renamed by a key' })).toMatchObject({ __typename: 'ConflictError', code: 'ADMIN_ONLY' });
      expect(await call(key, UPDATE_USER, { id, role: 'AGENT' })).toMatchObject({ __typename: 'ConflictError', code: 'ADMIN_ONLY' });
      expect(await call(key, DEACTIVATE, { id })).toMatchObject({ __typename: 'ConflictError', code: 'ADMIN_ONLY' });
      await owner()`update users set deactivated_at = now() where id = ${second.id}`;
      expect(await call(key, REACTIVATE, { id })).toMatchObject({ __typename: 'ConflictError', code: 'ADMIN_ONLY' });
      expect(await owner()`select name, role, deactivated_at is not null as deactivated from users where id = ${second.id}`).toEqual([
        { name: 'second', role: 'admin', deactivated: true },
      ]);
    });
  });

  describe('at most 100 active keys', () => {
    it('refuses the 101st active key, and allows one again once a key is revoked', async () => {
      const active = async () => (await owner()`select count(*)::int as n from api_keys where revoked_at is null`)[0]!.n as number;
      const seeded = await active();
      const ids: string[] = [];
      for (let i = seeded; i < 100; i += 10) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(10, 100 - i) }, (_, j) => call(admin, CREATE_KEY, { name: `key ${i + j}`, scopes: ['READ'] })),
        );
        for (const created of batch) {
          expect(created.__typename).toBe('MutationCreateApiKeySuccess');
          ids.push(created.apiKey.id);
        }
      }
      expect(await active()).toBe(100);
      expect(await call(admin, CREATE_KEY, { name: 'one too many', scopes: ['READ'] })).toMatchObject({ __typename: 'ConflictError', code: 'TOO_MANY_KEYS' });
      expect(await active()).toBe(100);
      expect(await call(admin, REVOKE_KEY, { id: ids[0] })).toEqual({ __typename: 'MutationRevokeApiKeySuccess' });
      expect(await call(admin, CREATE_KEY, { name: 'room again', scopes: ['READ'] })).toMatchObject({ __typename: 'MutationCreateApiKeySuccess' });
      expect(await active()).toBe(100);
    });
  });

  describe('50 failed sign-ins per address', () => {
    it('locks the address after 50 failures spread over many accounts, even for a right password; another address still signs in', async () => {
      await seedUser(tenantId, { email: 'ana@acme.test' });
      // 50 different accounts, one wrong try each: no account reaches its own limit of 5.
      for (let i = 0; i < 50; i++) {
        const answer = await graphql(api.url, null, LOG_IN, { email: `guess${i}@acme.test`, password: 'wrong password' });
        expect(answer.data?.logIn, `attempt ${i + 1}`).toEqual({ __typename: 'InvalidCredentialsError', code: 'INVALID_CREDENTIALS' });
      }
      const locked = await graphql(api.url, null, LOG_IN, { email: 'ana@acme.test', password: PASSWORD });
      expect(locked.data?.logIn).toMatchObject({ __typename: 'TooManyAttemptsError', code: 'TOO_MANY_ATTEMPTS' });
      expect(locked.data!.logIn.retryAfterSeconds).toBeGreaterThan(14 * 60);
      expect(locked.data!.logIn.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);

      // The same request from another loopback address is a different client.
      const elsewhere = new Agent({ localAddress: '127.0.0.2' });
      try {
        const res = await fetchWith(`${api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
          body: JSON.stringify({ query: LOG_IN, variables: { email: 'ana@acme.test', password: PASSWORD } }),
          dispatcher: elsewhere,
        });
        expect(((await res.json()) as any).data.logIn).toEqual({ __typename: 'MutationLogInSuccess' });
      } finally {
        await elsewhere.close();
      }
    }, 60_000);
  });
});
