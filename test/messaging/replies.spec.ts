// Replies through Meta, end to end: an agent signs in, a customer writes, the conversation is
// auto-assigned and seen live, the agent replies, the Meta sandbox receives exactly that payload, and
// the statuses it sends back through the real edge reach the agent live. Then the rules: outside the
// window a free-form reply is refused and a template goes through; STOP blocks (and START resumes); an
// expired token flags the number.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devAccessToken, type Sandbox } from '../meta-sandbox/server.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { DEV_TENANT, graphql, logIn, owner, seedUser, subscribe, type RunningApi } from '../support/stack.ts';
import { eventually } from '../support/eventually.ts';

let desk: Desk;
let api: RunningApi;
let sandbox: Sandbox;
let tenantId: string;
let session: { cookie: string };

const CUSTOMER = { name: 'Lina', waId: '966501234567' };

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'replies', statusDelayMs: [5, 20] });
  ({ api, sandbox } = desk);
}, 60_000);
afterAll(() => desk?.stop());

beforeEach(async () => {
  const seeded = await desk.reset({ agentPresence: 'online' });
  tenantId = seeded.tenantId;
  session = await logIn(api.url, seeded.agent.email, seeded.agent.password);
});

const customerWrites = (body: string, at?: number) => desk.customerWrites(CUSTOMER, body, at);

const conversationQuery = `{ conversations(first: 1) { edges { node { id assignee { name } messages(last: 10) { edges { node { id wamid direction status text failureReason } } } } } } }`;
async function conversation() {
  const res = await graphql(api.url, session, conversationQuery);
  return res.data?.conversations.edges[0]?.node;
}

describe('replying through Meta', () => {
  it('delivers an agent reply with reply context to Meta and brings its statuses back live', async () => {
    const live = await subscribe(api.wsUrl, session, 'subscription { conversationChanged { id assignee { name } } }');
    const inboundWamid = await customerWrites('مرحبا، أين طلبي؟');
    const assigned = await eventually(conversation, (c) => c?.assignee?.name === 'Ana');
    expect(assigned.assignee).toEqual({ name: 'Ana' });
    const seen = await eventually(async () => live.events, (events) => events.some((e: any) => e.conversationChanged.assignee?.name === 'Ana'));
    expect(seen.some((e: any) => e.conversationChanged.assignee?.name === 'Ana')).toBe(true);
    await live.close();

    const inbound = assigned.messages.edges[0].node;
    const messages = await subscribe(api.wsUrl, session, 'subscription ($c: ID!) { messageChanged(conversationId: $c) { id status } }', { c: assigned.id });
    const sent = await graphql(
      api.url,
      session,
      'mutation ($c: ID!, $r: ID!) { sendText(conversationId: $c, body: "Your order ships today 📦", replyToMessageId: $r) { __typename ... on MutationSendTextSuccess { reply { id status direction author { name } } } ... on Error { code message } } }',
      { c: assigned.id, r: inbound.id },
    );
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendText).toMatchObject({ __typename: 'MutationSendTextSuccess', reply: { status: 'PENDING', direction: 'OUTBOUND', author: { name: 'Ana' } } });
    const messageId = sent.data.sendText.reply.id;

    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${CUSTOMER.waId}`,
      type: 'text',
      text: { body: 'Your order ships today 📦', preview_url: false },
      context: { message_id: inboundWamid },
    });
    expect(accepted[0]!.phoneNumberId).toBe(DEV_TENANT.phoneNumberId);

    // sent → delivered → read, through the sandbox's signed webhooks, the edge, the queue and ingest.
    await messages.waitFor(3, 15_000);
    const read = await eventually(conversation, (c) => c.messages.edges.some((e: any) => e.node.id === messageId && e.node.status === 'READ'), { timeoutMs: 15_000 });
    const mine = read.messages.edges.find((e: any) => e.node.id === messageId).node;
    expect(mine).toMatchObject({ status: 'READ', wamid: accepted[0]!.wamid });
    expect(messages.events.filter((e: any) => e.messageChanged.id === messageId).map((e: any) => e.messageChanged.status)).toContain('READ');
    await messages.close();
  }, 30_000);

  it('refuses free-form text outside the 24-hour window and sends an approved template instead', async () => {
    await customerWrites('hello', Math.floor(Date.now() / 1000) - 30 * 3600);
    const c = await eventually(conversation, (x) => !!x);
    const refused = await graphql(api.url, session, 'mutation ($c: ID!) { sendText(conversationId: $c, body: "hi") { __typename ... on Error { code message } } }', { c: c.id });
    expect(refused.data.sendText).toEqual({
      __typename: 'SendRefusedError',
      code: 'WINDOW_CLOSED',
      message: 'More than 24 hours have passed since the customer last wrote; send an approved template instead.',
    });

    const admin = await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
    const adminSession = await logIn(api.url, admin.email, admin.password);
    const synced = await graphql(api.url, adminSession, 'mutation { syncTemplates }');
    expect(synced.data.syncTemplates).toBeGreaterThanOrEqual(5);

    const wrongCount = await graphql(
      api.url,
      session,
      'mutation ($c: ID!) { sendTemplate(conversationId: $c, name: "order_update", language: "en_US", parameters: [{ value: "Lina" }]) { __typename ... on Error { code message } } }',
      { c: c.id },
    );
    expect(wrongCount.data.sendTemplate).toEqual({ __typename: 'TemplateParameterError', code: 'TEMPLATE_PARAMETERS', message: 'The template takes 2 parameter(s); 1 given.' });
    const paused = await graphql(api.url, session, 'mutation ($c: ID!) { sendTemplate(conversationId: $c, name: "seasonal_promo", language: "es_ES") { __typename ... on Error { code } } }', { c: c.id });
    expect(paused.data.sendTemplate).toEqual({ __typename: 'SendRefusedError', code: 'TEMPLATE_NOT_APPROVED' });

    const ok = await graphql(
      api.url,
      session,
      'mutation ($c: ID!) { sendTemplate(conversationId: $c, name: "order_update", language: "en_US", parameters: [{ value: "Lina" }, { value: "A-1042" }]) { __typename ... on MutationSendTemplateSuccess { reply { text } } } }',
      { c: c.id },
    );
    expect(ok.data.sendTemplate).toEqual({ __typename: 'MutationSendTemplateSuccess', reply: { text: 'Hi Lina, your order A-1042 has shipped.' } });
    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${CUSTOMER.waId}`,
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Lina' }, { type: 'text', text: 'A-1042' }] }] },
    });
  }, 30_000);

  it('blocks everything after STOP (confirming in the customer’s language) and resumes after START', async () => {
    await customerWrites('BAJA');
    const c = await eventually(conversation, (x) => x?.messages.edges.length === 2);
    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect((accepted[0]!.body as any).text.body).toBe('No recibirás más mensajes nuestros. Responde ALTA para volver a recibirlos.');
    const [contact] = await owner()`select opted_out from contacts where tenant_id = ${tenantId}`;
    expect(contact!.optedOut).toBe(true);

    const refused = await graphql(api.url, session, 'mutation ($c: ID!) { sendText(conversationId: $c, body: "Special offer!") { __typename ... on Error { code } } }', { c: c.id });
    expect(refused.data.sendText).toEqual({ __typename: 'SendRefusedError', code: 'CONTACT_OPTED_OUT' });

    await customerWrites('start');
    await eventually(async () => sandbox.messages().accepted, (a) => a.length === 2);
    const again = await graphql(api.url, session, 'mutation ($c: ID!) { sendText(conversationId: $c, body: "Welcome back") { __typename } }', { c: c.id });
    expect(again.data.sendText).toEqual({ __typename: 'MutationSendTextSuccess' });
  }, 30_000);

  it('blocks marketing templates for a customer who stopped marketing messages', async () => {
    await customerWrites('hi');
    const c = await eventually(conversation, (x) => !!x);
    await owner()`update contacts set marketing_opt_out = true where tenant_id = ${tenantId}`;
    const admin = await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
    await graphql(api.url, await logIn(api.url, admin.email, admin.password), 'mutation { syncTemplates }');
    const marketing = await graphql(
      api.url,
      session,
      'mutation ($c: ID!) { sendTemplate(conversationId: $c, name: "welcome_offer", language: "en_US", parameters: [{ name: "first_name", value: "Lina" }, { name: "discount", value: "10%" }]) { __typename ... on Error { code } } }',
      { c: c.id },
    );
    expect(marketing.data.sendTemplate).toEqual({ __typename: 'SendRefusedError', code: 'MARKETING_OPTED_OUT' });
  }, 30_000);

  it('fails the message with a readable reason and flags the number when Meta says the token expired', async () => {
    await customerWrites('hi');
    const c = await eventually(conversation, (x) => !!x);
    // Last in this file: the sandbox keeps the token expired.
    sandbox.expireToken(devAccessToken);
    const sent = await graphql(api.url, session, 'mutation ($c: ID!) { sendText(conversationId: $c, body: "hello") { __typename ... on MutationSendTextSuccess { reply { id } } } }', { c: c.id });
    const id = sent.data.sendText.reply.id;
    const failed = await eventually(conversation, (x) => x.messages.edges.some((e: any) => e.node.id === id && e.node.status === 'FAILED'));
    expect(failed.messages.edges.find((e: any) => e.node.id === id).node.failureReason).toBe(
      "The WhatsApp connection's access token has expired or was revoked; an admin must reconnect the account.",
    );
    const [number] = await owner()`select status from phone_numbers where tenant_id = ${tenantId}`;
    expect(number!.status).toBe('needs_reauthorisation');
    const refused = await graphql(api.url, session, 'mutation ($c: ID!) { sendText(conversationId: $c, body: "again") { __typename ... on Error { code } } }', { c: c.id });
    expect(refused.data.sendText).toEqual({ __typename: 'SendRefusedError', code: 'NUMBER_NEEDS_REAUTHORISATION' });
  }, 30_000);
});
