// The operation limits hold on a graphql-ws socket exactly as over HTTP (graphql-armor: depth, aliases,
// tokens, directives, no field suggestions), and a page of conversations or messages holds at most 100
// rows whatever `first` or `last` asks for.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { graphql, ingest, resetDatabase, seedDevTenant, startApi, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

const hops = (n: number) => Array.from({ length: n }, () => 'lastMessage { conversation {').join(' ');
const TOO_DEEP = `{ conversations(first: 1) { edges { node { ${hops(8)} id ${'} } '.repeat(8)} } } } }`;
const TOO_DEEP_SUBSCRIPTION = `subscription { conversationChanged { ${hops(8)} id ${'} } '.repeat(8)} } }`;
// graphql-armor does not count aliases of __typename, so these alias a real field.
const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { tenant { name } }`).join(' ')} }`;
const TOO_MANY_ALIASES = aliased(21);
const TOO_MANY_TOKENS = `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`;
// @include and @skip may each appear once per field: n fields carrying both make 2n directives.
const directed = (fields: number) => `{ ${Array.from({ length: fields }, (_, i) => `d${i}: __typename @include(if: true) @skip(if: false)`).join(' ')} }`;
const TOO_MANY_DIRECTIVES = directed(11);
const GUESSED_FIELD = '{ viewer { tenan { name } } }';

describe('README limits', () => {
  let api: RunningApi;
  let key: string;

  beforeAll(async () => {
    api = await startApi({ runJobs: false });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ apiKey: key } = await seedDevTenant());
  });

  describe('graphql-armor over sockets', () => {
    let client: Client;
    beforeEach(async () => {
      client = createClient({ url: api.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => {} });
      await new Promise<void>((resolve, reject) => {
        client.on('connected', () => resolve());
        client.on('closed', reject);
      });
    });
    afterEach(() => client.dispose());

    /** Runs one operation on the socket: its data, or the errors it was refused with. */
    function overSocket(query: string): Promise<{ data?: unknown; messages?: string[] }> {
      return new Promise((resolve) => {
        let data: unknown;
        const stop = client.subscribe({ query }, {
          next: (value) => {
            if (value.errors) resolve({ messages: value.errors.map((e) => e.message) });
            data = value.data;
            // A subscription that got past validation is live; what matters here is that it was not refused.
            if (query.startsWith('subscription')) {
              stop();
              resolve({ data: 'subscribed' });
            }
          },
          error: (error) => {
            // Refused operations come back as GraphQL errors; anything else (the socket closing) is shown as is.
            if (Array.isArray(error)) resolve({ messages: error.map((e: { message: string }) => e.message) });
            else {
              const { code, reason } = error as { code?: number; reason?: string };
              resolve({ messages: [`socket closed: ${code} ${reason}`] });
            }
          },
          complete: () => resolve({ data }),
        });
      });
    }
    const overHttp = async (query: string) => {
      const res = await graphql(api.url, key, query);
      return res.errors ? { messages: res.errors.map((e) => e.message) } : { data: res.data };
    };

    it.each([
      ['depth over 16', TOO_DEEP, /depth limit of 16 exceeded/],
      ['more than 20 aliases', TOO_MANY_ALIASES, /Aliases limit of 20 exceeded/],
      ['more than 2,000 tokens', TOO_MANY_TOKENS, /Token limit of 2000 exceeded/],
      ['more than 20 directives', TOO_MANY_DIRECTIVES, /Directives limit of 20 exceeded, found 22/],
    ])('refuses %s on a socket with the same error as over HTTP', async (_, query, message) => {
      const socket = await overSocket(query);
      const http = await overHttp(query);
      expect(socket.data).toBeUndefined();
      expect(socket.messages?.[0]).toMatch(message);
      expect(socket.messages).toEqual(http.messages);
      // The refusal is the operation's answer: the socket stays open for the next one.
      expect(await overSocket('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
    });

    it('refuses a subscription deeper than 16 before it starts', async () => {
      const refused = await overSocket(TOO_DEEP_SUBSCRIPTION);
      expect(refused.messages?.[0]).toMatch(/depth limit of 16 exceeded/);
    });

    it('suggests no field names on a socket either', async () => {
      const refused = await overSocket(GUESSED_FIELD);
      expect(refused.messages?.length).toBeGreaterThan(0);
      expect(refused.messages!.join(' ')).not.toMatch(/Did you mean/);
    });

    it('runs operations at the limits on the same socket', async () => {
      expect(await overSocket(aliased(20))).toEqual({ data: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`a${i}`, { tenant: { name: 'Acme Coffee' } }])) });
      expect(await overSocket(directed(10))).toEqual({ data: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`d${i}`, 'Query'])) });
      const sixteen = `{ conversations(first: 1) { edges { node { ${hops(6)} id ${'} } '.repeat(6)} } } } }`;
      expect(await overSocket(sixteen)).toEqual({ data: { conversations: { edges: [] } } });
    });
  });

  describe('the 100-row page cap', () => {
    const now = Math.floor(Date.now() / 1000);

    it('answers at most 100 conversations when 200 are asked for, and says there are more', async () => {
      const bodies = Array.from({ length: 101 }, (_, i) => {
        const from: Sender = { name: `Customer ${i}`, waId: `1650556${String(i).padStart(4, '0')}` };
        return devTenantBody(from, [textMessage({ from, id: `wamid.page-cap-${i}`, timestamp: String(now - 200 + i), body: `Hello ${i}` })]);
      });
      const answer = await ingest(api.url, bodies);
      expect(answer.results.filter((r) => r.status === 'committed')).toHaveLength(101);
      const page = await graphql(api.url, key, '{ conversations(first: 200) { edges { node { id } } pageInfo { hasNextPage endCursor } } }');
      expect(page.errors).toBeUndefined();
      expect(page.data.conversations.edges).toHaveLength(100);
      expect(page.data.conversations.pageInfo.hasNextPage).toBe(true);
      const rest = await graphql(api.url, key, 'query ($after: String) { conversations(first: 200, after: $after) { edges { node { id } } } }', { after: page.data.conversations.pageInfo.endCursor });
      expect(rest.data.conversations.edges).toHaveLength(1);
    });

    it("answers at most 100 of a conversation's messages when 200 are asked for, from either end", async () => {
      const from: Sender = { name: 'Chatty', waId: '16505560001' };
      const messages = Array.from({ length: 101 }, (_, i) => textMessage({ from, id: `wamid.chatty-${i}`, timestamp: String(now - 200 + i), body: `Line ${i}` }));
      await ingest(api.url, [devTenantBody(from, messages)]);
      const [conversation] = (await graphql(api.url, key, '{ conversations(first: 1) { edges { node { id } } } }')).data.conversations.edges;
      const page = (args: string) =>
        graphql(api.url, key, `query ($id: ID!) { conversation(id: $id) { messages(${args}) { edges { node { text } } pageInfo { hasNextPage hasPreviousPage } } } }`, { id: conversation.node.id });
      const first = (await page('first: 200')).data.conversation.messages;
      expect(first.edges).toHaveLength(100);
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect(first.edges[0].node.text).toBe('Line 0');
      const last = (await page('last: 200')).data.conversation.messages;
      expect(last.edges).toHaveLength(100);
      expect(last.pageInfo.hasPreviousPage).toBe(true);
      expect(last.edges.at(-1).node.text).toBe('Line 100');
    });
  });
});
