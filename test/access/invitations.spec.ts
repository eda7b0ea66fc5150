// People join by invitation: nobody (admin or key) chooses another person's password. createUser and
// reissueInvitation hand back a single-use link that expires in 72 hours; the invitee opens it, sets a
// password and is signed in. A key creates or changes only people whose powers it holds itself, so an
// ADMIN-only key can no longer make a manager and sign in as them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '@switchboard/db/tenant';
import { connect, type Sql } from '@switchboard/db/connect';
import { inject } from 'vitest';
import { graphql, logIn, owner, resetDatabase, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';

const PASSWORD = 'correct horse battery';
const DASHBOARD = 'https://dashboard.acme.test';
const ERRORS = '... on Error { __typename code message } ... on ValidationError { field }';
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

const CREATE_USER = `mutation ($email: String!, $name: String!, $role: Role!) {
  createUser(email: $email, name: $name, role: $role) {
    __typename ... on MutationCreateUserSuccess { user { id email role active } invitation { url expiresAt } } ${ERRORS} } }`;
const REISSUE = `mutation ($userId: ID!) {
  reissueInvitation(userId: $userId) { __typename ... on MutationReissueInvitationSuccess { invitation { url expiresAt } } ${ERRORS} } }`;
const UPDATE_USER = `mutation ($id: ID!, $role: Role, $name: String) {
  updateUser(id: $id, role: $role, name: $name) { __typename ${ERRORS} } }`;
const DEACTIVATE = `mutation ($id: ID!) { deactivateUser(id: $id) { __typename ${ERRORS} } }`;
const CREATE_KEY = `mutation ($scopes: [ApiKeyScope!]!) {
  createApiKey(input: { name: "provisioning", scopes: $scopes }) { ... on MutationCreateApiKeySuccess { secret } } }`;
const INVITATION = 'query ($token: String!) { invitation(token: $token) { tenantName email name expiresAt } }';
const ACCEPT = `mutation ($token: String!, $password: String!) {
  acceptInvitation(token: $token, password: $password) {
    __typename ... on MutationAcceptInvitationSuccess { session { operator expiresAt } } ${ERRORS} } }`;
const LOG_IN = 'mutation ($email: String!, $password: String!) { logIn(input: { email: $email, password: $password }) { __typename } }';

const tokenOf = (url: string) => url.slice(`${DASHBOARD}/invite/`.length);

/** acceptInvitation over real HTTP, with the Set-Cookie it answered. */
async function accept(api: RunningApi, token: string, password: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: ACCEPT, variables: { token, password } }),
  });
  const body = (await res.json()) as { data?: { acceptInvitation: any }; errors?: unknown };
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sb_session='));
  return { answer: body.data?.acceptInvitation, errors: body.errors, cookie: cookie?.split(';')[0] };
}

describe('invitations', () => {
  let api: RunningApi;
  let app: Sql;
  let tenantId: string;
  let admin: Credentials;

  beforeAll(async () => {
    api = await startApi({ runJobs: false, dashboardUrl: DASHBOARD });
    app = connect(inject('appUrl'), { max: 2 });
  });
  afterAll(async () => {
    await app?.end();
    await api?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
    admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
  });

  const call = async (credentials: Credentials, query: string, variables: Record<string, unknown>) => {
    const answer = await graphql(api.url, credentials, query, variables);
    expect(answer.errors).toBeUndefined();
    return Object.values(answer.data!)[0] as any;
  };
  const invite = async (credentials: Credentials, email: string, role = 'AGENT') => {
    const created = await call(credentials, CREATE_USER, { email, name: 'Ana', role });
    expect(created.__typename).toBe('MutationCreateUserSuccess');
    return created as { user: { id: string }; invitation: { url: string; expiresAt: string } };
  };
  const describeLink = async (token: string) => (await graphql(api.url, null, INVITATION, { token })).data?.invitation;
  const signIn = async (email: string, password: string) => (await graphql(api.url, null, LOG_IN, { email, password })).data?.logIn.__typename;

  describe('createUser and acceptInvitation', () => {
    it('creates a person without a password and hands back a link that expires in 72 hours', async () => {
      const before = Date.now();
      const { user, invitation } = await invite(admin, 'ana@acme.test');
      expect(invitation.url).toMatch(new RegExp(`^${DASHBOARD}/invite/sbi_[A-Za-z0-9_-]{43}$`));
      const expiresIn = new Date(invitation.expiresAt).getTime() - before;
      expect(expiresIn).toBeGreaterThan(72 * 3600_000 - 60_000);
      expect(expiresIn).toBeLessThanOrEqual(72 * 3600_000 + 60_000);
      // No password yet: no password signs them in.
      expect(await owner()`select password_hash from users where email = 'ana@acme.test'`).toEqual([{ passwordHash: null }]);
      expect(await signIn('ana@acme.test', '')).toBe('InvalidCredentialsError');
      // Only a hash of the token is stored.
      const token = tokenOf(invitation.url);
      const [row] = await owner()`select token_hash, user_id, created_by from invitations`;
      expect(row!.tokenHash).not.toContain(token);
      expect(row!.userId).toBe(Buffer.from(user.id, 'base64').toString().split(':')[1]);
      // The invitee sees whose invitation it is.
      expect(await describeLink(token)).toEqual({ tenantName: 'Acme Coffee', email: 'ana@acme.test', name: 'Ana', expiresAt: invitation.expiresAt });
    });

    it('sets the password the invitee chose and signs them in with a session cookie', async () => {
      const { invitation } = await invite(admin, 'ana@acme.test');
      const accepted = await accept(api, tokenOf(invitation.url), 'my own secret words');
      expect(accepted.answer).toMatchObject({ __typename: 'MutationAcceptInvitationSuccess', session: { operator: false } });
      expect(accepted.cookie).toMatch(/^sb_session=sbs_/);
      expect((await graphql(api.url, { cookie: accepted.cookie! }, '{ me { email role } }')).data).toEqual({ me: { email: 'ana@acme.test', role: 'AGENT' } });
      expect(await signIn('ana@acme.test', 'my own secret words')).toBe('MutationLogInSuccess');
    });

    it('refuses a password that is too short and leaves the link usable', async () => {
      const { invitation } = await invite(admin, 'ana@acme.test');
      const token = tokenOf(invitation.url);
      expect((await accept(api, token, 'short')).answer).toMatchObject({ __typename: 'ValidationError', field: 'password' });
      expect(await describeLink(token)).toMatchObject({ email: 'ana@acme.test' });
      expect((await accept(api, token, 'long enough now')).answer.__typename).toBe('MutationAcceptInvitationSuccess');
    });

    it("refuses another site's Origin as logIn does (login CSRF), and leaves the link usable", async () => {
      const { invitation } = await invite(admin, 'ana@acme.test');
      const token = tokenOf(invitation.url);
      const refused = await accept(api, token, 'my own secret words', { origin: 'https://evil.example' });
      expect([refused.answer ?? null, (refused.errors as any[])?.map((e) => e.extensions?.code), refused.cookie]).toEqual([null, ['FORBIDDEN'], undefined]);
      expect(await describeLink(token)).toMatchObject({ email: 'ana@acme.test' });
      expect((await accept(api, token, 'my own secret words')).answer.__typename).toBe('MutationAcceptInvitationSuccess');
    });

    it('answers null and InvalidInvitationError for a token that is not one', async () => {
      for (const token of ['', 'sbi_nonsense', 'x'.repeat(500)]) {
        expect(await describeLink(token)).toBeNull();
        expect((await accept(api, token, 'my own secret words')).answer).toMatchObject({ __typename: 'InvalidInvitationError', code: 'INVALID_INVITATION' });
      }
    });
  });

  describe('single use and expiry', () => {
    it('works once: a second acceptance is refused and keeps the first password', async () => {
      const { invitation } = await invite(admin, 'ana@acme.test');
      const token = tokenOf(invitation.url);
      expect((await accept(api, token, 'my own secret words')).answer.__typename).toBe('MutationAcceptInvitationSuccess');
      const again = await accept(api, token, 'taken over by someone');
      expect(again.answer).toMatchObject({ __typename: 'InvalidInvitationError' });
      expect(again.cookie).toBeUndefined();
      expect(await describeLink(token)).toBeNull();
      expect(await signIn('ana@acme.test', 'taken over by someone')).toBe('InvalidCredentialsError');
      expect(await signIn('ana@acme.test', 'my own secret words')).toBe('MutationLogInSuccess');
    });

    it('lets only one of several parallel acceptances through', async () => {
      const { invitation } = await invite(admin, 'ana@acme.test');
      const token = tokenOf(invitation.url);
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => accept(api, token, `parallel password ${i}`)));
      const winners = answers.filter((a) => a.answer.__typename === 'MutationAcceptInvitationSuccess');
      expect(winners).toHaveLength(1);
      expect(answers.filter((a) => a.answer.__typename === 'InvalidInvitationError')).toHaveLength(7);
      expect(await owner()`select count(*)::int as n from sessions`).toEqual([{ n: 2 }]); // the boss's and the winner's
    });

    it('stops working once expired', async () => {
      const { invitation } = await invite(admin, 'ana@acme.test');
      const token = tokenOf(invitation.url);
      await owner()`update invitations set expires_at = now() - interval '1 second'`;
      expect(await describeLink(token)).toBeNull();
      expect((await accept(api, token, 'my own secret words')).answer.__typename).toBe('InvalidInvitationError');
      expect(await owner()`select password_hash from users where email = 'ana@acme.test'`).toEqual([{ passwordHash: null }]);
    });

    it('stops working when the person is deactivated, and stays dead after reactivation', async () => {
      const { user, invitation } = await invite(admin, 'ana@acme.test');
      expect((await call(admin, DEACTIVATE, { id: user.id })).__typename).toBe('MutationDeactivateUserSuccess');
      expect((await accept(api, tokenOf(invitation.url), 'my own secret words')).answer.__typename).toBe('InvalidInvitationError');
      const reactivated = await graphql(api.url, admin, `mutation ($id: ID!) { reactivateUser(id: $id) { __typename } }`, { id: user.id });
      expect(reactivated.data).toEqual({ reactivateUser: { __typename: 'MutationReactivateUserSuccess' } });
      expect(await describeLink(tokenOf(invitation.url))).toBeNull();
      expect((await accept(api, tokenOf(invitation.url), 'my own secret words')).answer.__typename).toBe('InvalidInvitationError');
      const fresh = await call(admin, REISSUE, { userId: user.id });
      expect((await accept(api, tokenOf(fresh.invitation.url), 'my own secret words')).answer.__typename).toBe('MutationAcceptInvitationSuccess');
    });
  });

  describe('reissueInvitation', () => {
    it('replaces the earlier link, and accepting the new one ends the person’s sessions', async () => {
      const { user, invitation: first } = await invite(admin, 'ana@acme.test');
      expect((await accept(api, tokenOf(first.url), 'my own secret words')).answer.__typename).toBe('MutationAcceptInvitationSuccess');
      const laptop = await logIn(api.url, 'ana@acme.test', 'my own secret words');

      const second = await call(admin, REISSUE, { userId: user.id });
      const third = await call(admin, REISSUE, { userId: user.id });
      expect(second.__typename).toBe('MutationReissueInvitationSuccess');
      expect(await describeLink(tokenOf(second.invitation.url))).toBeNull();
      expect((await accept(api, tokenOf(second.invitation.url), 'stale link password')).answer.__typename).toBe('InvalidInvitationError');

      // The old password works until the person chooses a new one.
      expect(await signIn('ana@acme.test', 'my own secret words')).toBe('MutationLogInSuccess');
      const accepted = await accept(api, tokenOf(third.invitation.url), 'a fresh start now');
      expect(accepted.answer.__typename).toBe('MutationAcceptInvitationSuccess');
      expect((await graphql(api.url, laptop, '{ me { email } }')).status).toBe(401);
      expect((await graphql(api.url, { cookie: accepted.cookie! }, '{ me { email } }')).data).toEqual({ me: { email: 'ana@acme.test' } });
      expect(await signIn('ana@acme.test', 'my own secret words')).toBe('InvalidCredentialsError');
    });

    it('is for admins: an agent is refused, and an admin cannot reissue their own', async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test' });
      const agent = await logIn(api.url, 'ana@acme.test', PASSWORD);
      const refused = await graphql(api.url, agent, REISSUE, { userId: globalId('User', ana.id) });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const [boss] = await owner()`select id from users where email = 'boss@acme.test'`;
      expect(await call(admin, REISSUE, { userId: globalId('User', boss!.id) })).toMatchObject({ __typename: 'ValidationError', field: 'userId' });
      expect(await owner()`select count(*)::int as n from invitations`).toEqual([{ n: 0 }]);
    });

    it('answers NotFoundError for a person of another tenant, and issues nothing for them', async () => {
      const other = await seedDevTenant({ name: 'Other', wabaId: '900000000000001', phoneNumberId: '900000000000002', displayPhoneNumber: '15550000002' });
      const stranger = await seedUser(other.tenantId, { email: 'stranger@other.test' });
      expect(await call(admin, REISSUE, { userId: globalId('User', stranger.id) })).toMatchObject({ __typename: 'NotFoundError' });
      const fullKey = (await call(admin, CREATE_KEY, { scopes: ['READ', 'SEND', 'ADMIN'] })).secret;
      expect(await call(fullKey, REISSUE, { userId: globalId('User', stranger.id) })).toMatchObject({ __typename: 'NotFoundError' });
      expect(await owner()`select count(*)::int as n from invitations`).toEqual([{ n: 0 }]);
    });
  });

  describe('keys create and change only people whose powers they hold', () => {
    const key = async (scopes: string[]) => (await call(admin, CREATE_KEY, { scopes })).secret as string;

    it('refuses an ADMIN-only key creating a manager (who could read and send) with the scope error', async () => {
      const adminOnly = await key(['ADMIN']);
      expect(await call(adminOnly, CREATE_USER, { email: 'mole@acme.test', name: 'Mole', role: 'MANAGER' })).toMatchObject({
        __typename: 'ConflictError',
        code: 'SCOPE_NOT_HELD',
      });
      expect(await call(adminOnly, CREATE_USER, { email: 'mole@acme.test', name: 'Mole', role: 'AGENT' })).toMatchObject({ code: 'SCOPE_NOT_HELD' });
      expect(await owner()`select count(*)::int as n from users where email = 'mole@acme.test'`).toEqual([{ n: 0 }]);
      expect(await owner()`select count(*)::int as n from invitations`).toEqual([{ n: 0 }]);
      // And there is no password to choose any more: the argument does not exist.
      const withPassword = await graphql(api.url, adminOnly, 'mutation { createUser(email: "mole@acme.test", name: "Mole", role: MANAGER, password: "chosen by the key") { __typename } }');
      expect(withPassword.errors?.[0]?.message).toMatch(/Unknown argument "password"/);
    });

    it('refuses keys lacking READ or SEND, for every change to a person', async () => {
      const ana = await seedUser(tenantId, { email: 'ana@acme.test' });
      const id = globalId('User', ana.id);
      for (const scopes of [['ADMIN'], ['READ', 'ADMIN'], ['SEND', 'ADMIN']]) {
        const partial = await key(scopes);
        for (const [query, variables] of [
          [CREATE_USER, { email: 'new@acme.test', name: 'New', role: 'AGENT' }],
          [UPDATE_USER, { id, name: 'Renamed' }],
          [DEACTIVATE, { id }],
          [REISSUE, { userId: id }],
        ] as const) {
          expect(await call(partial, query, variables), `${scopes.join('+')}: ${query.slice(0, 40)}`).toMatchObject({ __typename: 'ConflictError', code: 'SCOPE_NOT_HELD' });
        }
      }
      expect(await owner()`select name, deactivated_at from users where id = ${ana.id}`).toEqual([{ name: 'ana', deactivatedAt: null }]);
      expect(await owner()`select count(*)::int as n from invitations`).toEqual([{ n: 0 }]);
    });

    it('lets a READ+SEND+ADMIN key invite agents and managers, but never an admin', async () => {
      const full = await key(['READ', 'SEND', 'ADMIN']);
      const { invitation } = await invite(full, 'mia@acme.test', 'MANAGER');
      expect(await owner()`select created_by, created_by_key is not null as by_key from invitations`).toEqual([{ createdBy: null, byKey: true }]);
      expect(await call(full, CREATE_USER, { email: 'root@acme.test', name: 'Root', role: 'ADMIN' })).toMatchObject({ __typename: 'ValidationError', field: 'role' });
      const [boss] = await owner()`select id from users where email = 'boss@acme.test'`;
      expect(await call(full, REISSUE, { userId: globalId('User', boss!.id) })).toMatchObject({ __typename: 'ConflictError', code: 'ADMIN_ONLY' });
      expect(await describeLink(tokenOf(invitation.url))).toMatchObject({ email: 'mia@acme.test' });
    });
  });

  describe('tenant isolation', () => {
    it('keeps invitations in their tenant underneath the api (RLS)', async () => {
      const { invitation } = await invite(admin, 'ana@acme.test');
      const other = await seedDevTenant({ name: 'Other', wabaId: '900000000000001', phoneNumberId: '900000000000002', displayPhoneNumber: '15550000002' });
      expect(await withTenant(app, other.tenantId, (tx) => tx`select id from invitations`)).toEqual([]);
      expect(await withTenant(app, tenantId, (tx) => tx`select id from invitations`)).toHaveLength(1);
      expect(await app`select id from invitations`).toEqual([]);
      expect(await describeLink(tokenOf(invitation.url))).toMatchObject({ tenantName: 'Acme Coffee' });
    });
  });
});
