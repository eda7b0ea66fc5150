// What people add around a conversation, over real HTTP against a real Postgres: private notes with
// their authors, labels, canned responses — who may do what, and that no other tenant sees any of it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { wamidFromParts } from '../meta-sandbox/wamid.ts';
import {
  graphql,
  ingest,
  logIn,
  owner,
  resetDatabase,
  seedApiKey,
  seedDepartment,
  seedDevTenant,
  seedUser,
  startApi,
  subscribe,
  type Credentials,
  type RunningApi,
} from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

const ERRORS = '... on Error { __typename code message } ... on ValidationError { field }';

const ADD_NOTE = `mutation ($conversationId: ID!, $body: String!) {
  addNote(conversationId: $conversationId, body: $body) {
    __typename ... on MutationAddNoteSuccess { note { id body author { email } } } ${ERRORS} } }`;
const DELETE_NOTE = `mutation ($id: ID!) {
  deleteNote(id: $id) { __typename ... on MutationDeleteNoteSuccess { deletedId } ${ERRORS} } }`;
const NOTES = `query ($id: ID!, $first: Int, $after: String) {
  conversation(id: $id) { notes(first: $first, after: $after) {
    edges { node { id body createdAt author { email name role } } } pageInfo { hasNextPage endCursor } } } }`;

const LABEL_FIELDS = '__typename ... on MutationCreateLabelSuccess { label { id name color } }';
const CREATE_LABEL = `mutation ($name: String!, $color: String) {
  createLabel(name: $name, color: $color) { ${LABEL_FIELDS} ${ERRORS} } }`;
const UPDATE_LABEL = `mutation ($id: ID!, $name: String, $color: String) {
  updateLabel(id: $id, name: $name, color: $color) {
    __typename ... on MutationUpdateLabelSuccess { label { id name color } } ${ERRORS} } }`;
const DELETE_LABEL = `mutation ($id: ID!) {
  deleteLabel(id: $id) { __typename ... on MutationDeleteLabelSuccess { deletedId } ${ERRORS} } }`;
const LABELS = '{ labels { edges { node { id name color } } } }';
const LABEL_CONVERSATION = `mutation ($conversationId: ID!, $labelId: ID!) {
  labelConversation(conversationId: $conversationId, labelId: $labelId) {
    __typename ... on MutationLabelConversationSuccess { conversation { id labels { name color } } } ${ERRORS} } }`;
const UNLABEL_CONVERSATION = `mutation ($conversationId: ID!, $labelId: ID!) {
  unlabelConversation(conversationId: $conversationId, labelId: $labelId) {
    __typename ... on MutationUnlabelConversationSuccess { conversation { id labels { name } } } ${ERRORS} } }`;

const CREATE_CANNED = `mutation ($shortcut: String!, $title: String!, $body: String!) {
  createCannedResponse(shortcut: $shortcut, title: $title, body: $body) {
    __typename ... on MutationCreateCannedResponseSuccess { cannedResponse { id shortcut title body updatedAt } } ${ERRORS} } }`;
const UPDATE_CANNED = `mutation ($id: ID!, $shortcut: String, $title: String, $body: String) {
  updateCannedResponse(id: $id, shortcut: $shortcut, title: $title, body: $body) {
    __typename ... on MutationUpdateCannedResponseSuccess { cannedResponse { id shortcut title body } } ${ERRORS} } }`;
const DELETE_CANNED = `mutation ($id: ID!) {
  deleteCannedResponse(id: $id) { __typename ... on MutationDeleteCannedResponseSuccess { deletedId } ${ERRORS} } }`;
const CANNED = `query ($search: String) { cannedResponses(search: $search) { edges { node { shortcut } } } }`;

const SHEENA: Sender = { name: 'Sheena Nelson', waId: '16505551234' };
const RAJ: Sender = { name: 'Raj Patel', waId: '447700900123' };

describe('notes, labels and canned responses', () => {
  let api: RunningApi;
  let tenantId: string;
  let key: string;
  let sequence = 0;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId, apiKey: key } = await seedDevTenant());
  });

  /** A customer writes in; answers the conversation's global id. */
  async function conversationWith(from: Sender): Promise<string> {
    sequence += 1;
    const message = textMessage({
      from,
      id: wamidFromParts({ counterpart: from.waId!, direction: 'inbound', hex: `NOTE${String(sequence).padStart(16, '0')}` }),
      timestamp: String(Math.floor(Date.now() / 1000)),
      body: 'Hello, where is my order?',
    });
    const answer = await ingest(api.url, [devTenantBody(from, [message])]);
    expect(answer.results.map((r) => r.status)).toEqual(['committed']);
    const inbox = await graphql(api.url, key, '{ conversations { edges { node { id contact { waId } } } } }');
    return inbox.data.conversations.edges.find((e: any) => e.node.contact.waId === from.waId).node.id;
  }

  /** Puts the customer's conversation in a department, as routing does, so its members (agents) may see it. */
  async function routeTo(from: Sender, departmentId: string): Promise<void> {
    await owner()`
      update conversations c set department_id = ${departmentId}
        from contacts ct
       where ct.tenant_id = c.tenant_id and ct.id = c.contact_id and c.tenant_id = ${tenantId} and ct.wa_id = ${from.waId!}`;
  }

  async function person(email: string, role: 'agent' | 'manager' | 'admin'): Promise<{ id: string; credentials: Credentials }> {
    const user = await seedUser(tenantId, { email, name: email.split('@')[0]!, role });
    return { id: user.id, credentials: await logIn(api.url, user.email, user.password) };
  }

  const keyWithScopes = (scopes: string[], forTenant = tenantId) => seedApiKey(forTenant, scopes, 'Test key');

  async function createLabel(credentials: Credentials, name: string, color?: string): Promise<{ id: string; name: string; color: string }> {
    const res = await graphql(api.url, credentials, CREATE_LABEL, { name, color });
    expect(res.data.createLabel.__typename).toBe('MutationCreateLabelSuccess');
    return res.data.createLabel.label;
  }

  describe('notes', () => {
    it('lets an agent add a note and read it back with its author, without messaging the customer', async () => {
      const conversation = await conversationWith(SHEENA);
      const alice = await person('alice@acme.test', 'agent');
      await routeTo(SHEENA, await seedDepartment(tenantId, { name: 'Support', members: [alice.id] }));

      const added = await graphql(api.url, alice.credentials, ADD_NOTE, { conversationId: conversation, body: '  Wants a refund; check order 48213.  ' });
      expect(added.data.addNote).toMatchObject({
        __typename: 'MutationAddNoteSuccess',
        note: { body: 'Wants a refund; check order 48213.', author: { email: 'alice@acme.test' } },
      });

      const read = await graphql(api.url, alice.credentials, NOTES, { id: conversation });
      const notes = read.data.conversation.notes.edges.map((e: any) => e.node);
      expect(notes).toEqual([
        { id: added.data.addNote.note.id, body: 'Wants a refund; check order 48213.', createdAt: expect.any(String), author: { email: 'alice@acme.test', name: 'alice', role: 'AGENT' } },
      ]);
      const rows = await owner()`select author_id, body from conversation_notes where tenant_id = ${tenantId}`;
      expect(rows).toEqual([{ authorId: alice.id, body: 'Wants a refund; check order 48213.' }]);
      const outbound = await owner()`select count(*)::int as n from messages where tenant_id = ${tenantId} and direction = 'outbound'`;
      expect(outbound).toEqual([{ n: 0 }]);
    });

    it('pages through notes oldest first', async () => {
      const conversation = await conversationWith(SHEENA);
      const manager = await person('mia@acme.test', 'manager');
      for (const body of ['first', 'second', 'third']) {
        const res = await graphql(api.url, manager.credentials, ADD_NOTE, { conversationId: conversation, body });
        expect(res.data.addNote.__typename).toBe('MutationAddNoteSuccess');
      }
      const page1 = await graphql(api.url, manager.credentials, NOTES, { id: conversation, first: 2 });
      expect(page1.data.conversation.notes.edges.map((e: any) => e.node.body)).toEqual(['first', 'second']);
      expect(page1.data.conversation.notes.pageInfo.hasNextPage).toBe(true);
      const page2 = await graphql(api.url, manager.credentials, NOTES, { id: conversation, first: 2, after: page1.data.conversation.notes.pageInfo.endCursor });
      expect(page2.data.conversation.notes.edges.map((e: any) => e.node.body)).toEqual(['third']);
      expect(page2.data.conversation.notes.pageInfo.hasNextPage).toBe(false);
    });

    it('refuses an empty note, a conversation the agent cannot see, and partner keys', async () => {
      const conversation = await conversationWith(SHEENA);
      const alice = await person('alice@acme.test', 'agent');
      const bob = await person('bob@acme.test', 'agent');
      await routeTo(SHEENA, await seedDepartment(tenantId, { name: 'Support', members: [alice.id] }));

      const empty = await graphql(api.url, alice.credentials, ADD_NOTE, { conversationId: conversation, body: '   ' });
      expect(empty.data.addNote).toEqual({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'body', message: 'A note needs 1 to 10000 characters.' });
      const tooLong = await graphql(api.url, alice.credentials, ADD_NOTE, { conversationId: conversation, body: 'x'.repeat(10_001) });
      expect(tooLong.data.addNote).toMatchObject({ __typename: 'ValidationError', field: 'body' });

      const outsider = await graphql(api.url, bob.credentials, ADD_NOTE, { conversationId: conversation, body: 'Not my customer' });
      expect(outsider.data.addNote).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Conversation was not found.' });

      const byKey = await graphql(api.url, key, ADD_NOTE, { conversationId: conversation, body: 'From a script' });
      expect(byKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await owner()`select id from conversation_notes`).toEqual([]);

      // Bob cannot read Alice's note either, not even by its id.
      const added = await graphql(api.url, alice.credentials, ADD_NOTE, { conversationId: conversation, body: 'Private' });
      const noteId = added.data.addNote.note.id;
      const byId = await graphql(api.url, bob.credentials, 'query ($id: ID!) { node(id: $id) { id } }', { id: noteId });
      expect(byId.data).toEqual({ node: null });
      const deleteByOutsider = await graphql(api.url, bob.credentials, DELETE_NOTE, { id: noteId });
      expect(deleteByOutsider.data.deleteNote).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    });

    it("lets a manager delete anyone's note but not another agent", async () => {
      const conversation = await conversationWith(SHEENA);
      const alice = await person('alice@acme.test', 'agent');
      const carol = await person('carol@acme.test', 'agent');
      const mia = await person('mia@acme.test', 'manager');
      await routeTo(SHEENA, await seedDepartment(tenantId, { name: 'Support', members: [alice.id, carol.id] }));
      const added = await graphql(api.url, alice.credentials, ADD_NOTE, { conversationId: conversation, body: 'Called back at 3pm' });
      const noteId = added.data.addNote.note.id;

      const byColleague = await graphql(api.url, carol.credentials, DELETE_NOTE, { id: noteId });
      expect(byColleague.errors?.[0]).toMatchObject({ message: 'Only its author or a manager can delete this note.', extensions: { code: 'FORBIDDEN' } });
      expect(await owner()`select body from conversation_notes`).toEqual([{ body: 'Called back at 3pm' }]);

      const byManager = await graphql(api.url, mia.credentials, DELETE_NOTE, { id: noteId });
      expect(byManager.data.deleteNote).toEqual({ __typename: 'MutationDeleteNoteSuccess', deletedId: noteId });
      expect(await owner()`select id from conversation_notes`).toEqual([]);
      const again = await graphql(api.url, mia.credentials, DELETE_NOTE, { id: noteId });
      expect(again.data.deleteNote).toMatchObject({ __typename: 'NotFoundError' });
    });

    it('lets the author delete their own note', async () => {
      const conversation = await conversationWith(SHEENA);
      const alice = await person('alice@acme.test', 'agent');
      await routeTo(SHEENA, await seedDepartment(tenantId, { name: 'Support', members: [alice.id] }));
      const added = await graphql(api.url, alice.credentials, ADD_NOTE, { conversationId: conversation, body: 'Typo' });
      const deleted = await graphql(api.url, alice.credentials, DELETE_NOTE, { id: added.data.addNote.note.id });
      expect(deleted.data.deleteNote).toEqual({ __typename: 'MutationDeleteNoteSuccess', deletedId: added.data.addNote.note.id });
      const read = await graphql(api.url, alice.credentials, NOTES, { id: conversation });
      expect(read.data.conversation.notes.edges).toEqual([]);
    });
  });

  describe('labels', () => {
    it('lets a manager create, list, rename, recolour and delete labels', async () => {
      const mia = await person('mia@acme.test', 'manager');
      const urgent = await createLabel(mia.credentials, '  Urgent ', '#EF4444');
      expect(urgent).toEqual({ id: expect.any(String), name: 'Urgent', color: '#ef4444' });
      const billing = await createLabel(mia.credentials, 'billing');
      expect(billing.color).toBe('#64748b');

      const listed = await graphql(api.url, mia.credentials, LABELS);
      expect(listed.data.labels.edges.map((e: any) => e.node)).toEqual([billing, urgent]);

      const renamed = await graphql(api.url, mia.credentials, UPDATE_LABEL, { id: urgent.id, name: 'Escalated' });
      expect(renamed.data.updateLabel).toEqual({ __typename: 'MutationUpdateLabelSuccess', label: { id: urgent.id, name: 'Escalated', color: '#ef4444' } });
      const recoloured = await graphql(api.url, mia.credentials, UPDATE_LABEL, { id: urgent.id, color: '#22c55e' });
      expect(recoloured.data.updateLabel.label).toEqual({ id: urgent.id, name: 'Escalated', color: '#22c55e' });

      const deleted = await graphql(api.url, mia.credentials, DELETE_LABEL, { id: billing.id });
      expect(deleted.data.deleteLabel).toEqual({ __typename: 'MutationDeleteLabelSuccess', deletedId: billing.id });
      const after = await graphql(api.url, mia.credentials, LABELS);
      expect(after.data.labels.edges.map((e: any) => e.node.name)).toEqual(['Escalated']);
    });

    it('refuses a name taken regardless of case and a colour that is not #rrggbb', async () => {
      const mia = await person('mia@acme.test', 'manager');
      await createLabel(mia.credentials, 'Urgent');
      const vip = await createLabel(mia.credentials, 'VIP');

      const duplicate = await graphql(api.url, mia.credentials, CREATE_LABEL, { name: 'URGENT' });
      expect(duplicate.data.createLabel).toEqual({ __typename: 'ConflictError', code: 'CONFLICT', message: 'A label with that name already exists.' });
      const renameOnto = await graphql(api.url, mia.credentials, UPDATE_LABEL, { id: vip.id, name: 'urgent' });
      expect(renameOnto.data.updateLabel).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });

      const badColour = await graphql(api.url, mia.credentials, CREATE_LABEL, { name: 'Red', color: 'red' });
      expect(badColour.data.createLabel).toEqual({
        __typename: 'ValidationError',
        code: 'INVALID_INPUT',
        field: 'color',
        message: 'Give the colour as #rrggbb, for example #22c55e.',
      });
      const shortHex = await graphql(api.url, mia.credentials, UPDATE_LABEL, { id: vip.id, color: '#fff' });
      expect(shortHex.data.updateLabel).toMatchObject({ __typename: 'ValidationError', field: 'color' });
      const blank = await graphql(api.url, mia.credentials, CREATE_LABEL, { name: '  ' });
      expect(blank.data.createLabel).toMatchObject({ __typename: 'ValidationError', field: 'name' });

      const stored = await owner()`select name, color from labels where tenant_id = ${tenantId} order by name`;
      expect(stored).toEqual([{ name: 'Urgent', color: '#64748b' }, { name: 'VIP', color: '#64748b' }]);
    });

    it('keeps label management to managers and admin keys', async () => {
      const alice = await person('alice@acme.test', 'agent');
      const byAgent = await graphql(api.url, alice.credentials, CREATE_LABEL, { name: 'Urgent' });
      expect(byAgent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const readKey = await keyWithScopes(['read']);
      const byReadKey = await graphql(api.url, readKey, CREATE_LABEL, { name: 'Urgent' });
      expect(byReadKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(byReadKey.data).toBeNull();
      expect(await owner()`select name from labels`).toEqual([]);

      const adminKey = await keyWithScopes(['read', 'admin']);
      const byAdminKey = await createLabel(adminKey, 'Urgent');
      const listedByReadKey = await graphql(api.url, readKey, LABELS);
      expect(listedByReadKey.data.labels.edges).toEqual([{ node: byAdminKey }]);
    });

    it('labels a conversation idempotently and shows it on Conversation.labels', async () => {
      const conversation = await conversationWith(SHEENA);
      const other = await conversationWith(RAJ);
      const mia = await person('mia@acme.test', 'manager');
      const alice = await person('alice@acme.test', 'agent');
      await routeTo(SHEENA, await seedDepartment(tenantId, { name: 'Support', members: [alice.id] }));
      const urgent = await createLabel(mia.credentials, 'Urgent', '#ef4444');
      const billing = await createLabel(mia.credentials, 'Billing');

      const first = await graphql(api.url, alice.credentials, LABEL_CONVERSATION, { conversationId: conversation, labelId: urgent.id });
      expect(first.data.labelConversation).toEqual({
        __typename: 'MutationLabelConversationSuccess',
        conversation: { id: conversation, labels: [{ name: 'Urgent', color: '#ef4444' }] },
      });
      const again = await graphql(api.url, alice.credentials, LABEL_CONVERSATION, { conversationId: conversation, labelId: urgent.id });
      expect(again.data.labelConversation.conversation.labels).toEqual([{ name: 'Urgent', color: '#ef4444' }]);
      const byKey = await graphql(api.url, key, LABEL_CONVERSATION, { conversationId: conversation, labelId: billing.id });
      expect(byKey.data.labelConversation.conversation.labels.map((l: any) => l.name)).toEqual(['Billing', 'Urgent']);
      expect(await owner()`select count(*)::int as n from conversation_labels`).toEqual([{ n: 2 }]);

      const inbox = await graphql(api.url, key, '{ conversations { edges { node { id labels { name } } } } }');
      expect(Object.fromEntries(inbox.data.conversations.edges.map((e: any) => [e.node.id, e.node.labels.map((l: any) => l.name)]))).toEqual({
        [conversation]: ['Billing', 'Urgent'],
        [other]: [],
      });

      // Alice cannot label a conversation outside her departments.
      const outside = await graphql(api.url, alice.credentials, LABEL_CONVERSATION, { conversationId: other, labelId: urgent.id });
      expect(outside.data.labelConversation).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Conversation was not found.' });

      const off = await graphql(api.url, alice.credentials, UNLABEL_CONVERSATION, { conversationId: conversation, labelId: urgent.id });
      expect(off.data.unlabelConversation.conversation.labels).toEqual([{ name: 'Billing' }]);
      const offAgain = await graphql(api.url, alice.credentials, UNLABEL_CONVERSATION, { conversationId: conversation, labelId: urgent.id });
      expect(offAgain.data.unlabelConversation.conversation.labels).toEqual([{ name: 'Billing' }]);

      // Deleting a label takes it off every conversation.
      await graphql(api.url, mia.credentials, DELETE_LABEL, { id: billing.id });
      const afterDelete = await graphql(api.url, alice.credentials, 'query ($id: ID!) { conversation(id: $id) { labels { name } } }', { id: conversation });
      expect(afterDelete.data.conversation.labels).toEqual([]);
      expect(await owner()`select count(*)::int as n from conversation_labels`).toEqual([{ n: 0 }]);
    });

    it('tells live subscribers when a conversation is labelled', async () => {
      const conversation = await conversationWith(SHEENA);
      const mia = await person('mia@acme.test', 'manager');
      const urgent = await createLabel(mia.credentials, 'Urgent');
      const watcher = await subscribe(api.wsUrl, key, 'subscription { conversationChanged { id labels { name } } }');
      try {
        await graphql(api.url, mia.credentials, LABEL_CONVERSATION, { conversationId: conversation, labelId: urgent.id });
        const [event] = await watcher.waitFor(1);
        expect(event).toEqual({ conversationChanged: { id: conversation, labels: [{ name: 'Urgent' }] } });
      } finally {
        await watcher.close();
      }
    });
  });

  describe('canned responses', () => {
    async function seedReplies(credentials: Credentials) {
      const replies = [
        { shortcut: 'refund', title: 'Refund policy', body: 'You can return anything within 30 days.' },
        { shortcut: 'refund-late', title: 'Late refund', body: 'Refunds take up to 10 working days.' },
        { shortcut: 'shipping', title: 'Shipping times', body: 'Delivery takes 2–4 days within the EU.' },
        { shortcut: 'hello', title: 'Greeting', body: 'Hi! How can we help?' },
      ];
      const created = [];
      for (const reply of replies) {
        const res = await graphql(api.url, credentials, CREATE_CANNED, reply);
        expect(res.data.createCannedResponse.__typename).toBe('MutationCreateCannedResponseSuccess');
        created.push(res.data.createCannedResponse.cannedResponse);
      }
      return created;
    }

    it('lets agents search what managers saved, by shortcut prefix or words in title and body', async () => {
      const mia = await person('mia@acme.test', 'manager');
      const alice = await person('alice@acme.test', 'agent');
      await seedReplies(mia.credentials);
      const search = async (value: string | null) =>
        (await graphql(api.url, alice.credentials, CANNED, { search: value })).data.cannedResponses.edges.map((e: any) => e.node.shortcut);

      expect(await search(null)).toEqual(['hello', 'refund', 'refund-late', 'shipping']);
      expect(await search('ref')).toEqual(['refund', 'refund-late']);
      expect(await search('/refund-')).toEqual(['refund-late']);
      expect(await search('DELIVERY')).toEqual(['shipping']);
      expect(await search('late')).toEqual(['refund-late']);
      expect(await search('help')).toEqual(['hello']);
      expect(await search('100%')).toEqual([]);
      expect(await search('fund')).toEqual(['refund', 'refund-late']); // "Refund" in the titles, not a shortcut prefix
    });

    it('updates and deletes, keeping shortcuts valid and unique', async () => {
      const mia = await person('mia@acme.test', 'manager');
      const [refund, late] = await seedReplies(mia.credentials);

      const bad = await graphql(api.url, mia.credentials, CREATE_CANNED, { shortcut: 'Big Refund', title: 'x', body: 'y' });
      expect(bad.data.createCannedResponse).toEqual({
        __typename: 'ValidationError',
        code: 'INVALID_INPUT',
        field: 'shortcut',
        message: 'A shortcut is 1 to 40 lowercase letters, digits, - or _.',
      });
      const taken = await graphql(api.url, mia.credentials, CREATE_CANNED, { shortcut: 'refund', title: 'Again', body: 'Again' });
      expect(taken.data.createCannedResponse).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
      const takenByUpdate = await graphql(api.url, mia.credentials, UPDATE_CANNED, { id: late.id, shortcut: 'refund' });
      expect(takenByUpdate.data.updateCannedResponse).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });

      const updated = await graphql(api.url, mia.credentials, UPDATE_CANNED, { id: refund.id, body: 'Returns within 60 days.' });
      expect(updated.data.updateCannedResponse).toEqual({
        __typename: 'MutationUpdateCannedResponseSuccess',
        cannedResponse: { id: refund.id, shortcut: 'refund', title: 'Refund policy', body: 'Returns within 60 days.' },
      });
      const [stored] = await owner()`select updated_at > created_at as touched from canned_responses where shortcut = 'refund'`;
      expect(stored).toEqual({ touched: true });

      const deleted = await graphql(api.url, mia.credentials, DELETE_CANNED, { id: refund.id });
      expect(deleted.data.deleteCannedResponse).toEqual({ __typename: 'MutationDeleteCannedResponseSuccess', deletedId: refund.id });
      const gone = await graphql(api.url, mia.credentials, DELETE_CANNED, { id: refund.id });
      expect(gone.data.deleteCannedResponse).toMatchObject({ __typename: 'NotFoundError', message: 'Canned response was not found.' });
    });

    it('keeps canned response management to managers', async () => {
      const alice = await person('alice@acme.test', 'agent');
      const byAgent = await graphql(api.url, alice.credentials, CREATE_CANNED, { shortcut: 'hi', title: 'Hi', body: 'Hi!' });
      expect(byAgent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const bySendKey = await graphql(api.url, key, CREATE_CANNED, { shortcut: 'hi', title: 'Hi', body: 'Hi!' });
      expect(bySendKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await owner()`select id from canned_responses`).toEqual([]);
    });
  });

  describe('tenant isolation', () => {
    it('shows another tenant none of the notes, labels or canned responses', async () => {
      const conversation = await conversationWith(SHEENA);
      const mia = await person('mia@acme.test', 'manager');
      const urgent = await createLabel(mia.credentials, 'Urgent');
      await graphql(api.url, mia.credentials, LABEL_CONVERSATION, { conversationId: conversation, labelId: urgent.id });
      const note = await graphql(api.url, mia.credentials, ADD_NOTE, { conversationId: conversation, body: 'Internal' });
      const canned = await graphql(api.url, mia.credentials, CREATE_CANNED, { shortcut: 'hello', title: 'Hi', body: 'Hi!' });

      const other = await seedDevTenant({ name: 'Other Co', wabaId: '200000000000001', phoneNumberId: '300000000000001', displayPhoneNumber: '15550000001' });
      const otherAdminKey = await keyWithScopes(['read', 'send', 'admin'], other.tenantId);
      const theirs = await graphql(api.url, otherAdminKey, `query ($ids: [ID!]!) {
        labels { edges { node { id } } }
        cannedResponses { edges { node { id } } }
        nodes(ids: $ids) { id } }`, { ids: [note.data.addNote.note.id, urgent.id, canned.data.createCannedResponse.cannedResponse.id, conversation] });
      expect(theirs.data).toEqual({ labels: { edges: [] }, cannedResponses: { edges: [] }, nodes: [null, null, null, null] });

      // Their own label of the same name is fine, and they cannot use it on our conversation.
      const theirLabel = await createLabel(otherAdminKey, 'Urgent');
      const crossLabel = await graphql(api.url, otherAdminKey, LABEL_CONVERSATION, { conversationId: conversation, labelId: theirLabel.id });
      expect(crossLabel.data.labelConversation).toMatchObject({ __typename: 'NotFoundError', message: 'Conversation was not found.' });
      const crossDelete = await graphql(api.url, otherAdminKey, DELETE_LABEL, { id: urgent.id });
      expect(crossDelete.data.deleteLabel).toMatchObject({ __typename: 'NotFoundError' });
      const crossNote = await graphql(api.url, otherAdminKey, DELETE_NOTE, { id: note.data.addNote.note.id });
      expect(crossNote.data.deleteNote).toMatchObject({ __typename: 'NotFoundError' });
      expect(await owner()`select count(*)::int as n from conversation_notes`).toEqual([{ n: 1 }]);
    });
  });
});
