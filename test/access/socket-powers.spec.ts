// An open socket holds the powers it was opened with only while they last: once a person's role or a
// key's scopes change, the periodic re-check (SOCKET_RECHECK_SECONDS) closes it with 4403, ending the
// subscriptions that were authorised under the old powers. Real api, real sockets, real Postgres.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql, logIn, resetDatabase, seedDevTenant, seedUser, startApi, type RunningApi } from '../support/stack.ts';

const PASSWORD = 'correct horse battery';
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

let api: RunningApi;
let tenantId: string;
let admin: { cookie: string };

beforeAll(async () => {
  // Re-checked five times a second here (30 s by default), so the close is seen quickly.
  api = await startApi({ instanceId: 'socket-powers', socketRecheckSeconds: 0.2 });
});
afterAll(() => api?.stop());
beforeEach(async () => {
  await resetDatabase();
  ({ tenantId } = await seedDevTenant());
  await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
  admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
});

/** One subscription on its own socket; `closed` settles with the socket's close code. */
async function listen(credentials: string | { cookie: string }, query: string) {
  const cookie = typeof credentials === 'string' ? null : credentials.cookie;
  class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  }
  const client: Client = createClient({
    url: api.wsUrl,
    webSocketImpl: CookieWebSocket,
    connectionParams: typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
  });
  const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
  await new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', reject);
  });
  const events: unknown[] = [];
  let onEvent: (() => void) | undefined;
  const ended = new Promise<'error' | 'complete'>((resolve) => {
    client.subscribe({ query }, {
      next: (value) => (events.push(value.data), onEvent?.()),
      error: () => resolve('error'),
      complete: () => resolve('complete'),
    });
  });
  return {
    closed,
    ended,
    events,
    nextEvent: () => new Promise<void>((resolve) => (onEvent = resolve)),
    dispose: () => client.dispose(),
  };
}

describe('sockets after a change of powers', () => {
  it("closes a manager's presence feed (4403) once they are demoted to agent", async () => {
    const manager = await seedUser(tenantId, { email: 'mia@acme.test', role: 'manager' });
    const agent = await seedUser(tenantId, { email: 'ana@acme.test', role: 'agent' });
    const feed = await listen(await logIn(api.url, manager.email, PASSWORD), 'subscription { presenceChanged { email presence } }');

    // The feed is live: a colleague coming online reaches it (no fixed wait: the first event is awaited).
    const ana = await logIn(api.url, agent.email, PASSWORD);
    let received = feed.nextEvent();
    const online = async () => {
      await graphql(api.url, ana, 'mutation { setPresence(presence: AWAY) { id } }');
      await graphql(api.url, ana, 'mutation { setPresence(presence: ONLINE) { id } }');
    };
    // The subscription starts listening a moment after the socket is acknowledged: presence changes
    // are repeated until the first one is heard.
    for (let heard = false; !heard; ) {
      await online();
      heard = await Promise.race([received.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 200))]);
    }
    expect(feed.events[0]).toMatchObject({ presenceChanged: { email: 'ana@acme.test' } });

    const demoted = await graphql(api.url, admin, `mutation ($id: ID!) { updateUser(id: $id, role: AGENT) { __typename } }`, {
      id: globalId('User', manager.id),
    });
    expect(demoted.data).toEqual({ updateUser: { __typename: 'MutationUpdateUserSuccess' } });

    expect(await feed.closed).toBe(4403);
    expect(await feed.ended).toBe('error');
    await feed.dispose();
  });

  it("closes a key's socket (4403) once its scopes change", async () => {
    const create = `mutation ($name: String!, $scopes: [ApiKeyScope!]!) { createApiKey(input: { name: $name, scopes: $scopes }) {
      ... on MutationCreateApiKeySuccess { secret apiKey { id } } } }`;
    const changed = (await graphql(api.url, admin, create, { name: 'Changing', scopes: ['READ'] })).data.createApiKey;
    const changing = await listen(changed.secret, 'subscription { conversationChanged { id } }');

    const update = await graphql(api.url, admin, `mutation ($id: ID!) { updateApiKeyScopes(id: $id, scopes: [SEND]) { __typename } }`, {
      id: changed.apiKey.id,
    });
    expect(update.data).toEqual({ updateApiKeyScopes: { __typename: 'MutationUpdateApiKeyScopesSuccess' } });

    expect(await changing.closed).toBe(4403);
    expect(await changing.ended).toBe('error');
    await changing.dispose();
  });
});
