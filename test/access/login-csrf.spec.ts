// Login CSRF, over real HTTP: GraphQL takes JSON bodies only (a form on another site cannot send one),
// and logIn refuses an Origin that is not the dashboard's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { owner, resetDatabase, seedDevTenant, seedUser, startApi, type RunningApi } from '../support/stack.ts';

const DASHBOARD = 'http://dashboard.test';
const LOG_IN = 'mutation ($email: String!, $password: String!) { logIn(input: { email: $email, password: $password }) { __typename } }';
const email = 'agent@acme.test';
const password = 'correct horse battery';
const variables = { email, password };

const sessionCount = async () => (await owner()<{ n: number }[]>`select count(*)::int as n from sessions`)[0]!.n;

interface Answer {
  status: number;
  body: { data?: { logIn: { __typename: string } | null } | null; errors?: { message: string; extensions?: { code?: string } }[] };
  sessionCookie: boolean;
}

async function post(api: RunningApi, headers: Record<string, string>, body: BodyInit): Promise<Answer> {
  const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { accept: 'application/graphql-response+json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, sessionCookie: res.headers.getSetCookie().some((c) => c.startsWith('sb_session=')) };
}

const json = (api: RunningApi, headers: Record<string, string> = {}) =>
  post(api, { 'content-type': 'application/json', ...headers }, JSON.stringify({ query: LOG_IN, variables }));

describe('login CSRF', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ allowedOrigins: [DASHBOARD] });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    await seedUser(tenantId, { email, password });
  });

  describe('bodies other than JSON', () => {
    const refused = {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'GraphQL requests are JSON: send Content-Type: application/json (file uploads: multipart/form-data, per the GraphQL multipart request spec).',
      sessionCookie: false,
    };
    const outcome = (answer: Answer) => ({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code, message: answer.body.errors?.[0]?.message, sessionCookie: answer.sessionCookie });

    it('refuses a form-encoded sign-in (what an HTML form on another site posts) with 415, and signs nobody in', async () => {
      const form = new URLSearchParams({ query: LOG_IN, variables: JSON.stringify(variables) });
      const answer = await post(api, { 'content-type': 'application/x-www-form-urlencoded', origin: DASHBOARD }, form.toString());
      expect(outcome(answer)).toEqual(refused);
      expect(await sessionCount()).toBe(0);
    });

    it('refuses text/plain (a form with enctype="text/plain" can carry JSON) with 415', async () => {
      const answer = await post(api, { 'content-type': 'text/plain', origin: DASHBOARD }, JSON.stringify({ query: LOG_IN, variables }));
      expect(outcome(answer)).toEqual(refused);
      expect(await sessionCount()).toBe(0);
    });

    it('refuses application/graphql and a body with no content type with 415', async () => {
      const graphqlString = await post(api, { 'content-type': 'application/graphql' }, `mutation { logIn(input: { email: "${email}", password: "${password}" }) { __typename } }`);
      const untyped = await post(api, {}, new Blob([JSON.stringify({ query: LOG_IN, variables })]));
      expect([outcome(graphqlString), outcome(untyped)]).toEqual([refused, refused]);
      expect(await sessionCount()).toBe(0);
    });

    it('reads a multipart sign-in only as an upload, which needs a signed-in caller: refused 401, nobody signed in', async () => {
      const form = new FormData();
      form.set('operations', JSON.stringify({ query: LOG_IN, variables }));
      form.set('map', '{}');
      const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { origin: 'https://elsewhere.example' }, body: form });
      expect([res.status, res.headers.getSetCookie()]).toEqual([401, []]);
      expect(await sessionCount()).toBe(0);
    });

    it('takes JSON, with a charset too, and application/graphql+json', async () => {
      const plain = await json(api);
      const charset = await post(api, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ query: LOG_IN, variables }));
      const graphqlJson = await post(api, { 'content-type': 'application/graphql+json' }, JSON.stringify({ query: LOG_IN, variables }));
      expect([plain, charset, graphqlJson].map((a) => [a.status, a.body.data?.logIn?.__typename, a.sessionCookie])).toEqual([
        [200, 'MutationLogInSuccess', true],
        [200, 'MutationLogInSuccess', true],
        [200, 'MutationLogInSuccess', true],
      ]);
    });

    it('never runs a mutation from a GET', async () => {
      const res = await fetch(`${api.url}/graphql?${new URLSearchParams({ query: LOG_IN, variables: JSON.stringify(variables) })}`, { headers: { accept: 'application/graphql-response+json' } });
      expect([res.status, res.headers.getSetCookie()]).toEqual([405, []]);
      expect(await sessionCount()).toBe(0);
    });
  });

  describe('the Origin of logIn', () => {
    it("refuses another site's Origin with FORBIDDEN, and signs nobody in", async () => {
      const answer = await json(api, { origin: 'https://evil.example' });
      expect([answer.body.data?.logIn ?? null, answer.body.errors?.map((e) => [e.extensions?.code, e.message]), answer.sessionCookie]).toEqual([
        null,
        [['FORBIDDEN', 'Sign in from the dashboard: this Origin may not sign in.']],
        false,
      ]);
      expect(await sessionCount()).toBe(0);
    });

    it('refuses the opaque Origin "null" (sandboxed frames, privacy-stripped requests)', async () => {
      const answer = await json(api, { origin: 'null' });
      expect([answer.body.errors?.[0]?.extensions?.code, answer.sessionCookie]).toEqual(['FORBIDDEN', false]);
    });

    it("signs in from the dashboard's Origin, and from a client that sends none (a script, a server)", async () => {
      const fromDashboard = await json(api, { origin: DASHBOARD });
      const noOrigin = await json(api);
      expect([fromDashboard, noOrigin].map((a) => [a.body.data?.logIn?.__typename, a.sessionCookie])).toEqual([
        ['MutationLogInSuccess', true],
        ['MutationLogInSuccess', true],
      ]);
      expect(await sessionCount()).toBe(2);
    });
  });
});
