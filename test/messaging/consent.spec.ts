// Consent, end to end through the real api and Postgres with the Meta sandbox as Graph API: a customer's
// first message is their opt-in, STOP and START are recorded; a template to a customer with no opt-in is
// refused until an admin records one; restriction, objection and consent withdrawal (as the privacy
// requests apply them) stop what they promise — sends, marketing, automatic assignment — and lifting
// them gives back exactly what the customer had not refused themselves.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { objectToProcessing, restrictContact, listConsentHistory, type AuditActor } from '@switchboard/api/contacts/consent';
import { connect, type Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { requestWelcomeMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, ingest, logIn, owner, seedApiKey, seedDevTenant, seedUser, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

let desk: Desk;
let api: RunningApi;
let app: Sql;
let tenantId: string;
let agent: { cookie: string };
let admin: { cookie: string };

const LINA: Sender = { name: 'Lina', waId: '966501234567' };
const OMAR: Sender = { name: 'Omar', waId: '201001234567' };
const privacyActor: AuditActor = { kind: 'system', id: null };
const REQUEST_ID = '7d0c1a52-3f43-4d5e-9a4e-2b1f0c9e8a11';

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'consent' });
  api = desk.api;
  app = connect(inject('appUrl'), { max: 2, applicationName: 'consent-spec' });
}, 60_000);
afterAll(async () => {
  await app?.end();
  await desk?.stop();
});

beforeEach(async () => {
  const seeded = await desk.reset();
  tenantId = seeded.tenantId;
  agent = await logIn(api.url, seeded.agent.email, seeded.agent.password);
  const boss = await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
  admin = await logIn(api.url, boss.email, boss.password);
  expect((await graphql(api.url, admin, 'mutation { syncTemplates }')).data.syncTemplates).toBeGreaterThanOrEqual(5);
});

const seconds = () => Math.floor(Date.now() / 1000);

const CONVERSATIONS = `{ conversations(first: 10) { edges { node { id assignee { name } contact {
  id waId optedOut marketingOptedOut restricted consentWithdrawn
  consentHistory { kind basis statement source } } } } } }`;
async function conversationOf(customer: Sender) {
  const res = await graphql(api.url, admin, CONVERSATIONS);
  expect(res.errors).toBeUndefined();
  return res.data.conversations.edges.map((e: any) => e.node).find((c: any) => c.contact.waId === customer.waId);
}
const contactIdOf = async (customer: Sender) => (await owner()`select id from contacts where wa_id = ${customer.waId!}`)[0]!.id as string;
const kinds = (c: any) => c.contact.consentHistory.map((e: any) => e.kind);

const sendText = async (conversationId: string, body = 'Hello from Acme') =>
  (await graphql(api.url, agent, 'mutation ($c: ID!, $b: String!) { sendText(conversationId: $c, body: $b) { __typename ... on Error { code } } }', { c: conversationId, b: body })).data.sendText;
const sendOrderUpdate = async (conversationId: string) =>
  (
    await graphql(
      api.url,
      agent,
      'mutation ($c: ID!) { sendTemplate(conversationId: $c, name: "order_update", language: "en_US", parameters: [{ value: "Lina" }, { value: "A-1042" }]) { __typename ... on Error { code message } } }',
      { c: conversationId },
    )
  ).data.sendTemplate;
const sendWelcomeOffer = async (conversationId: string) =>
  (
    await graphql(
      api.url,
      agent,
      'mutation ($c: ID!) { sendTemplate(conversationId: $c, name: "welcome_offer", language: "en_US", parameters: [{ name: "first_name", value: "Lina" }, { name: "discount", value: "10%" }]) { __typename ... on Error { code } } }',
      { c: conversationId },
    )
  ).data.sendTemplate;

const RECORD = `mutation ($input: RecordContactOptInInput!) { recordContactOptIn(input: $input) {
  __typename
  ... on MutationRecordContactOptInSuccess { contact { id waId consentHistory { kind basis statement source } } }
  ... on ValidationError { field message }
  ... on Error { code } } }`;

describe('opt-in records', () => {
  it("records a customer's first message as their opt-in once, and STOP and START as they happen", async () => {
    const t = seconds();
    await desk.customerWrites(LINA, 'hi', t - 30);
    await desk.customerWrites(LINA, 'are you there?', t - 20);
    await desk.customerWrites(LINA, 'STOP', t - 10);
    await desk.customerWrites(LINA, 'START', t);
    const c = await conversationOf(LINA);
    expect(c.contact.consentHistory).toEqual([
      { kind: 'OPTED_IN', basis: 'CUSTOMER_WROTE_FIRST', statement: null, source: 'CUSTOMER' },
      { kind: 'OPTED_OUT', basis: null, statement: null, source: 'CUSTOMER' },
      { kind: 'OPTED_BACK_IN', basis: null, statement: null, source: 'CUSTOMER' },
    ]);
    const [first] = await owner()`select at from consent_events where kind = 'opted_in'`;
    expect(first!.at.getTime()).toBe((t - 30) * 1000);
  });

  it('refuses a template to a customer with no recorded opt-in (NO_OPT_IN), and sends it once an admin records one', async () => {
    // The customer opened the chat but never wrote: there is a conversation, and no opt-in.
    const answer = await ingest(api.url, [devTenantBody(LINA, [requestWelcomeMessage({ from: LINA, id: 'wamid.consent-welcome-1', timestamp: String(seconds()) })])]);
    expect(answer.results.map((r) => r.status)).toEqual(['committed']);
    const c = await eventually(() => conversationOf(LINA), (x) => !!x);
    expect(c.contact.consentHistory).toEqual([]);
    expect(await sendOrderUpdate(c.id)).toEqual({
      __typename: 'SendRefusedError',
      code: 'NO_OPT_IN',
      message: 'No opt-in is recorded for this customer; an admin must record how they opted in before templates can be sent.',
    });
    expect(desk.sandbox.messages().accepted).toEqual([]);

    const recorded = await graphql(api.url, admin, RECORD, { input: { contactId: c.contact.id, basis: 'TEMPLATE_OPT_IN', statement: 'Ticked "WhatsApp updates" at checkout' } });
    expect(recorded.data.recordContactOptIn).toEqual({
      __typename: 'MutationRecordContactOptInSuccess',
      contact: { id: c.contact.id, waId: LINA.waId, consentHistory: [{ kind: 'OPTED_IN', basis: 'TEMPLATE_OPT_IN', statement: 'Ticked "WhatsApp updates" at checkout', source: 'ADMIN' }] },
    });
    expect(await sendOrderUpdate(c.id)).toEqual({ __typename: 'MutationSendTemplateSuccess' });
    const [audit] = await owner()`select action, actor_kind, target_kind, target_id, detail from audit_events where action = 'contact.opt_in_recorded'`;
    expect(audit).toMatchObject({ actorKind: 'user', targetKind: 'contact', targetId: await contactIdOf(LINA), detail: { basis: 'template_opt_in' } });
  });

  it('records an import by phone number with its stated basis, creating the contact, for admins and ADMIN keys only', async () => {
    const withoutBasis = await graphql(api.url, admin, RECORD, { input: { waId: '+44 7700 900123'.replace(/ /g, ''), basis: 'IMPORT' } });
    expect(withoutBasis.data.recordContactOptIn).toMatchObject({ __typename: 'ValidationError', field: 'statement' });
    const badNumber = await graphql(api.url, admin, RECORD, { input: { waId: 'call me', basis: 'IMPORT', statement: 'CRM' } });
    expect(badNumber.data.recordContactOptIn).toMatchObject({ __typename: 'ValidationError', field: 'waId' });
    const wroteFirst = await graphql(api.url, admin, RECORD, { input: { waId: '447700900123', basis: 'CUSTOMER_WROTE_FIRST' } });
    expect(wroteFirst.data.recordContactOptIn).toMatchObject({ __typename: 'ValidationError', field: 'basis' });
    expect(await owner()`select id from contacts`).toEqual([]);

    const adminKey = await seedApiKey(tenantId, ['admin']);
    const imported = await graphql(api.url, adminKey, RECORD, { input: { waId: '+447700900123', basis: 'IMPORT', statement: 'Loyalty sign-up form, 2025' } });
    expect(imported.errors).toBeUndefined();
    expect(imported.data.recordContactOptIn.contact).toMatchObject({
      waId: '447700900123',
      consentHistory: [{ kind: 'OPTED_IN', basis: 'IMPORT', statement: 'Loyalty sign-up form, 2025', source: 'IMPORT' }],
    });
    // The same person writing later is the same contact, now with both opt-ins.
    await desk.customerWrites({ name: 'Ivy', waId: '447700900123' }, 'hello');
    expect(await owner()`select kind, basis from consent_events order by at, id`).toHaveLength(2);
    expect(await owner()`select id from contacts`).toHaveLength(1);

    const forbidden = async (credentials: string | { cookie: string }) => {
      const res = await graphql(api.url, credentials, RECORD, { input: { waId: '447700900124', basis: 'IMPORT', statement: 'CRM' } });
      return res.errors?.map((e: any) => e.extensions?.code);
    };
    expect(await forbidden(agent)).toEqual(['FORBIDDEN']);
    expect(await forbidden(await seedApiKey(tenantId, ['read', 'send']))).toEqual(['FORBIDDEN']);
    expect(await owner()`select id from contacts where wa_id = '447700900124'`).toEqual([]);
  });

  it("never records an opt-in on another tenant's contact", async () => {
    const other = await seedDevTenant({ name: 'Other', wabaId: 'waba-other', phoneNumberId: 'pn-other', displayPhoneNumber: '15550000002' });
    const [theirs] = await owner()<{ id: string }[]>`insert into contacts (tenant_id, wa_id) values (${other.tenantId}, '15551230000') returning id`;
    const globalId = Buffer.from(`Contact:${theirs!.id}`).toString('base64');
    const res = await graphql(api.url, admin, RECORD, { input: { contactId: globalId, basis: 'TEMPLATE_OPT_IN' } });
    expect(res.data.recordContactOptIn).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await owner()`select id from consent_events`).toEqual([]);
  });
});

describe('restriction', () => {
  it('keeps the data, refuses every send, and leaves the conversation for a person to pick up instead of assigning it', async () => {
    await desk.customerWrites(LINA, 'my order?');
    await desk.customerWrites(OMAR, 'my order too?');
    const linaId = await contactIdOf(LINA);
    const change = await withTenant(app, tenantId, (tx) => restrictContact(tx, tenantId, linaId, { lift: false, requestId: REQUEST_ID, actor: privacyActor }));
    expect(change).toEqual({ changed: true });
    // Restricting twice changes nothing and records nothing more.
    expect(await withTenant(app, tenantId, (tx) => restrictContact(tx, tenantId, linaId, { lift: false, requestId: REQUEST_ID, actor: privacyActor }))).toEqual({ changed: false });

    // Ana comes online: Omar's conversation is handed to her, Lina's is not.
    const presence = await graphql(api.url, agent, 'mutation { setPresence(presence: ONLINE) { presence } }');
    expect(presence.data.setPresence.presence).toBe('ONLINE');
    await eventually(() => conversationOf(OMAR), (c) => c.assignee?.name === 'Ana');
    const lina = await conversationOf(LINA);
    expect(lina.assignee).toBeNull();
    expect(lina.contact).toMatchObject({ restricted: true, optedOut: false });
    expect(lina.contact.consentHistory.slice(1)).toEqual([{ kind: 'RESTRICTED', basis: null, statement: null, source: 'PRIVACY_REQUEST' }]);
    // The periodic sweep does not count it as waiting either.
    expect(await owner()`select department_id from departments_with_waiters()`).toEqual([]);

    expect(await sendText(lina.id)).toEqual({ __typename: 'SendRefusedError', code: 'CONTACT_RESTRICTED' });
    expect((await sendOrderUpdate(lina.id)).code).toBe('CONTACT_RESTRICTED');
    // A person may still take it.
    const anaId = (await owner()`select id from users where email = 'ana@acme.test'`)[0]!.id;
    const taken = await graphql(api.url, agent, 'mutation ($c: ID!, $u: ID!) { assignConversation(conversationId: $c, userId: $u) { __typename } }', {
      c: lina.id,
      u: Buffer.from(`User:${anaId}`).toString('base64'),
    });
    expect(taken.data.assignConversation.__typename).toBe('MutationAssignConversationSuccess');

    await withTenant(app, tenantId, (tx) => restrictContact(tx, tenantId, linaId, { lift: true, requestId: REQUEST_ID, actor: privacyActor }));
    expect(await sendText(lina.id)).toEqual({ __typename: 'MutationSendTextSuccess' });
    const history = await withTenant(app, tenantId, (tx) => listConsentHistory(tx, linaId));
    expect(history.map((e) => [e.kind, e.source, e.requestId])).toEqual([
      ['opted_in', 'customer', null],
      ['restricted', 'privacy_request', REQUEST_ID],
      ['restriction_lifted', 'privacy_request', REQUEST_ID],
    ]);
    expect(Object.keys(history[0]!).sort()).toEqual(['at', 'basis', 'kind', 'requestId', 'source', 'statement']);
  });

  it("answers null for a contact of another tenant, and changes nothing there", async () => {
    await desk.customerWrites(LINA, 'hi');
    const linaId = await contactIdOf(LINA);
    const other = await seedDevTenant({ name: 'Other', wabaId: 'waba-other', phoneNumberId: 'pn-other', displayPhoneNumber: '15550000002' });
    const answer = await withTenant(app, other.tenantId, (tx) => restrictContact(tx, other.tenantId, linaId, { lift: false, requestId: null, actor: privacyActor }));
    expect(answer).toBeNull();
    expect(await withTenant(app, other.tenantId, (tx) => objectToProcessing(tx, other.tenantId, linaId, { kind: 'OBJECTION', lift: false, requestId: null, actor: privacyActor }))).toBeNull();
    expect(await owner()`select restricted, marketing_opt_out from contacts`).toEqual([{ restricted: false, marketingOptOut: false }]);
  });
});

describe('objection and consent withdrawal', () => {
  it('objection stops marketing templates and nothing else; lifting it gives marketing back', async () => {
    await desk.customerWrites(LINA, 'hi');
    const c = await conversationOf(LINA);
    const linaId = await contactIdOf(LINA);
    await withTenant(app, tenantId, (tx) => objectToProcessing(tx, tenantId, linaId, { kind: 'OBJECTION', lift: false, requestId: REQUEST_ID, actor: privacyActor }));
    expect((await conversationOf(LINA)).contact).toMatchObject({ marketingOptedOut: true, optedOut: false, consentWithdrawn: false });
    expect(await sendWelcomeOffer(c.id)).toEqual({ __typename: 'SendRefusedError', code: 'MARKETING_OPTED_OUT' });
    expect(await sendOrderUpdate(c.id)).toEqual({ __typename: 'MutationSendTemplateSuccess' });
    await withTenant(app, tenantId, (tx) => objectToProcessing(tx, tenantId, linaId, { kind: 'OBJECTION', lift: true, requestId: REQUEST_ID, actor: privacyActor }));
    expect(await sendWelcomeOffer(c.id)).toEqual({ __typename: 'MutationSendTemplateSuccess' });
    expect(kinds(await conversationOf(LINA))).toEqual(['OPTED_IN', 'OBJECTED', 'OBJECTION_LIFTED']);
  });

  it('withdrawal stops everything business-initiated and automatic; only a reply to what the customer writes afterwards may go', async () => {
    await desk.customerWrites(LINA, 'hi');
    const linaId = await contactIdOf(LINA);
    const c = await conversationOf(LINA);
    await withTenant(app, tenantId, (tx) => objectToProcessing(tx, tenantId, linaId, { kind: 'CONSENT_WITHDRAWAL', lift: false, requestId: REQUEST_ID, actor: privacyActor }));
    expect((await conversationOf(LINA)).contact).toMatchObject({ optedOut: true, marketingOptedOut: true, consentWithdrawn: true, restricted: false });
    // The window is open, but from a message written before the withdrawal.
    expect(await sendText(c.id)).toEqual({ __typename: 'SendRefusedError', code: 'CONSENT_WITHDRAWN' });
    expect((await sendOrderUpdate(c.id)).code).toBe('CONSENT_WITHDRAWN');

    await desk.customerWrites(LINA, 'I still need my order', seconds() + 1);
    expect(await sendText(c.id, 'It ships today')).toEqual({ __typename: 'MutationSendTextSuccess' });
    expect((await sendOrderUpdate(c.id)).code).toBe('CONSENT_WITHDRAWN');
    // Not handed out automatically either.
    await graphql(api.url, agent, 'mutation { setPresence(presence: ONLINE) { presence } }');
    await desk.customerWrites(OMAR, 'hello');
    await eventually(() => conversationOf(OMAR), (x) => x.assignee?.name === 'Ana');
    expect((await conversationOf(LINA)).assignee).toBeNull();

    await withTenant(app, tenantId, (tx) => objectToProcessing(tx, tenantId, linaId, { kind: 'CONSENT_WITHDRAWAL', lift: true, requestId: REQUEST_ID, actor: privacyActor }));
    const restored = await conversationOf(LINA);
    expect(restored.contact).toMatchObject({ optedOut: false, marketingOptedOut: false, consentWithdrawn: false });
    expect(kinds(restored)).toEqual(['OPTED_IN', 'CONSENT_WITHDRAWN', 'CONSENT_RESTORED']);
    expect(await sendOrderUpdate(c.id)).toEqual({ __typename: 'MutationSendTemplateSuccess' });
  });

  it("lifting a withdrawal leaves a STOP the customer wrote meanwhile in place", async () => {
    await desk.customerWrites(LINA, 'hi', seconds() - 5);
    const linaId = await contactIdOf(LINA);
    await withTenant(app, tenantId, (tx) => objectToProcessing(tx, tenantId, linaId, { kind: 'CONSENT_WITHDRAWAL', lift: false, requestId: null, actor: { kind: 'user', id: null } }));
    // While withdrawn, the customer writes STOP themselves: it outlives the lifted withdrawal.
    await desk.customerWrites(LINA, 'STOP', seconds() + 30);
    const c = await conversationOf(LINA);
    expect(await sendText(c.id)).toEqual({ __typename: 'SendRefusedError', code: 'CONTACT_OPTED_OUT' });
    await withTenant(app, tenantId, (tx) => objectToProcessing(tx, tenantId, linaId, { kind: 'CONSENT_WITHDRAWAL', lift: true, requestId: null, actor: { kind: 'user', id: null } }));
    const after = await conversationOf(LINA);
    expect(after.contact).toMatchObject({ optedOut: true, marketingOptedOut: false, consentWithdrawn: false });
    // Ordered by when each happened: the STOP carries Meta's time for the message (half a minute ahead here, well after the lift even on a slow machine).
    expect(after.contact.consentHistory.map((e: any) => [e.kind, e.source])).toEqual([
      ['OPTED_IN', 'CUSTOMER'],
      ['CONSENT_WITHDRAWN', 'ADMIN'],
      ['CONSENT_RESTORED', 'ADMIN'],
      ['OPTED_OUT', 'CUSTOMER'],
    ]);
  });
});

describe('reading consent', () => {
  it('lets agents and READ keys read the history of customers they see, and ADMIN keys the contact they recorded', async () => {
    await desk.customerWrites(LINA, 'hi');
    const query = '{ conversations(first: 1) { edges { node { contact { restricted consentHistory { kind source } } } } } }';
    for (const who of [agent, await seedApiKey(tenantId, ['read'])]) {
      const res = await graphql(api.url, who, query);
      expect(res.errors).toBeUndefined();
      expect(res.data.conversations.edges[0].node.contact).toEqual({ restricted: false, consentHistory: [{ kind: 'OPTED_IN', source: 'CUSTOMER' }] });
    }
  });
});
