// Customers ask in WhatsApp itself (issue 12), end to end through the real api, Postgres and the Meta
// sandbox as Graph API: a privacy keyword, in any of the four languages, is answered with a confirmation
// question as reply buttons (read from what the sandbox received); "yes" opens a request (source
// WHATSAPP, RECEIVED) that an admin approves (an erasure then runs to COMPLETED and erases the customer)
// or rejects; "no" opens nothing. Sentences that contain a phrase, stale buttons, and buttons naming
// another customer's or another tenant's question do nothing. Admins set their own phrases per language.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buttonReplyMessage, textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { DEV_TENANT, graphql, ingest, logIn, owner, seedApiKey, seedDevTenant, seedUser, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

let desk: Desk;
let api: RunningApi;
let tenantId: string;
let admin: { cookie: string };
let agent: { cookie: string };

const ALICE: Sender = { name: 'Alice', waId: '16505551201' };
const BEATRIZ: Sender = { name: 'Beatriz', waId: '34600111222' };
const DANA: Sender = { name: 'Dana', waId: '972501234567' };
const LAYLA: Sender = { name: 'Layla', waId: '971501234567' };
const OMAR: Sender = { name: 'Omar', waId: '201001234567' };

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'privacy-keyword' });
  api = desk.api;
}, 60_000);
afterAll(async () => {
  await desk?.stop();
});

beforeEach(async () => {
  const seeded = await desk.reset();
  tenantId = seeded.tenantId;
  agent = await logIn(api.url, seeded.agent.email, seeded.agent.password);
  const boss = await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
  admin = await logIn(api.url, boss.email, boss.password);
});

const seconds = () => Math.floor(Date.now() / 1000);
let sequence = 0;

interface SentBody {
  to: string;
  type: string;
  text?: { body: string };
  interactive?: { type: string; body: { text: string }; action: { buttons: { type: string; reply: { id: string; title: string } }[] } };
}

/** What the sandbox accepted for the customer, oldest first: what really went out. */
const sentTo = async (customer: Sender): Promise<SentBody[]> =>
  desk.sandbox
    .messages()
    .accepted.map((e) => e.body as SentBody)
    .filter((b) => b.to === `+${customer.waId}`);
const waitForSends = (customer: Sender, count: number) => eventually(() => sentTo(customer), (sent) => sent.length >= count, { timeoutMs: 15_000 });

/** Several messages from the customer in one webhook: ingest answers them in one go, in order. */
async function customerWritesAll(customer: Sender, bodies: string[]): Promise<void> {
  const t = seconds();
  const messages = bodies.map((body, i) => textMessage({ from: customer, id: `wamid.privacy-keyword-${++sequence}-${Date.now()}`, timestamp: String(t - bodies.length + i + 1), body }));
  const answer = await ingest(api.url, [devTenantBody(customer, messages)]);
  expect(answer.results.map((r) => r.status)).toEqual(['committed']);
  desk.sandbox.openWindow({ phoneNumberId: DEV_TENANT.phoneNumberId, waId: customer.waId!, at: t * 1000 });
}

/** The customer taps a reply button (and may write in the same webhook, after the tap). */
async function customerTaps(customer: Sender, button: { id: string; title: string }, thenWrites: string[] = []): Promise<void> {
  const t = seconds();
  const tap = buttonReplyMessage({ from: customer, id: `wamid.privacy-keyword-tap-${++sequence}-${Date.now()}`, timestamp: String(t), replyId: button.id, title: button.title });
  const writes = thenWrites.map((body) => textMessage({ from: customer, id: `wamid.privacy-keyword-${++sequence}-${Date.now()}`, timestamp: String(t), body }));
  const answer = await ingest(api.url, [devTenantBody(customer, [tap, ...writes])]);
  expect(answer.results.map((r) => r.status)).toEqual(['committed']);
}

/** The question the customer was sent: its words and its two buttons. */
function question(sent: SentBody) {
  expect(sent.type).toBe('interactive');
  expect(sent.interactive!.type).toBe('button');
  const [yes, no] = sent.interactive!.action.buttons.map((b) => b.reply);
  return { body: sent.interactive!.body.text, yes: yes!, no: no! };
}

const REQUESTS = `{ privacyRequests(first: 20) { edges { node { id kind state source subjectLabel outcome steps { actor action } } } } }`;
async function privacyRequests(who: { cookie: string } | string = admin) {
  const res = await graphql(api.url, who, REQUESTS);
  expect(res.errors).toBeUndefined();
  return res.data.privacyRequests.edges.map((e: any) => e.node);
}
const contactOf = async (customer: Sender) =>
  (await owner()`select id, erased_at, wa_id from contacts where tenant_id = ${tenantId} and (wa_id = ${customer.waId!} or erased_at is not null)`)[0];

describe('a privacy keyword in WhatsApp', () => {
  const QUESTIONS: [string, Sender, string, { body: string; yes: string; no: string }][] = [
    ['English', ALICE, 'Delete my data', { body: 'Do you want Acme Coffee to erase all your data? This cannot be undone.', yes: 'Yes, erase', no: 'No' }],
    ['Spanish', BEATRIZ, '¡Borrar mis datos!', { body: '¿Quieres que Acme Coffee borre todos tus datos? Esto no se puede deshacer.', yes: 'Sí, borrar', no: 'No' }],
    ['Hebrew', DANA, 'מחק את המידע שלי', { body: 'האם ברצונך ש-Acme Coffee ימחק את כל המידע שלך? לא ניתן לבטל פעולה זו.', yes: 'כן, למחוק', no: 'לא' }],
    ['Arabic', LAYLA, 'احذف بياناتي', { body: 'هل تريد أن يحذف Acme Coffee جميع بياناتك؟ لا يمكن التراجع عن ذلك.', yes: 'نعم، احذف', no: 'لا' }],
  ];

  it.each(QUESTIONS)('is answered in %s with the confirmation question as reply buttons', async (_language, customer, keyword, expected) => {
    await desk.customerWrites(customer, keyword);
    const [sent] = await waitForSends(customer, 1);
    const q = question(sent!);
    expect({ body: q.body, yes: q.yes.title, no: q.no.title }).toEqual(expected);
    const [prompt] = await owner()`select id from privacy_keyword_prompts where tenant_id = ${tenantId}`;
    expect([q.yes.id, q.no.id]).toEqual([`privacy:${prompt!.id}:yes`, `privacy:${prompt!.id}:no`]);
    // Nothing is opened by the keyword alone.
    expect(await privacyRequests()).toEqual([]);
  });

  it('opens a RECEIVED WhatsApp request on "yes", which an admin approves and which then erases the customer', async () => {
    await desk.customerWrites(ALICE, 'erase my data');
    const q = question((await waitForSends(ALICE, 1))[0]!);
    await customerTaps(ALICE, q.yes);
    const [, received] = await waitForSends(ALICE, 2);
    expect(received).toMatchObject({ type: 'text', text: { body: 'Your request was received; Acme Coffee will answer within 30 days.' } });

    const [request] = await privacyRequests();
    expect(request).toMatchObject({
      kind: 'ERASURE',
      state: 'RECEIVED',
      source: 'WHATSAPP',
      subjectLabel: '+1650 ••••• 01',
      outcome: null,
      steps: [{ actor: 'Customer (WhatsApp)', action: 'received' }],
    });
    // The question and the answers are in the conversation like any other messages, written by Switchboard.
    const conversation = await graphql(
      api.url,
      admin,
      '{ conversations(first: 5) { edges { node { messages(first: 10) { edges { node { direction source type text author { id } } } } } } } }',
    );
    // (Meta stamps the customer's messages in whole seconds: within one second the order is not told.)
    const shown = conversation.data.conversations.edges[0].node.messages.edges.map((e: any) => e.node);
    expect(shown).toHaveLength(4);
    expect(shown).toEqual(
      expect.arrayContaining([
        { direction: 'INBOUND', source: 'CUSTOMER', type: 'TEXT', text: 'erase my data', author: null },
        { direction: 'OUTBOUND', source: 'SWITCHBOARD', type: 'INTERACTIVE', text: 'Do you want Acme Coffee to erase all your data? This cannot be undone.', author: null },
        { direction: 'INBOUND', source: 'CUSTOMER', type: 'INTERACTIVE', text: 'Yes, erase', author: null },
        { direction: 'OUTBOUND', source: 'SWITCHBOARD', type: 'TEXT', text: 'Your request was received; Acme Coffee will answer within 30 days.', author: null },
      ]),
    );

    // A second tap on the answered question opens nothing more (seen once "my data" is answered: same batch).
    await customerTaps(ALICE, q.yes, ['my data']);
    const sent = await waitForSends(ALICE, 3);
    expect(sent).toHaveLength(3);
    expect(question(sent[2]!).yes.title).toBe('Yes, ask');
    expect(await privacyRequests()).toHaveLength(1);

    const approved = await graphql(api.url, admin, 'mutation ($id: ID!) { approvePrivacyRequest(id: $id) { __typename ... on MutationApprovePrivacyRequestSuccess { privacyRequest { id } } } }', {
      id: request.id,
    });
    expect(approved.data.approvePrivacyRequest).toEqual({ __typename: 'MutationApprovePrivacyRequestSuccess', privacyRequest: { id: request.id } });
    const done = await eventually(async () => (await privacyRequests())[0], (r) => r.state === 'COMPLETED', { timeoutMs: 30_000 });
    expect(done.steps.map((s: any) => s.action)).toContain('approved');
    const contact = await contactOf(ALICE);
    expect(contact).toMatchObject({ waId: null });
    expect(contact!.erasedAt).toBeInstanceOf(Date);
    expect(await owner()`select id from messages where tenant_id = ${tenantId}`).toEqual([]);
  });

  it('asks for ACCESS in Spanish, and a second "yes" while the request is open opens no second one', async () => {
    await desk.customerWrites(BEATRIZ, 'Mis datos');
    const first = question((await waitForSends(BEATRIZ, 1))[0]!);
    expect(first).toMatchObject({ body: '¿Quieres pedir a Acme Coffee una copia de todos los datos que tiene sobre ti?', yes: { title: 'Sí, pedir' } });
    await customerTaps(BEATRIZ, first.yes);
    expect((await waitForSends(BEATRIZ, 2))[1]).toMatchObject({ text: { body: 'Hemos recibido tu solicitud; Acme Coffee te responderá en un plazo de 30 días.' } });

    await desk.customerWrites(BEATRIZ, 'mis datos');
    const second = question((await waitForSends(BEATRIZ, 3))[2]!);
    await customerTaps(BEATRIZ, second.yes);
    expect((await waitForSends(BEATRIZ, 4))[3]).toMatchObject({ text: { body: 'Acme Coffee ya tiene tu solicitud y te responderá en un plazo de 30 días.' } });
    const requests = await privacyRequests();
    expect(requests.map((r: any) => [r.kind, r.state, r.source])).toEqual([['ACCESS', 'RECEIVED', 'WHATSAPP']]);

    // An admin may reject it instead, with a reason.
    const rejected = await graphql(api.url, admin, 'mutation ($id: ID!) { rejectPrivacyRequest(id: $id, reason: "Asked twice by mistake") { __typename } }', { id: requests[0].id });
    expect(rejected.data.rejectPrivacyRequest.__typename).toBe('MutationRejectPrivacyRequestSuccess');
    expect((await privacyRequests())[0]).toMatchObject({ state: 'REJECTED', outcome: 'Asked twice by mistake' });
  });

  it('opens nothing on "no", and the question is answered for good', async () => {
    await desk.customerWrites(DANA, 'מחק את המידע שלי');
    const q = question((await waitForSends(DANA, 1))[0]!);
    await customerTaps(DANA, q.no);
    expect((await waitForSends(DANA, 2))[1]).toMatchObject({ type: 'text', text: { body: 'בסדר, לא שונה דבר.' } });
    // "yes" on it afterwards does nothing (seen once the keyword written after it is answered).
    await customerTaps(DANA, q.yes, ['המידע שלי']);
    const sent = await waitForSends(DANA, 3);
    expect(sent).toHaveLength(3);
    expect(question(sent[2]!).body).toBe('האם ברצונך לבקש מ-Acme Coffee עותק של כל המידע שנשמר עליך?');
    expect(await privacyRequests()).toEqual([]);
    const answers = await owner()`select kind, answer from privacy_keyword_prompts where tenant_id = ${tenantId} order by created_at`;
    expect(answers).toEqual([
      { kind: 'erasure', answer: 'no' },
      { kind: 'access', answer: null },
    ]);
  });

  it('is not triggered by a sentence that contains the phrase', async () => {
    await customerWritesAll(ALICE, ['Can you delete my data after my order ships?', 'please delete my data', 'my data plan', 'delete my data']);
    const sent = await waitForSends(ALICE, 1);
    // Only the last message, which is the phrase and nothing more, was answered.
    expect(sent).toHaveLength(1);
    const prompts = await owner()`select m.text from privacy_keyword_prompts p join messages m on m.tenant_id = p.tenant_id and m.id = p.trigger_message_id`;
    expect(prompts).toEqual([{ text: 'delete my data' }]);
  });

  it("does nothing for a button naming another customer's question, another tenant's, or a stale one", async () => {
    await desk.customerWrites(ALICE, 'delete my data');
    const alices = question((await waitForSends(ALICE, 1))[0]!);
    // Another tenant's question, to its own customer with the same phone number.
    const other = await seedDevTenant({ name: 'Other Co', wabaId: '209900000000001', phoneNumberId: '209900000000002', displayPhoneNumber: '15550009999' });
    const [theirContact] = await owner()`insert into contacts (tenant_id, wa_id) values (${other.tenantId}, ${OMAR.waId!}) returning id`;
    const [theirs] = await owner()`
      insert into privacy_keyword_prompts (tenant_id, contact_id, kind, language, trigger_message_id, expires_at)
      values (${other.tenantId}, ${theirContact!.id}, 'erasure', 'en', gen_random_uuid(), now() + interval '1 day') returning id`;
    // Omar's own question, expired.
    await desk.customerWrites(OMAR, 'delete my data');
    const omars = question((await waitForSends(OMAR, 1))[0]!);
    await owner()`update privacy_keyword_prompts set expires_at = now() - interval '1 second' where tenant_id = ${tenantId} and contact_id <> (select id from contacts where tenant_id = ${tenantId} and wa_id = ${ALICE.waId!})`;

    // Omar taps Alice's yes, the other tenant's yes and his own stale yes; then writes a keyword (same batch).
    const t = seconds();
    const taps = [alices.yes, { id: `privacy:${theirs!.id}:yes`, title: 'Yes, erase' }, omars.yes].map((b, i) =>
      buttonReplyMessage({ from: OMAR, id: `wamid.privacy-keyword-foreign-${i}-${Date.now()}`, timestamp: String(t - 3 + i), replyId: b.id, title: b.title }),
    );
    const last = textMessage({ from: OMAR, id: `wamid.privacy-keyword-foreign-3-${Date.now()}`, timestamp: String(t), body: 'my data' });
    expect((await ingest(api.url, [devTenantBody(OMAR, [...taps, last])])).results.map((r) => r.status)).toEqual(['committed']);
    const sent = await waitForSends(OMAR, 2);
    expect(sent).toHaveLength(2);
    expect(question(sent[1]!).yes.title).toBe('Yes, ask');
    expect(await sentTo(ALICE)).toHaveLength(1);
    expect(await privacyRequests()).toEqual([]);
    expect(await owner()`select id from privacy_requests`).toEqual([]);
    expect(await owner()`select answered_at from privacy_keyword_prompts where id = ${theirs!.id}`).toEqual([{ answeredAt: null }]);
  });

  it('still works for a customer whose processing is restricted, or who withdrew consent', async () => {
    await desk.customerWrites(ALICE, 'hello');
    await desk.customerWrites(BEATRIZ, 'hola');
    for (const [customer, kind] of [[ALICE, 'RESTRICTION'], [BEATRIZ, 'CONSENT_WITHDRAWAL']] as const) {
      const made = await graphql(api.url, admin, 'mutation ($input: CreatePrivacyRequestInput!) { createPrivacyRequest(input: $input) { __typename } }', {
        input: { kind, subject: { waId: customer.waId } },
      });
      expect(made.data.createPrivacyRequest.__typename).toBe('MutationCreatePrivacyRequestSuccess');
    }
    await eventually(() => privacyRequests(), (rs) => rs.length === 2 && rs.every((r: any) => r.state === 'COMPLETED'), { timeoutMs: 20_000 });
    expect(await owner()`select wa_id, restricted, consent_withdrawn_at is not null as withdrawn from contacts order by wa_id`).toEqual([
      { waId: ALICE.waId, restricted: true, withdrawn: false },
      { waId: BEATRIZ.waId, restricted: false, withdrawn: true },
    ]);

    await desk.customerWrites(ALICE, 'delete my data');
    await desk.customerWrites(BEATRIZ, 'borrar mis datos');
    await customerTaps(ALICE, question((await waitForSends(ALICE, 1))[0]!).yes);
    await customerTaps(BEATRIZ, question((await waitForSends(BEATRIZ, 1))[0]!).yes);
    expect((await waitForSends(ALICE, 2))[1]).toMatchObject({ text: { body: 'Your request was received; Acme Coffee will answer within 30 days.' } });
    expect((await waitForSends(BEATRIZ, 2))[1]).toMatchObject({ text: { body: 'Hemos recibido tu solicitud; Acme Coffee te responderá en un plazo de 30 días.' } });
    const waiting = (await privacyRequests()).filter((r: any) => r.source === 'WHATSAPP');
    expect(waiting.map((r: any) => [r.kind, r.state])).toEqual([
      ['ERASURE', 'RECEIVED'],
      ['ERASURE', 'RECEIVED'],
    ]);
  });
});

describe("a tenant's own keywords", () => {
  const KEYWORDS = '{ privacyKeywords { language kind phrases isDefault } }';
  const SET = `mutation ($input: SetPrivacyKeywordsInput!) { setPrivacyKeywords(input: $input) {
    __typename
    ... on MutationSetPrivacyKeywordsSuccess { privacyKeywordSet { language kind phrases isDefault updatedAt } }
    ... on ValidationError { field message } } }`;

  it('lists the built-in phrases of every language and kind until the tenant sets its own', async () => {
    const res = await graphql(api.url, admin, KEYWORDS);
    expect(res.errors).toBeUndefined();
    const sets = res.data.privacyKeywords;
    expect(sets.map((s: any) => `${s.language}/${s.kind}/${s.isDefault}`)).toEqual([
      'EN/ACCESS/true', 'EN/ERASURE/true', 'ES/ACCESS/true', 'ES/ERASURE/true', 'AR/ACCESS/true', 'AR/ERASURE/true', 'HE/ACCESS/true', 'HE/ERASURE/true',
    ]);
    expect(sets.find((s: any) => s.language === 'HE' && s.kind === 'ERASURE').phrases).toContain('מחק את המידע שלי');
    // Admins and ADMIN keys only.
    const byAgent = await graphql(api.url, agent, KEYWORDS);
    expect(byAgent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const readKey = await seedApiKey(tenantId, ['read', 'send']);
    expect((await graphql(api.url, readKey, KEYWORDS)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const adminKey = await seedApiKey(tenantId, ['admin']);
    expect((await graphql(api.url, adminKey, KEYWORDS)).data.privacyKeywords).toHaveLength(8);
  });

  it("replaces the built-in phrases of that language and kind, works in WhatsApp, and goes back to them on null", async () => {
    const set = await graphql(api.url, admin, SET, { input: { language: 'EN', kind: 'ERASURE', phrases: [' Forget me ', 'forget me!', 'Wipe my data'] } });
    expect(set.data.setPrivacyKeywords).toMatchObject({
      __typename: 'MutationSetPrivacyKeywordsSuccess',
      privacyKeywordSet: { language: 'EN', kind: 'ERASURE', phrases: ['Forget me', 'Wipe my data'], isDefault: false },
    });
    expect(set.data.setPrivacyKeywords.privacyKeywordSet.updatedAt).toEqual(expect.any(String));

    // The old English phrase no longer asks; the new one does, in English; Spanish keeps its built-in ones.
    await customerWritesAll(ALICE, ['delete my data', 'FORGET ME.']);
    const sent = await waitForSends(ALICE, 1);
    expect(sent).toHaveLength(1);
    expect(question(sent[0]!)).toMatchObject({ body: 'Do you want Acme Coffee to erase all your data? This cannot be undone.' });
    await desk.customerWrites(BEATRIZ, 'borrar mis datos');
    expect(question((await waitForSends(BEATRIZ, 1))[0]!).yes.title).toBe('Sí, borrar');
    await customerTaps(ALICE, question(sent[0]!).yes);
    await waitForSends(ALICE, 2);
    expect((await privacyRequests()).map((r: any) => [r.kind, r.state, r.source])).toEqual([['ERASURE', 'RECEIVED', 'WHATSAPP']]);

    const back = await graphql(api.url, admin, SET, { input: { language: 'EN', kind: 'ERASURE', phrases: null } });
    expect(back.data.setPrivacyKeywords.privacyKeywordSet).toMatchObject({ phrases: expect.arrayContaining(['delete my data']), isDefault: true, updatedAt: null });
    const [entry] = await owner()`select action, actor_kind, target_kind, detail from audit_events where action = 'privacy.keywords_updated' order by at limit 1`;
    expect(entry).toMatchObject({
      actorKind: 'user',
      targetKind: 'privacy_keywords',
      detail: { language: 'en', kind: 'erasure', new: { phrases: ['Forget me', 'Wipe my data'], isDefault: false } },
    });
  });

  it('turns a keyword off with an empty list, and refuses opt-out words, taken phrases and other kinds', async () => {
    const off = await graphql(api.url, admin, SET, { input: { language: 'ES', kind: 'ACCESS', phrases: [] } });
    expect(off.data.setPrivacyKeywords.privacyKeywordSet).toMatchObject({ phrases: [], isDefault: false });
    await customerWritesAll(BEATRIZ, ['mis datos', 'borrar mis datos']);
    const sent = await waitForSends(BEATRIZ, 1);
    expect(sent).toHaveLength(1);
    expect(question(sent[0]!).yes.title).toBe('Sí, borrar');

    const refusals = [
      [{ language: 'EN', kind: 'ERASURE', phrases: ['forget me', 'STOP'] }, 'phrases.1'],
      [{ language: 'AR', kind: 'ERASURE', phrases: ['delete my data'] }, 'phrases.0'],
      [{ language: 'EN', kind: 'RESTRICTION', phrases: ['stop processing me'] }, 'kind'],
    ] as const;
    for (const [input, field] of refusals) {
      const res = await graphql(api.url, admin, SET, { input });
      expect(res.data.setPrivacyKeywords).toMatchObject({ __typename: 'ValidationError', field });
    }
    const byAgent = await graphql(api.url, agent, SET, { input: { language: 'EN', kind: 'ERASURE', phrases: ['x marks'] } });
    expect(byAgent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await owner()`select language, kind from privacy_keyword_sets`)).toEqual([{ language: 'es', kind: 'access' }]);
  });
});
