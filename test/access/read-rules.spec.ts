// A key's scopes hold on every path to what it reads: a key without READ (SEND-only or ADMIN-only) gets
// null and a FORBIDDEN error for a conversation, a message, a contact and a note whether it asks through
// node, nodes, a mutation's answer or a subscription; a READ key gets them. Real api over HTTP and
// WebSocket, real Postgres.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { wamidFromParts } from '../meta-sandbox/wamid.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, ingest, logIn, owner, resetDatabase, seedApiKey, seedDevTenant, seedUser, startApi, subscriptionsAttached, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

const CUSTOMER: Sender = { name: 'Sheena Nelson', waId: '16505551234' };
const FORBIDDEN = { message: 'You do not have access to this.', code: 'FORBIDDEN' };

let api: RunningApi;
let tenantId: string;
let keys: Record<'read' | 'send' | 'admin', string>;
let ids: { conversation: string; message: string; contact: string; note: string };
let sequence = 0;

const keyWithScopes = (scopes: string[]) => seedApiKey(tenantId, scopes);

/** A customer writes (now, so the 24-hour window is open). */
async function customerWrites(body: string): Promise<void> {
  sequence += 1;
  const id = wamidFromParts({ counterpart: CUSTOMER.waId!, direction: 'inbound', hex: `READ${String(sequence).padStart(16, '0')}` });
  const answer = await ingest(api.url, [devTenantBody(CUSTOMER, [textMessage({ from: CUSTOMER, id, timestamp: String(Math.floor(Date.now() / 1000)), body })])]);
  expect(answer.results.map((r) => r.status)).toEqual(['committed']);
}

const errorsOf = (res: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) =>
  (res.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code }));

beforeAll(async () => {
  // Replies are queued but not sent: no job worker, so no call to Meta.
  api = await startApi({ instanceId: 'read-rules', runJobs: false });
});
afterAll(() => api?.stop());
beforeEach(async () => {
  await resetDatabase();
  ({ tenantId } = await seedDevTenant());
  keys = { read: await keyWithScopes(['read']), send: await keyWithScopes(['send']), admin: await keyWithScopes(['admin']) };
  await seedUser(tenantId, { email: 'mia@acme.test', role: 'manager' });
  const manager = await logIn(api.url, 'mia@acme.test', 'correct horse battery');
  await customerWrites('Where is my order?');
  const inbox = await graphql(api.url, manager, '{ conversations(first: 1) { edges { node { id contact { id } lastMessage { id } } } } }');
  const conversation = inbox.data.conversations.edges[0].node;
  const note = await graphql(api.url, manager, 'mutation ($c: ID!) { addNote(conversationId: $c, body: "VIP customer") { ... on MutationAddNoteSuccess { note { id } } } }', {
    c: conversation.id,
  });
  ids = { conversation: conversation.id, message: conversation.lastMessage.id, contact: conversation.contact.id, note: note.data.addNote.note.id };
});

const NODE = `query ($id: ID!) { node(id: $id) { id
  ... on Conversation { status } ... on Message { text } ... on Contact { waId } ... on Note { body } } }`;
const NODES = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';

describe('reading without READ', () => {
  for (const scope of ['send', 'admin'] as const) {
    it(`refuses a ${scope.toUpperCase()}-only key a conversation, message, contact and note through node`, async () => {
      for (const id of Object.values(ids)) {
        const res = await graphql(api.url, keys[scope], NODE, { id });
        expect(res.data).toEqual({ node: null });
        expect(errorsOf(res)).toEqual([FORBIDDEN]);
      }
    });

    it(`refuses a ${scope.toUpperCase()}-only key all four through nodes`, async () => {
      const res = await graphql(api.url, keys[scope], NODES, { ids: Object.values(ids) });
      expect(res.data).toEqual({ nodes: [null, null, null, null] });
      expect(errorsOf(res)).toEqual([FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]);
    });

    it(`refuses a ${scope.toUpperCase()}-only key the conversation feeds`, async () => {
      for (const query of ['subscription { conversationChanged { id contact { waId } } }', 'subscription { messageChanged { id text } }']) {
        const outcome = await subscribeOnce(keys[scope], query, () => customerWrites('Anyone there?'));
        expect(outcome).toEqual({ data: [], errors: [FORBIDDEN] });
      }
    });
  }

  it("lets a SEND-only key send, and read the message it sent, but not its conversation, nor through it the messages, notes or contact", async () => {
    const res = await graphql(
      api.url,
      keys.send,
      `mutation ($c: ID!) { sendText(conversationId: $c, body: "On its way") { __typename
        ... on MutationSendTextSuccess { reply { id text status conversation { id messages { edges { node { text } } } notes { edges { node { body } } } contact { waId } } } } } }`,
      { c: ids.conversation },
    );
    expect(res.data.sendText).toMatchObject({ __typename: 'MutationSendTextSuccess', reply: { text: 'On its way', status: 'PENDING', conversation: null } });
    expect(errorsOf(res)).toEqual([FORBIDDEN]);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((res.errors![0] as { path?: unknown[] }).path).toEqual(['sendText', 'reply', 'conversation']);
  });

  it('lets a SEND-only key work a conversation and see its state in the answer, but not its contact, messages or notes', async () => {
    const res = await graphql(
      api.url,
      keys.send,
      `mutation ($c: ID!) { setConversationStatus(conversationId: $c, status: PENDING) { __typename
        ... on MutationSetConversationStatusSuccess { conversation { id status contact { waId } lastMessage { text }
          messages { edges { node { text } } } notes { edges { node { body } } } } } } }`,
      { c: ids.conversation },
    );
    expect(res.data.setConversationStatus).toEqual({
      __typename: 'MutationSetConversationStatusSuccess',
      conversation: { id: ids.conversation, status: 'PENDING', contact: null, lastMessage: null, messages: null, notes: null },
    });
    const paths = (res.errors ?? []).map((e) => [(e as { path?: (string | number)[] }).path?.slice(2).join('.'), e.extensions?.code]);
    expect(paths.sort()).toEqual([
      ['contact', 'FORBIDDEN'],
      ['lastMessage', 'FORBIDDEN'],
      ['messages.edges.0.node', 'FORBIDDEN'],
      ['notes.edges.0.node', 'FORBIDDEN'],
    ]);
  });
});

describe('reading with READ', () => {
  it('gives a READ key the conversation, message, contact and note through node and nodes', async () => {
    const expected = [{ id: ids.conversation, status: 'OPEN' }, { id: ids.message, text: 'Where is my order?' }, { id: ids.contact, waId: CUSTOMER.waId }, { id: ids.note, body: 'VIP customer' }];
    const viaNode = [];
    for (const id of Object.values(ids)) {
      const res = await graphql(api.url, keys.read, NODE, { id });
      expect(res.errors).toBeUndefined();
      viaNode.push(res.data.node);
    }
    expect(viaNode).toEqual(expected);
    const viaNodes = await graphql(api.url, keys.read, NODES, { ids: Object.values(ids) });
    expect(viaNodes).toMatchObject({ data: { nodes: Object.values(ids).map((id) => ({ id })) } });
    expect(viaNodes.errors).toBeUndefined();
  });

  it('gives a READ key the conversation, its contact and its notes in a feed event', async () => {
    const outcome = await subscribeOnce(
      keys.read,
      'subscription { messageChanged { text conversation { id contact { waId } notes { edges { node { body } } } } } }',
      () => customerWrites('Anyone there?'),
      (data) => data.messageChanged?.text === 'Anyone there?',
    );
    expect(outcome.errors).toEqual([]);
    expect(outcome.data[0]).toEqual({
      messageChanged: { text: 'Anyone there?', conversation: { id: ids.conversation, contact: { waId: CUSTOMER.waId }, notes: { edges: [{ node: { body: 'VIP customer' } }] } } },
    });
  });

  it('lets a key with READ and SEND read the conversation of the message it sent', async () => {
    const both = await keyWithScopes(['read', 'send']);
    const res = await graphql(api.url, both, 'mutation ($c: ID!) { sendText(conversationId: $c, body: "Hi") { ... on MutationSendTextSuccess { reply { conversation { contact { waId } } } } } }', {
      c: ids.conversation,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.sendText).toEqual({ reply: { conversation: { contact: { waId: CUSTOMER.waId } } } });
  });
});

/**
 * Subscribes with a key and, once the server has attached the subscription (or refused it), makes
 * something happen; answers with the first event `accept` takes (an event from an earlier commit can
 * still be on its way) or the subscription's refusal.
 */
async function subscribeOnce(key: string, query: string, trigger: () => Promise<void>, accept: (data: any) => boolean = () => true) {
  const client = createClient({
    url: api.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: true,
  });
  const data: unknown[] = [];
  const errors: { message: string; code: unknown }[] = [];
  let answered!: () => void;
  const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
  let done = false;
  void firstAnswer.then(() => (done = true));
  const attachedBefore = subscriptionsAttached(api.wsUrl);
  client.subscribe<unknown>({ query }, {
    next: (value) => {
      if (value.data && !value.errors && !accept(value.data)) return;
      if (value.data) data.push(value.data);
      for (const e of value.errors ?? []) errors.push({ message: e.message, code: e.extensions?.code });
      answered();
    },
    error: (error) => {
      for (const e of Array.isArray(error) ? error : [error]) errors.push({ message: (e as Error).message, code: (e as { extensions?: { code?: unknown } }).extensions?.code });
      answered();
    },
    complete: () => answered(),
  });
  const live = await eventually(async () => done || subscriptionsAttached(api.wsUrl) > attachedBefore, Boolean, { timeoutMs: 10_000, everyMs: 5 });
  if (!live) throw new Error(`the server neither attached nor refused the subscription within 10 s: ${query}`);
  if (!done) await trigger();
  const timeout = setTimeout(answered, 10_000);
  await firstAnswer;
  clearTimeout(timeout);
  await client.dispose();
  return { data, errors };
}
