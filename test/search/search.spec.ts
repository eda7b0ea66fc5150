// Contacts and search over real HTTP against a real Postgres: customers write in through /ingest, then
// people and keys of the tenant list contacts and search messages. Spanish word forms, parts of names and
// phone numbers, highlighted snippets — and what an agent, a key and another tenant may not find.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metaStringify } from '../meta-sandbox/meta-json.ts';
import { contactEntry, messagesChange, textMessage, webhookEnvelope, type Sender } from '../meta-sandbox/payloads.ts';
import { wamidFromParts } from '../meta-sandbox/wamid.ts';
import {
  DEV_TENANT,
  graphql,
  ingest,
  logIn,
  resetDatabase,
  seedApiKey,
  seedDepartment,
  seedDevTenant,
  seedUser,
  startApi,
  type Credentials,
  type RunningApi,
} from '../support/stack.ts';

const SEARCH = `query ($query: String!, $first: Int, $after: String) {
  search(query: $query, first: $first, after: $after) {
    edges { cursor node {
      __typename
      ... on MessageSearchHit { message { id text } conversation { id } snippet { text highlights { start end } } }
      ... on ContactSearchHit { contact { id displayName waId } snippet { text highlights { start end } } }
    } }
    pageInfo { hasNextPage endCursor } } }`;
const CONTACTS = `query ($search: String, $first: Int, $after: String) {
  contacts(search: $search, first: $first, after: $after) {
    edges { node { id displayName waId userId optedOut restricted lastMessageAt } }
    pageInfo { hasNextPage endCursor } } }`;
const PROFILE = `query ($id: ID!) {
  node(id: $id) { ... on Contact { id displayName waId conversations(first: 10) { edges { node { id status } } } } } }`;

const LUCIA: Sender = { name: 'Lucía Fernández', waId: '34612345678' };
const JORGE: Sender = { name: 'Jorge Ruiz', waId: '34698765432' };
const OTHER_TENANT_CUSTOMER: Sender = { name: 'Lucía Otra', waId: '34612349999' };
const OTHER_TENANT = { name: 'Bravo Shoes', wabaId: '202290129340398', phoneNumberId: '206540352242922', displayPhoneNumber: '15550783999' };

/** What a hit shows: its kind, and the snippet with its highlighted parts. */
function hits(answer: any): { kind: string; text: string; marked: string[]; id: string }[] {
  return answer.data.search.edges.map(({ node }: any) => ({
    kind: node.__typename,
    text: node.snippet.text,
    marked: node.snippet.highlights.map((h: { start: number; end: number }) => node.snippet.text.slice(h.start, h.end)),
    id: node.__typename === 'MessageSearchHit' ? node.message.id : node.contact.id,
  }));
}

describe('contacts and search', () => {
  let api: RunningApi;
  let tenantId: string;
  let readKey: string;
  let sequence = 0;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId, apiKey: readKey } = await seedDevTenant());
  });

  async function writes(from: Sender, body: string, { tenant = DEV_TENANT, at = Math.floor(Date.now() / 1000) } = {}): Promise<void> {
    sequence += 1;
    const message = textMessage({
      from,
      id: wamidFromParts({ counterpart: from.waId!, direction: 'inbound', hex: `SRCH${String(sequence).padStart(16, '0')}` }),
      timestamp: String(at),
      body,
    });
    const envelope = webhookEnvelope({
      wabaId: tenant.wabaId,
      changes: [messagesChange({ phoneNumberId: tenant.phoneNumberId, displayPhoneNumber: tenant.displayPhoneNumber, contacts: [contactEntry(from)], messages: [message] })],
    });
    const answer = await ingest(api.url, [metaStringify(envelope)]);
    expect(answer.results.map((r) => r.status)).toEqual(['committed']);
  }

  async function person(email: string, role: 'agent' | 'manager' | 'admin'): Promise<{ id: string; credentials: Credentials }> {
    const user = await seedUser(tenantId, { email, name: email.split('@')[0]!, role });
    return { id: user.id, credentials: await logIn(api.url, user.email, user.password) };
  }

  async function conversationOf(waId: string): Promise<string> {
    const inbox = await graphql(api.url, readKey, '{ conversations(first: 100) { edges { node { id contact { waId } } } } }');
    return inbox.data.conversations.edges.find((e: any) => e.node.contact.waId === waId).node.id;
  }

  const search = (who: Credentials, query: string, first?: number, after?: string) => graphql(api.url, who, SEARCH, { query, first, after });

  describe('messages', () => {
    it('finds a Spanish message by another form of its word, with or without accents, and marks the word', async () => {
      await writes(LUCIA, 'Hola, quiero cancelar mi pedido de ayer');
      await writes(JORGE, 'Mañana paso por la tienda');

      for (const query of ['cancelación', 'cancelar', 'canceló', 'pedidos']) {
        const found = hits(await search(readKey, query)).filter((h) => h.kind === 'MessageSearchHit');
        expect(found.map((h) => [h.text, h.marked]), query).toEqual([
          ['Hola, quiero cancelar mi pedido de ayer', [query === 'pedidos' ? 'pedido' : 'cancelar']],
        ]);
      }
      // The word as written, without its accent or case.
      expect(hits(await search(readKey, 'MANANA')).map((h) => [h.text, h.marked])).toEqual([['Mañana paso por la tienda', ['Mañana']]]);
      // All the words must match; a word nobody wrote finds nothing.
      expect(hits(await search(readKey, 'cancelar tienda'))).toEqual([]);
      expect(hits(await search(readKey, 'devolución'))).toEqual([]);
      expect(hits(await search(readKey, 'cancelar pedido')).map((h) => h.marked)).toEqual([['cancelar', 'pedido']]);
    });

    it('pages newest first and the hit leads to its message and conversation', async () => {
      const now = Math.floor(Date.now() / 1000);
      await writes(LUCIA, 'Pedido número uno', { at: now - 120 });
      await writes(JORGE, 'Otro pedido, el segundo', { at: now - 60 });
      await writes(LUCIA, 'El tercer pedido', { at: now });

      const first = await search(readKey, 'pedido', 2);
      expect(hits(first).map((h) => h.text)).toEqual(['El tercer pedido', 'Otro pedido, el segundo']);
      expect(first.data.search.pageInfo.hasNextPage).toBe(true);
      const second = await search(readKey, 'pedido', 2, first.data.search.pageInfo.endCursor);
      expect(hits(second).map((h) => h.text)).toEqual(['Pedido número uno']);
      expect(second.data.search.pageInfo.hasNextPage).toBe(false);

      const hit = first.data.search.edges[0].node;
      expect(hit.conversation.id).toBe(await conversationOf(LUCIA.waId!));
      expect(hit.message.text).toBe('El tercer pedido');
      expect((await search(readKey, 'pedido', 2, 'not-a-cursor')).errors?.[0]?.message).toBe('Invalid cursor');
    });
  });

  describe('contacts in search', () => {
    it('finds a customer by part of the phone number and by part of the name, marking the part', async () => {
      await writes(LUCIA, 'Hola');
      await writes(JORGE, 'Buenas');

      expect(hits(await search(readKey, '+34 612 34')).map((h) => [h.kind, h.text, h.marked])).toEqual([
        ['ContactSearchHit', '+34612345678', ['3461234']],
      ]);
      expect(hits(await search(readKey, '5432')).map((h) => [h.text, h.marked])).toEqual([['+34698765432', ['5432']]]);
      // Case and accents do not matter; the name keeps its own spelling.
      expect(hits(await search(readKey, 'fernandez')).map((h) => [h.text, h.marked])).toEqual([['Lucía Fernández', ['Fernández']]]);
      expect(hits(await search(readKey, 'LUCÍA')).map((h) => [h.text, h.marked])).toEqual([['Lucía Fernández', ['Lucía']]]);
      // Within a typo: found, nothing marked.
      expect(hits(await search(readKey, 'Fernandes')).map((h) => [h.text, h.marked])).toEqual([['Lucía Fernández', []]]);
      expect(hits(await search(readKey, '999'))).toEqual([]);
    });

    it('lists customers before messages, and pages across both', async () => {
      await writes(JORGE, 'Soy amigo de Lucía');
      await writes(LUCIA, 'Hola');
      const first = await search(readKey, 'lucia', 1);
      expect(hits(first).map((h) => [h.kind, h.text])).toEqual([['ContactSearchHit', 'Lucía Fernández']]);
      const second = await search(readKey, 'lucia', 1, first.data.search.pageInfo.endCursor);
      expect(hits(second).map((h) => [h.kind, h.text, h.marked])).toEqual([['MessageSearchHit', 'Soy amigo de Lucía', ['Lucía']]]);
      expect(second.data.search.pageInfo.hasNextPage).toBe(false);
    });
  });

  describe('who finds what', () => {
    it("never shows an agent what other departments' conversations hold", async () => {
      const ana = await person('ana@acme.test', 'agent');
      const manager = await person('mia@acme.test', 'manager');
      await seedDepartment(tenantId, { name: 'Support', members: [ana.id], isDefault: true });
      const sales = await seedDepartment(tenantId, { name: 'Sales' });
      await writes(LUCIA, 'Quiero cancelar la suscripción');
      await writes(JORGE, 'Quiero cancelar mi pedido');
      // Jorge's conversation goes to Sales, where Ana is not.
      const moved = await graphql(api.url, manager.credentials, `mutation ($c: ID!, $d: ID!) { transferConversation(conversationId: $c, departmentId: $d) { __typename } }`, {
        c: await conversationOf(JORGE.waId!),
        d: Buffer.from(`Department:${sales}`).toString('base64'),
      });
      expect(moved.data.transferConversation.__typename).toBe('MutationTransferConversationSuccess');

      expect(hits(await search(manager.credentials, 'cancelar')).map((h) => h.text).sort()).toEqual(['Quiero cancelar la suscripción', 'Quiero cancelar mi pedido']);
      expect(hits(await search(ana.credentials, 'cancelar')).map((h) => h.text)).toEqual(['Quiero cancelar la suscripción']);
      expect(hits(await search(ana.credentials, 'pedido'))).toEqual([]);
      expect(hits(await search(ana.credentials, 'Jorge'))).toEqual([]);
      expect(hits(await search(ana.credentials, '98765'))).toEqual([]);

      const anaContacts = await graphql(api.url, ana.credentials, CONTACTS);
      expect(anaContacts.data.contacts.edges.map((e: any) => e.node.displayName)).toEqual(['Lucía Fernández']);
      const all = await graphql(api.url, manager.credentials, CONTACTS);
      expect(all.data.contacts.edges.map((e: any) => e.node.displayName)).toEqual(['Jorge Ruiz', 'Lucía Fernández']);
      // Not by id either: the customer of a conversation she may not see is not hers to read.
      const jorge = all.data.contacts.edges.find((e: any) => e.node.displayName === 'Jorge Ruiz').node.id;
      expect((await graphql(api.url, ana.credentials, PROFILE, { id: jorge })).data.node).toBeNull();
      expect((await graphql(api.url, manager.credentials, PROFILE, { id: jorge })).data.node.displayName).toBe('Jorge Ruiz');
    });

    it("never shows another tenant's customers or messages", async () => {
      const { apiKey: otherKey } = await seedDevTenant(OTHER_TENANT);
      await writes(LUCIA, 'Quiero cancelar mi pedido');
      await writes(OTHER_TENANT_CUSTOMER, 'Quiero cancelar mi pedido también', { tenant: OTHER_TENANT });

      expect(hits(await search(readKey, 'cancelar')).map((h) => h.text)).toEqual(['Quiero cancelar mi pedido']);
      expect(hits(await search(readKey, 'lucía')).map((h) => h.text)).toEqual(['Lucía Fernández']);
      expect(hits(await search(readKey, '61234')).map((h) => h.text)).toEqual(['+34612345678']);
      expect(hits(await search(readKey, 'también'))).toEqual([]);
      const theirs = await graphql(api.url, otherKey, CONTACTS);
      expect(theirs.data.contacts.edges.map((e: any) => e.node.displayName)).toEqual(['Lucía Otra']);
      expect(hits(await search(otherKey, 'cancelar')).map((h) => h.text)).toEqual(['Quiero cancelar mi pedido también']);
      const mine = await graphql(api.url, readKey, CONTACTS, { search: '6123' });
      expect(mine.data.contacts.edges.map((e: any) => e.node.waId)).toEqual([LUCIA.waId]);
    });

    it('lets people and READ keys list contacts, and no key without READ', async () => {
      await writes(LUCIA, 'Hola');
      const admin = await person('ada@acme.test', 'admin');
      for (const who of [readKey, admin.credentials]) {
        const res = await graphql(api.url, who, CONTACTS);
        expect(res.data.contacts.edges.map((e: any) => e.node.waId)).toEqual([LUCIA.waId]);
      }
      for (const scopes of [['send'], ['admin']]) {
        const key = await seedApiKey(tenantId, scopes);
        for (const query of [CONTACTS, SEARCH]) {
          const res = await graphql(api.url, key, query, { query: 'hola' });
          expect(res.errors?.map((e) => e.extensions?.code), `${scopes} ${query.slice(0, 20)}`).toEqual(['FORBIDDEN']);
        }
      }
      expect((await graphql(api.url, null, CONTACTS)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('the contacts list', () => {
    it('lists newest activity first, pages, searches, and shows a profile with past conversations', async () => {
      const now = Math.floor(Date.now() / 1000);
      await writes(LUCIA, 'Primera conversación', { at: now - 600 });
      const first = await conversationOf(LUCIA.waId!);
      const sendKey = await seedApiKey(tenantId, ['read', 'send']);
      const resolved = await graphql(api.url, sendKey, `mutation ($c: ID!) { setConversationStatus(conversationId: $c, status: RESOLVED) { __typename } }`, { c: first });
      expect(resolved.errors).toBeUndefined();
      expect(resolved.data.setConversationStatus.__typename).toBe('MutationSetConversationStatusSuccess');
      await writes(JORGE, 'Hola', { at: now - 300 });
      await writes(LUCIA, 'Segunda conversación', { at: now });

      const page1 = await graphql(api.url, readKey, CONTACTS, { first: 1 });
      expect(page1.data.contacts.edges.map((e: any) => e.node.displayName)).toEqual(['Lucía Fernández']);
      expect(page1.data.contacts.edges[0].node.lastMessageAt).toBe(new Date(now * 1000).toISOString());
      const page2 = await graphql(api.url, readKey, CONTACTS, { first: 1, after: page1.data.contacts.pageInfo.endCursor });
      expect(page2.data.contacts.edges.map((e: any) => e.node.displayName)).toEqual(['Jorge Ruiz']);
      expect(page2.data.contacts.pageInfo.hasNextPage).toBe(false);

      expect((await graphql(api.url, readKey, CONTACTS, { search: 'jorge' })).data.contacts.edges.map((e: any) => e.node.waId)).toEqual([JORGE.waId]);
      expect((await graphql(api.url, readKey, CONTACTS, { search: '%' })).data.contacts.edges).toEqual([]);

      const profile = await graphql(api.url, readKey, PROFILE, { id: page1.data.contacts.edges[0].node.id });
      expect(profile.data.node.conversations.edges.map((e: any) => e.node)).toEqual([
        { id: await conversationOf(LUCIA.waId!), status: 'OPEN' },
        { id: first, status: 'RESOLVED' },
      ]);
    });
  });
});
