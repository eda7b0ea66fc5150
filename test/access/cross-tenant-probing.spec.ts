// Nothing a tenant's admin (or key) asks tells them about another tenant's people. Emails are unique per
// tenant: createUser answers for an email another tenant uses exactly as for an unused one (compared
// byte for byte, with the ids that differ by design made alike), and that person signs in to each
// tenant with the password they set there.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphql, logIn, owner, resetDatabase, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';

const PASSWORD = 'correct horse battery';
const CREATE_USER = `mutation ($email: String!) {
  createUser(email: $email, name: "Ana", role: AGENT) {
    __typename ... on MutationCreateUserSuccess { user { id email name role active } invitation { url expiresAt } }
    ... on Error { code message } ... on ValidationError { field } } }`;
const OTHER = { name: 'Other', wabaId: '900000000000001', phoneNumberId: '900000000000002', displayPhoneNumber: '15550000002' };

/** The raw HTTP answer, with what differs by design (ids, the link's token, its expiry) made alike. */
async function rawAnswer(apiUrl: string, credentials: Credentials, email: string): Promise<string> {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : { cookie: credentials!.cookie }),
    },
    body: JSON.stringify({ query: CREATE_USER, variables: { email } }),
  });
  const text = await res.text();
  return `${res.status} ${text}`
    .replace(/"id":"[^"]+"/g, '"id":"ID"')
    .replace(/sbi_[A-Za-z0-9_-]+/g, 'sbi_TOKEN')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME');
}

describe('cross-tenant probing through createUser', () => {
  let api: RunningApi;
  let tenantId: string;
  let admin: Credentials;
  let key: string;

  beforeAll(async () => {
    api = await startApi({ runJobs: false });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
    admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
    const created = await graphql(api.url, admin, 'mutation { createApiKey(input: { name: "hr", scopes: [READ, SEND, ADMIN] }) { ... on MutationCreateApiKeySuccess { secret } } }');
    key = created.data.createApiKey.secret;
  });

  it('answers for an email another tenant uses exactly as for an unused one, to a person and to a key', async () => {
    const other = await seedDevTenant(OTHER);
    await seedUser(other.tenantId, { email: 'taken@elsewhere.test', name: 'Someone else' });

    for (const caller of [admin, key]) {
      const usedElsewhere = await rawAnswer(api.url, caller, 'taken@elsewhere.test');
      await owner()`delete from invitations`;
      await owner()`delete from users where tenant_id = ${tenantId} and email = 'taken@elsewhere.test'`;
      // The same address, once nobody anywhere has it.
      await owner()`update users set email = 'moved@elsewhere.test' where tenant_id = ${other.tenantId}`;
      const unused = await rawAnswer(api.url, caller, 'taken@elsewhere.test');
      expect(usedElsewhere).toBe(unused);
      expect(unused).toMatch(/^200 .*"__typename":"MutationCreateUserSuccess"/);
      await owner()`delete from invitations`;
      await owner()`delete from users where tenant_id = ${tenantId} and email = 'taken@elsewhere.test'`;
      await owner()`update users set email = 'taken@elsewhere.test' where tenant_id = ${other.tenantId}`;
    }
  });

  it('still refuses an email taken in the same tenant', async () => {
    await seedUser(tenantId, { email: 'ana@acme.test' });
    expect(await rawAnswer(api.url, admin, 'ana@acme.test')).toBe(
      '200 {"data":{"createUser":{"__typename":"ConflictError","code":"CONFLICT","message":"That email address already has an account."}}}',
    );
  });

  it('signs the person in to the tenant whose password they give', async () => {
    const other = await seedDevTenant(OTHER);
    await seedUser(other.tenantId, { email: 'ana@shared.test', password: 'password at other' });
    const created = await graphql(api.url, admin, CREATE_USER, { email: 'ana@shared.test' });
    const token = created.data.createUser.invitation.url.split('/invite/')[1];
    const accepted = await graphql(api.url, null, 'mutation ($t: String!) { acceptInvitation(token: $t, password: "password at acme") { __typename } }', { t: token });
    expect(accepted.data).toEqual({ acceptInvitation: { __typename: 'MutationAcceptInvitationSuccess' } });

    const tenantOf = async (password: string) => {
      const session = await logIn(api.url, 'ana@shared.test', password);
      return (await graphql(api.url, session, '{ viewer { tenant { name } } }')).data.viewer.tenant.name;
    };
    expect(await tenantOf('password at acme')).toBe('Acme Coffee');
    expect(await tenantOf('password at other')).toBe('Other');
    expect((await graphql(api.url, null, 'mutation { logIn(input: { email: "ana@shared.test", password: "neither of them" }) { __typename } }')).data).toEqual({
      logIn: { __typename: 'InvalidCredentialsError' },
    });
  });
});
