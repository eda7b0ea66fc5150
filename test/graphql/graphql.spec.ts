// The GraphQL contract over real HTTP and graphql-ws: auth, relay ids and cursors, tenant isolation,
// and live updates that cross api instances through Postgres LISTEN/NOTIFY.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../fixtures/webhooks/index.ts';
import { graphql, ingest, resetDatabase, seedDevTenant, startApi, subscribe, type RunningApi } from '../support/stack.ts';
import { eventually } from '../support/eventually.ts';
import { postStreaming } from '../support/streamed-post.ts';
import { devTenantBody } from '../support/webhooks.ts';
import { textMessage } from '../meta-sandbox/payloads.ts';

const CONVERSATIONS = /* GraphQL */ `
  query Inbox($first: Int, $after: String, $filter: ConversationFilter) {
    conversations(first: $first, after: $after, filter: $filter) {
      edges { cursor node { id status windowOpen windowExpiresAt lastMessageAt
        contact { id displayName waId userId }
        lastMessage { id text type } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const MESSAGES = /* GraphQL */ `
  query Thread($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    conversation(id: $id) {
      id
      messages(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id wamid direction type text status createdAt
          content { __typename
            ... on TextContent { body }
            ... on MediaContent { mediaId mimeType caption }
            ... on LocationContent { latitude longitude name }
            ... on ReactionContent { emoji removed reactedToWamid }
            ... on InteractiveReplyContent { kind replyId title }
          }
          context { repliedToWamid forwarded } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }`;

describe('graphql', () => {
  let api: RunningApi;
  let key: string;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ apiKey: key } = await seedDevTenant());
  });

  describe('authentication', () => {
    it('refuses requests without a valid key', async () => {
      const none = await graphql(api.url, null, '{ viewer { tenant { name } } }');
      expect(none.status).toBe(401);
      expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const wrong = await graphql(api.url, 'sb_live_not-a-key', '{ viewer { tenant { name } } }');
      expect(wrong.status).toBe(401);
    });

    it("answers with the key's tenant", async () => {
      const res = await graphql(api.url, key, '{ viewer { tenant { name } } }');
      expect(res.data).toEqual({ viewer: { tenant: { name: 'Acme Coffee' } } });
    });

    it('refuses a socket without a valid key', async () => {
      await expect(subscribe(api.wsUrl, 'sb_live_wrong', 'subscription { conversationChanged { id } }')).rejects.toMatchObject({
        code: 4403,
      });
    });
  });

  describe('conversations', () => {
    it('lists newest activity first with relay cursors', async () => {
      await ingest(api.url, [loadFixture('multilingual')]);
      const page1 = await graphql(api.url, key, CONVERSATIONS, { first: 3 });
      const edges = page1.data.conversations.edges;
      expect(edges.map((e: any) => e.node.contact.displayName)).toEqual(['Lucía Fernández', 'Sheena Nelson', 'נועה כהן']);
      expect(page1.data.conversations.pageInfo.hasNextPage).toBe(true);
      const page2 = await graphql(api.url, key, CONVERSATIONS, { first: 3, after: page1.data.conversations.pageInfo.endCursor });
      expect(page2.data.conversations.edges.map((e: any) => e.node.contact.displayName)).toEqual(['أحمد الفارسي']);
      expect(page2.data.conversations.pageInfo.hasNextPage).toBe(false);
      expect(edges[0].node.lastMessage.text).toBe('¿Cuándo llega mi pedido? Gracias — Lucía');
      expect(edges[0].node.status).toBe('OPEN');
      expect(edges[0].node.contact.userId).toBe('ES.29384756102938475610');
    });

    it('filters by status', async () => {
      await ingest(api.url, [loadFixture('multilingual')]);
      const resolved = await graphql(api.url, key, CONVERSATIONS, { filter: { status: ['RESOLVED'] } });
      expect(resolved.data.conversations.edges).toEqual([]);
      const open = await graphql(api.url, key, CONVERSATIONS, { filter: { status: ['OPEN', 'PENDING'] } });
      expect(open.data.conversations.edges).toHaveLength(4);
    });

    it('pages through messages forwards and backwards with typed content', async () => {
      const bodies = ['text', 'image', 'location', 'reaction', 'interactive-button-reply', 'reply'].map((n) => loadFixture(n as never));
      await ingest(api.url, bodies);
      const inbox = await graphql(api.url, key, CONVERSATIONS, {});
      const sheena = inbox.data.conversations.edges.find((e: any) => e.node.contact.waId === '16505551234').node;
      const all = await graphql(api.url, key, MESSAGES, { id: sheena.id, first: 50 });
      const nodes = all.data.conversation.messages.edges.map((e: any) => e.node);
      const times = nodes.map((n: any) => n.createdAt);
      expect(times).toEqual([...times].sort());
      const byType = Object.fromEntries(nodes.map((n: any) => [n.type, n]));
      expect(byType.TEXT.content).toEqual({ __typename: 'TextContent', body: byType.TEXT.text });
      expect(byType.IMAGE.content.__typename).toBe('MediaContent');
      expect(byType.LOCATION.content.__typename).toBe('LocationContent');
      expect(byType.REACTION.content).toMatchObject({ __typename: 'ReactionContent', removed: false });
      expect(byType.INTERACTIVE.content).toMatchObject({ __typename: 'InteractiveReplyContent', kind: 'button_reply' });

      const last2 = await graphql(api.url, key, MESSAGES, { id: sheena.id, last: 2 });
      const tail = last2.data.conversation.messages;
      expect(tail.edges.map((e: any) => e.node.id)).toEqual(nodes.slice(-2).map((n: any) => n.id));
      expect(tail.pageInfo.hasPreviousPage).toBe(nodes.length > 2);
      const before = await graphql(api.url, key, MESSAGES, { id: sheena.id, last: 2, before: tail.pageInfo.startCursor });
      expect(before.data.conversation.messages.edges.map((e: any) => e.node.id)).toEqual(nodes.slice(-4, -2).map((n: any) => n.id));
      const after = await graphql(api.url, key, MESSAGES, { id: sheena.id, first: 2, after: all.data.conversation.messages.edges[1].cursor });
      expect(after.data.conversation.messages.edges.map((e: any) => e.node.id)).toEqual(nodes.slice(2, 4).map((n: any) => n.id));
    });

    it('resolves global ids through node()', async () => {
      await ingest(api.url, [loadFixture('text')]);
      const inbox = await graphql(api.url, key, CONVERSATIONS, {});
      const conversation = inbox.data.conversations.edges[0].node;
      const res = await graphql(api.url, key, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Contact { waId } ... on Message { type } } }`, {
        ids: [conversation.id, conversation.contact.id, conversation.lastMessage.id],
      });
      expect(res.data.nodes.map((n: any) => n.__typename)).toEqual(['Conversation', 'Contact', 'Message']);
      expect(res.data.nodes[1].waId).toBe('16505551234');
    });

    it('rejects a malformed cursor with a clear error', async () => {
      const res = await graphql(api.url, key, CONVERSATIONS, { after: 'not-a-cursor' });
      expect(res.errors?.[0]?.message).toBe('Invalid cursor');
    });
  });

  describe('tenant isolation', () => {
    it('shows a key nothing of another tenant, by list, by id or live', async () => {
      const other = await seedDevTenant({ name: 'Other Co', wabaId: '200000000000001', phoneNumberId: '300000000000001', displayPhoneNumber: '15550000001' });
      const watcher = await subscribe(api.wsUrl, other.apiKey, 'subscription { conversationChanged { id } }');
      await ingest(api.url, [loadFixture('multilingual')]);
      const mine = await graphql(api.url, key, CONVERSATIONS, {});
      expect(mine.data.conversations.edges).toHaveLength(4);
      const theirs = await graphql(api.url, other.apiKey, CONVERSATIONS, {});
      expect(theirs.data.conversations.edges).toEqual([]);
      const ids = mine.data.conversations.edges.map((e: any) => e.node.id);
      const byId = await graphql(api.url, other.apiKey, `query($id: ID!) { conversation(id: $id) { id } node(id: $id) { id } }`, { id: ids[0] });
      expect(byId.data).toEqual({ conversation: null, node: null });
      const contact = await graphql(api.url, other.apiKey, `query($id: ID!) { node(id: $id) { id } }`, { id: mine.data.conversations.edges[0].node.contact.id });
      expect(contact.data).toEqual({ node: null });
      // Traffic for the other tenant's number does reach its own subscriber, and only that.
      await ingest(api.url, [loadFixture('text').replaceAll('106540352242922', '300000000000001')]);
      const events = await watcher.waitFor(1);
      const theirsNow = await graphql(api.url, other.apiKey, CONVERSATIONS, {});
      expect(events.map((e: any) => e.conversationChanged.id)).toEqual([theirsNow.data.conversations.edges[0].node.id]);
      await watcher.close();
    });
  });

  describe('live updates', () => {
    it('delivers changes ingested through one instance to subscribers on another', async () => {
      const second = await startApi();
      try {
        const conversations = await subscribe(second.wsUrl, key, 'subscription { conversationChanged { id contact { displayName } lastMessage { text } } }');
        const messages = await subscribe(second.wsUrl, key, 'subscription { messageChanged { id type text direction status } }');
        await ingest(api.url, [loadFixture('multilingual')]);
        const c = await conversations.waitFor(4);
        expect(c.map((e: any) => e.conversationChanged.contact.displayName).sort()).toEqual(
          ['Lucía Fernández', 'Sheena Nelson', 'أحمد الفارسي', 'נועה כהן'].sort(),
        );
        const m = await messages.waitFor(4);
        expect(m.map((e: any) => e.messageChanged.text)).toContain('😮🙏👍🏽❤️');
        expect(m.every((e: any) => e.messageChanged.direction === 'INBOUND' && e.messageChanged.status === 'RECEIVED')).toBe(true);
        await conversations.close();
        await messages.close();
      } finally {
        await second.stop();
      }
    });

    it('filters message events by conversation', async () => {
      await ingest(api.url, [loadFixture('multilingual')]);
      const inbox = await graphql(api.url, key, CONVERSATIONS, {});
      const sheena = inbox.data.conversations.edges.find((e: any) => e.node.contact.displayName === 'Sheena Nelson').node;
      const watcher = await subscribe(api.wsUrl, key, 'subscription($id: ID) { messageChanged(conversationId: $id) { text conversation { id } } }', { id: sheena.id });
      await ingest(api.url, [loadFixture('text'), loadFixture('bsuid-only')]);
      // Announcements go out up to ~25 ms after commit, so the first batch's may still arrive: what
      // matters is that every event is Sheena's and that her new message is among them.
      await eventually(async () => watcher.events, (events) => events.some((e: any) => e.messageChanged.text === "Hi, my order #48213 hasn't arrived yet. Can you check?"));
      // Announcements reach a subscription in commit order, so once a later message of Sheena's has
      // arrived, every event of the batch above that was going to arrive has.
      const marker = 'Marker: anything else for me?';
      await ingest(api.url, [
        devTenantBody({ name: 'Sheena Nelson', waId: '16505551234', userId: 'US.13491208655302741918' }, [
          textMessage({ from: { name: 'Sheena Nelson', waId: '16505551234', userId: 'US.13491208655302741918' }, id: 'wamid.marker-after-batch', timestamp: String(Math.floor(Date.now() / 1000)), body: marker }),
        ]),
      ]);
      await eventually(async () => watcher.events, (events) => events.some((e: any) => e.messageChanged.text === marker));
      expect(watcher.events.map((e: any) => e.messageChanged.text)).toContain(marker);
      expect(new Set(watcher.events.map((e: any) => e.messageChanged.conversation.id))).toEqual(new Set([sheena.id]));
      await watcher.close();
    });
  });

  describe('query limits', () => {
    it('refuses operations that are too deep, too aliased or too large, before running them', async () => {
      const hops = Array.from({ length: 8 }, () => 'lastMessage { conversation {').join(' ');
      const deep = `{ conversations(first: 1) { edges { node { ${hops} id ${'} } '.repeat(8)} } } } }`;
      const tooDeep = await graphql(api.url, key, deep);
      expect(tooDeep.errors?.[0]?.message).toMatch(/depth limit of 16 exceeded/);
      const aliases = `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: viewer { tenant { name } }`).join(' ')} }`;
      expect((await graphql(api.url, key, aliases)).errors?.[0]?.message).toMatch(/Aliases limit of 20 exceeded/);
      const huge = `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`;
      expect((await graphql(api.url, key, huge)).errors?.[0]?.message).toMatch(/Token limit of 2000 exceeded/);
      // Within the limits, the same shapes work.
      expect((await graphql(api.url, key, `{ a: viewer { tenant { name } } b: viewer { tenant { name } } }`)).data).toEqual({
        a: { tenant: { name: 'Acme Coffee' } },
        b: { tenant: { name: 'Acme Coffee' } },
      });
    });

    it('does not suggest field names to a caller who guesses', async () => {
      const res = await graphql(api.url, key, '{ viewer { tenan { name } } }');
      expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
    });

    // Uploads may be larger (test/media/upload-limits.spec.ts); every other body stays within 25 MB.
    const LIMIT = 25_000_000;
    const tooLarge = { errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] };
    const post = (body: { prefix: string; fillBytes: number; contentLength?: number }) =>
      postStreaming(`${api.url}/graphql`, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...body });

    it('refuses a JSON body that announces more than 25 MB before reading it, and closes the connection', async () => {
      const answer = await post({ prefix: '{"query":"{ __typename }","variables":{"x":"', fillBytes: 0, contentLength: LIMIT + 1 });
      expect([answer.status, JSON.parse(answer.body), answer.closed]).toEqual([413, tooLarge, true]);
    });

    it('cuts a streamed (chunked) JSON body off at 25 MB, and closes the connection', async () => {
      const answer = await post({ prefix: '{"query":"{ __typename }","variables":{"x":"', fillBytes: 200 * 1024 * 1024 });
      expect([answer.status, JSON.parse(answer.body), answer.closed]).toEqual([413, tooLarge, true]);
      expect(answer.sentBeforeAnswer).toBeGreaterThan(LIMIT - 64);
      expect(answer.sentBeforeAnswer).toBeLessThan(LIMIT + 32 * 1024 * 1024);
    });

    it('reads a JSON body of up to 25 MB', async () => {
      const query = '{ viewer { tenant { name } } }';
      const json = JSON.stringify({ query, variables: { padding: '' } });
      const body = JSON.stringify({ query, variables: { padding: 'x'.repeat(LIMIT - json.length) } });
      expect(body.length).toBe(LIMIT);
      const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
      expect([res.status, await res.json()]).toEqual([200, { data: { viewer: { tenant: { name: 'Acme Coffee' } } } }]);
    });
  });
});
