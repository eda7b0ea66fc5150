// Privacy requests through GraphQL, one journey per kind, with the real api, Postgres, job runner and the
// sandbox's SMTP catcher: an admin or an ADMIN key files it, it runs by itself (RECEIVED → IN_PROGRESS →
// COMPLETED), every step is in the request and in the audit log, and the requester gets a confirmation
// with no personal data in it. Plus staff as subjects, bad input, and who may do what.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { sweepExpiredExports } from '@switchboard/api/retention/sweeps';
import { connect } from '@switchboard/db/connect';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { imageMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { sampleMedia } from '../meta-sandbox/sample-media.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { caughtMail, waitForMail } from '../support/mail.ts';
import { DEV_TENANT, graphql, ingest, logIn, owner, seedApiKey, seedUser, subscribe, type SeededUser } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

let desk: Desk;
let blobDir: string;
let tenantId: string;
let partnerKey: string;
let readKey: string;
let admin: { cookie: string };
let agent: { cookie: string };
let ana: SeededUser;

const LINA: Sender = { name: 'Lina Haddad', waId: '966501234567' };

beforeAll(async () => {
  blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-privacy-spec-'));
  desk = await startDesk({ instanceId: 'privacy', api: { blobStore: { kind: 'local', dir: blobDir }, mediaDownloadAttempts: 2 } });
}, 60_000);
afterAll(async () => {
  await desk?.stop();
  await rm(blobDir, { recursive: true, force: true });
});

beforeEach(async () => {
  const seeded = await desk.reset({ agentPresence: 'online' });
  ({ tenantId, apiKey: readKey, agent: ana } = seeded);
  partnerKey = await seedApiKey(tenantId, ['read', 'admin'], 'Dev partner');
  agent = await logIn(desk.api.url, ana.email, ana.password);
  const boss = await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
  admin = await logIn(desk.api.url, boss.email, boss.password);
});

const call = async (who: { cookie: string } | string, query: string, variables: Record<string, unknown> = {}) => {
  const res = await graphql(desk.api.url, who, query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
};

const FIELDS = `id kind state subjectLabel source receivedAt dueAt completedAt outcome export { url expiresAt byteSize } steps { at actor action detail }`;
const CREATE = `mutation ($input: CreatePrivacyRequestInput!) { createPrivacyRequest(input: $input) {
  __typename ... on MutationCreatePrivacyRequestSuccess { privacyRequest { ${FIELDS} } }
  ... on Error { code message } ... on ValidationError { field } } }`;

async function file(input: Record<string, unknown>, who: { cookie: string } | string = admin) {
  const made = (await call(who, CREATE, { input })).createPrivacyRequest;
  expect(made.__typename, JSON.stringify(made)).toBe('MutationCreatePrivacyRequestSuccess');
  return made.privacyRequest;
}

/** The request once finished and its requester told (or nobody to tell): its last step. */
async function finished(id: string, who: { cookie: string } | string = admin) {
  return eventually(
    async () => (await call(who, `query ($id: ID!) { node(id: $id) { ... on PrivacyRequest { ${FIELDS} } } }`, { id })).node,
    (r) => ['notified', 'nothing_to_notify', 'notification_failed'].includes(r.steps.at(-1)?.action),
    { timeoutMs: 15_000 },
  );
}

async function linaWrites() {
  await desk.customerWrites(LINA, 'Where is order 4411?');
  const photo = new Uint8Array(sampleMedia('image', `privacy-${Date.now()}`));
  const held = desk.sandbox.holdCustomerMedia({ phoneNumberId: DEV_TENANT.phoneNumberId, mimeType: 'image/jpeg', bytes: photo });
  await ingest(desk.api.url, [devTenantBody(LINA, [imageMessage({ from: LINA, id: `wamid.privacy-photo-${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), mediaId: held.id, mimeType: 'image/jpeg', sha256: held.sha256 })])]);
  await eventually(() => owner()`select status from media`, (rows) => rows.length === 1 && rows[0]!.status === 'stored', { timeoutMs: 15_000 });
  const [contact] = await owner()<{ id: string }[]>`select id from contacts where wa_id = ${LINA.waId!}`;
  return { photo, contactId: Buffer.from(`Contact:${contact!.id}`).toString('base64') };
}

const CONTACT = `query ($id: ID!) { node(id: $id) { ... on Contact { displayName restricted optedOut marketingOptedOut consentWithdrawn consentHistory { kind source } } } }`;

describe('privacy requests, one journey per kind', () => {
  it('ACCESS: a zip of everything held, for the admins only, until it expires; confirmed by mail', async () => {
    const { photo, contactId } = await linaWrites();
    const made = await file({ kind: 'ACCESS', subject: { contactId }, requesterEmail: 'lina@example.com', note: 'Asked at the counter' });
    expect(made).toMatchObject({ kind: 'ACCESS', state: 'RECEIVED', source: 'DASHBOARD', subjectLabel: '+9665 •••••• 67' });
    expect(Date.parse(made.dueAt) - Date.parse(made.receivedAt)).toBe(30 * 24 * 3600 * 1000);
    const done = await finished(made.id);
    expect(done.state).toBe('COMPLETED');
    expect(done.steps.map((s: any) => s.action)).toEqual(['received', 'started', 'exported', 'completed', 'notified']);
    expect(done.steps[0].actor).toBe('boss');
    expect(done.export.url).toMatch(/^\/privacy-exports\/[0-9a-f-]{36}$/);
    expect(Date.parse(done.export.expiresAt) - Date.parse(done.completedAt)).toBeGreaterThan(6.9 * 24 * 3600 * 1000);

    const download = await fetch(`${desk.api.url}${done.export.url}`, { headers: { cookie: admin.cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    const zip = unzipSync(new Uint8Array(await download.arrayBuffer()));
    const document = JSON.parse(strFromU8(zip['export.json']!));
    expect(document).toMatchObject({ format: 'switchboard.privacy-export', version: 1, request: { kind: 'access' }, subject: { kind: 'customer' }, profile: { waId: LINA.waId, displayName: LINA.name } });
    const messages = document.conversations[0].messages;
    expect(messages.map((m: any) => m.text)).toContain('Where is order 4411?');
    const file_ = messages.flatMap((m: any) => m.media).find((m: any) => m.file)!.file;
    expect(Buffer.from(zip[file_]!).equals(Buffer.from(photo))).toBe(true);
    expect(document.consentHistory.map((e: any) => e.kind)).toContain('opted_in');
    expect(document.privacyRequests.map((r: any) => r.kind)).toEqual(['access']);

    // An agent, a READ key and no one at all are refused; the download is audited.
    expect((await fetch(`${desk.api.url}${done.export.url}`, { headers: { cookie: agent.cookie } })).status).toBe(403);
    expect((await fetch(`${desk.api.url}${done.export.url}`)).status).toBe(401);
    expect((await fetch(`${desk.api.url}${done.export.url}`, { headers: { authorization: `Bearer ${readKey}` } })).status).toBe(403);
    expect((await fetch(`${desk.api.url}${done.export.url}`, { headers: { authorization: `Bearer ${partnerKey}` } })).status).toBe(200);
    const downloads = (await call(admin, '{ auditLog(first: 10, filter: { action: "privacy.export.downloaded" }) { edges { node { actorLabel } } } }')).auditLog.edges;
    expect(downloads.map((e: any) => e.node.actorLabel).sort()).toEqual(['Dev partner', 'boss']);

    const mail = await waitForMail(desk.sandbox.url, (m) => m.envelope.to.includes('lina@example.com'));
    expect(JSON.stringify(mail)).not.toMatch(/966501234567|Lina|4411|counter/);
    // The requester's address is forgotten once told.
    expect(await owner()`select requester_email from privacy_requests`).toEqual([{ requesterEmail: null }]);

    // When it expires, retention deletes it: the link answers 404 and the file leaves the blob store.
    const app = connect(inject('appUrl'), { max: 1 });
    try {
      expect(await sweepExpiredExports(app, tenantId, { now: new Date(Date.parse(done.export.expiresAt) + 1000) })).toBe(1);
    } finally {
      await app.end();
    }
    expect((await fetch(`${desk.api.url}${done.export.url}`, { headers: { cookie: admin.cookie } })).status).toBe(404);
    expect((await call(admin, `query ($id: ID!) { node(id: $id) { ... on PrivacyRequest { export { url } } } }`, { id: made.id })).node.export).toBeNull();
    const [exported] = await owner()<{ blobKey: string }[]>`select blob_key from privacy_exports`;
    await eventually(() => Promise.resolve(existsSync(path.join(blobDir, exported!.blobKey))), (exists) => !exists, { timeoutMs: 10_000 });
  });

  it('PORTABILITY by an ADMIN key: the same export, the source says API', async () => {
    await linaWrites();
    const made = await file({ kind: 'PORTABILITY', subject: { waId: '+966 50 123 4567' } }, partnerKey);
    expect(made.source).toBe('API');
    const done = await finished(made.id, partnerKey);
    expect(done.export.byteSize).toBeGreaterThan(100);
    expect(done.steps.at(-1).action).toBe('nothing_to_notify');
  });

  it('RECTIFICATION: the profile is corrected, and the audit keeps the old and new values', async () => {
    const { contactId } = await linaWrites();
    const done = await finished((await file({ kind: 'RECTIFICATION', subject: { contactId }, rectification: { displayName: 'Lina H.' } })).id);
    expect(done.outcome).toBe('Profile corrected.');
    expect((await call(admin, CONTACT, { id: contactId })).node.displayName).toBe('Lina H.');
    const [entry] = await owner()<{ detail: any }[]>`select detail from audit_events where action = 'contact.rectified'`;
    expect(entry!.detail.values).toEqual({ displayName: { old: LINA.name, new: 'Lina H.' } });
  });

  it('RESTRICTION: kept but not processed, shown on the contact, and lifted', async () => {
    const { contactId } = await linaWrites();
    await finished((await file({ kind: 'RESTRICTION', subject: { contactId } })).id);
    expect((await call(admin, CONTACT, { id: contactId })).node.restricted).toBe(true);
    const [conversation] = (await call(agent, '{ conversations(first: 1) { edges { node { id } } } }')).conversations.edges;
    const send = await call(agent, 'mutation ($c: ID!) { sendText(conversationId: $c, body: "Hi") { __typename ... on Error { code } } }', { c: conversation.node.id });
    expect(send.sendText).toEqual({ __typename: 'SendRefusedError', code: 'CONTACT_RESTRICTED' });
    const lifted = await finished((await file({ kind: 'RESTRICTION', subject: { contactId }, lift: true })).id);
    expect(lifted.outcome).toBe('Restriction lifted.');
    expect((await call(admin, CONTACT, { id: contactId })).node.restricted).toBe(false);
  });

  it('OBJECTION and CONSENT_WITHDRAWAL: opted out, and both in the consent history', async () => {
    const { contactId } = await linaWrites();
    await finished((await file({ kind: 'OBJECTION', subject: { contactId } })).id);
    expect((await call(admin, CONTACT, { id: contactId })).node).toMatchObject({ marketingOptedOut: true, optedOut: false });
    await finished((await file({ kind: 'CONSENT_WITHDRAWAL', subject: { contactId } })).id);
    const contact = (await call(admin, CONTACT, { id: contactId })).node;
    expect(contact).toMatchObject({ marketingOptedOut: true, optedOut: true, consentWithdrawn: true });
    expect(contact.consentHistory.map((e: any) => e.kind)).toEqual(['OPTED_IN', 'OBJECTED', 'CONSENT_WITHDRAWN']);
  });

  it('ERASURE of a staff member: sessions and profile go, their messages stay as "Former agent"', async () => {
    await linaWrites();
    const [conversation] = (await call(agent, '{ conversations(first: 1) { edges { node { id } } } }')).conversations.edges;
    await call(agent, 'mutation ($c: ID!) { sendText(conversationId: $c, body: "On its way") { __typename } }', { c: conversation.node.id });
    const access = await finished((await file({ kind: 'ACCESS', subject: { staffEmail: 'ANA@acme.test' } })).id);
    const exported = JSON.parse(strFromU8(unzipSync(new Uint8Array(await (await fetch(`${desk.api.url}${access.export.url}`, { headers: { cookie: admin.cookie } })).arrayBuffer()))['export.json']!));
    expect(exported).toMatchObject({ subject: { kind: 'staff' }, profile: { email: 'ana@acme.test', name: 'Ana' }, departments: ['Support'] });
    expect(exported.messagesSent.map((m: any) => m.text)).toEqual(['On its way']);

    const made = await file({ kind: 'ERASURE', subject: { staffEmail: 'ana@acme.test' } });
    expect(made.subjectLabel).toBe('a•••@acme.test');
    const done = await finished(made.id);
    expect(done.state).toBe('COMPLETED');
    expect((await graphql(desk.api.url, agent, '{ me { id } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await owner()`select name, email like 'former-%@purged.invalid' as anonymous, password_hash from users where id = ${ana.id}`).toEqual([{ name: 'Former agent', anonymous: true, passwordHash: null }]);
    expect(await owner()`select count(*)::int as n from sessions where user_id = ${ana.id}`).toEqual([{ n: 0 }]);
    const messages = (await call(admin, `query ($c: ID!) { node(id: $c) { ... on Conversation { messages(last: 5) { edges { node { text author { name } } } } } } }`, { c: conversation.node.id })).node.messages.edges;
    expect(messages.find((e: any) => e.node.text === 'On its way').node.author.name).toBe('Former agent');
  });

  it('ERASURE of a customer removes the conversation from live inboxes', async () => {
    const { contactId } = await linaWrites();
    const [conversation] = (await call(agent, '{ conversations(first: 1) { edges { node { id } } } }')).conversations.edges;
    const removed = await subscribe(desk.api.wsUrl, agent, 'subscription { conversationRemoved }');
    await finished((await file({ kind: 'ERASURE', subject: { contactId } })).id);
    expect(await removed.waitFor(1)).toEqual([{ conversationRemoved: conversation.node.id }]);
    await removed.close();
    expect((await call(agent, '{ conversations(first: 5) { edges { node { id } } } }')).conversations.edges).toEqual([]);
  });
});

describe('privacy requests: what is refused', () => {
  it('says clearly what is wrong with the input, and creates nothing', async () => {
    const { contactId } = await linaWrites();
    const attempt = async (input: Record<string, unknown>) => (await call(admin, CREATE, { input })).createPrivacyRequest;
    expect(await attempt({ kind: 'ERASURE', subject: { waId: LINA.waId, contactId } })).toMatchObject({ __typename: 'ValidationError', field: 'subject' });
    expect(await attempt({ kind: 'ERASURE', subject: {} })).toMatchObject({ __typename: 'ValidationError', field: 'subject' });
    expect(await attempt({ kind: 'ERASURE', subject: { waId: 'not a number' } })).toMatchObject({ __typename: 'ValidationError', field: 'subject.waId' });
    expect(await attempt({ kind: 'ERASURE', subject: { waId: '15550000000' } })).toMatchObject({ __typename: 'NotFoundError' });
    expect(await attempt({ kind: 'ACCESS', subject: { staffEmail: 'nobody@acme.test' } })).toMatchObject({ __typename: 'NotFoundError' });
    expect(await attempt({ kind: 'RECTIFICATION', subject: { contactId } })).toMatchObject({ __typename: 'ValidationError', field: 'rectification.displayName' });
    expect(await attempt({ kind: 'ACCESS', subject: { contactId }, lift: true })).toMatchObject({ __typename: 'ValidationError', field: 'lift' });
    expect(await attempt({ kind: 'RESTRICTION', subject: { staffEmail: 'ana@acme.test' } })).toMatchObject({ __typename: 'ValidationError', field: 'kind' });
    expect(await attempt({ kind: 'ACCESS', subject: { contactId }, requesterEmail: 'not-an-address' })).toMatchObject({ __typename: 'ValidationError', field: 'requesterEmail' });
    // A global id of another kind, or of nothing, names no one.
    expect(await attempt({ kind: 'ACCESS', subject: { contactId: Buffer.from(`User:${ana.id}`).toString('base64') } })).toMatchObject({ __typename: 'NotFoundError' });
    expect(await owner()`select count(*)::int as n from privacy_requests`).toEqual([{ n: 0 }]);
  });

  it('is for admins and ADMIN keys only; approve and reject only wait for requests from WhatsApp', async () => {
    await linaWrites();
    const refused = await graphql(desk.api.url, agent, CREATE, { input: { kind: 'ACCESS', subject: { waId: LINA.waId } } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(desk.api.url, agent, '{ privacyRequests(first: 5) { edges { node { id } } } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const made = await file({ kind: 'ACCESS', subject: { waId: LINA.waId } });
    await finished(made.id);
    const approve = (await call(admin, 'mutation ($id: ID!) { approvePrivacyRequest(id: $id) { __typename ... on Error { code } } }', { id: made.id })).approvePrivacyRequest;
    expect(approve).toEqual({ __typename: 'ConflictError', code: 'NOT_WAITING' });
    const reject = (await call(admin, 'mutation ($id: ID!) { rejectPrivacyRequest(id: $id, reason: "no") { __typename ... on Error { code } } }', { id: made.id })).rejectPrivacyRequest;
    expect(reject).toEqual({ __typename: 'ConflictError', code: 'NOT_WAITING' });
    const list = (await call(admin, '{ privacyRequests(first: 5, filter: { state: COMPLETED, kind: ACCESS, overdue: false }) { edges { node { id } } } }')).privacyRequests.edges;
    expect(list.map((e: any) => e.node.id)).toEqual([made.id]);
    expect((await call(admin, '{ privacyRequests(first: 5, filter: { overdue: true }) { edges { node { id } } } }')).privacyRequests.edges).toEqual([]);
  });

  it('rejects a WhatsApp request with the reason kept and the requester told without it', async () => {
    const { contactId } = await linaWrites();
    // A request the customer made in WhatsApp waits in RECEIVED (the keyword flow opens it like this).
    const [row] = await owner()<{ id: string }[]>`
      insert into privacy_requests (tenant_id, kind, source, subject_kind, subject_id, subject_label, requester_email, created_by_kind, due_at)
      values (${tenantId}, 'erasure', 'whatsapp', 'contact', ${Buffer.from(contactId, 'base64').toString().split(':')[1]!}, '+9665 •••••• 67', 'lina@example.com', 'customer', now() + interval '30 days')
      returning id`;
    const id = Buffer.from(`PrivacyRequest:${row!.id}`).toString('base64');
    const rejected = (await call(admin, 'mutation ($id: ID!) { rejectPrivacyRequest(id: $id, reason: "Could not verify the number belongs to Lina") { __typename ... on MutationRejectPrivacyRequestSuccess { privacyRequest { state outcome } } } }', { id })).rejectPrivacyRequest;
    expect(rejected.privacyRequest).toEqual({ state: 'REJECTED', outcome: 'Could not verify the number belongs to Lina' });
    const mail = await waitForMail(desk.sandbox.url, (m) => m.envelope.to.includes('lina@example.com'));
    expect(JSON.stringify(mail)).not.toMatch(/verify|Lina/);
    expect((await caughtMail(desk.sandbox.url)).length).toBe(1);
  });

  it('keeps tenants apart: another tenant’s admin finds nothing by id', async () => {
    await linaWrites();
    const made = await file({ kind: 'ACCESS', subject: { waId: LINA.waId } });
    const done = await finished(made.id);
    const [other] = await owner()<{ id: string }[]>`insert into tenants (name) values ('Globex') returning id`;
    const globex = await seedUser(other!.id, { email: 'admin@globex.test', role: 'admin' });
    const stranger = await logIn(desk.api.url, globex.email, globex.password);
    expect((await call(stranger, 'query ($id: ID!) { node(id: $id) { id } }', { id: made.id })).node).toBeNull();
    expect((await call(stranger, '{ privacyRequests(first: 5) { edges { node { id } } } }')).privacyRequests.edges).toEqual([]);
    expect((await fetch(`${desk.api.url}${done.export.url}`, { headers: { cookie: stranger.cookie } })).status).toBe(404);
    const approve = (await call(stranger, 'mutation ($id: ID!) { approvePrivacyRequest(id: $id) { __typename } }', { id: made.id })).approvePrivacyRequest;
    expect(approve.__typename).toBe('NotFoundError');
    const record = (await call(stranger, '{ recordOfProcessing { openRequests categories { name count } } }')).recordOfProcessing;
    expect(record.categories.find((c: any) => c.name.startsWith('Messages')).count).toBe(0);
  });
});

describe('the record of processing', () => {
  it('counts what is held, with the retention in force, the sub-processors and the open requests', async () => {
    await linaWrites();
    await owner()`
      insert into privacy_requests (tenant_id, kind, source, subject_kind, subject_id, subject_label, created_by_kind, received_at, due_at)
      select ${tenantId}, 'access', 'whatsapp', 'contact', id, 'x', 'customer', now() - interval '40 days', now() - interval '10 days' from contacts`;
    const record = (await call(partnerKey, '{ recordOfProcessing { categories { name count } retention { messagesDays exportDays } subProcessors { name purpose } openRequests overdueRequests } }')).recordOfProcessing;
    expect(record.categories.find((c: any) => c.name.startsWith('Messages')).count).toBe(2);
    expect(record.categories.find((c: any) => c.name.startsWith('Media')).count).toBe(1);
    expect(record.retention).toEqual({ messagesDays: 90, exportDays: 7 });
    expect(record.subProcessors.map((s: any) => s.name)).toEqual(['Meta Platforms (WhatsApp Business Cloud API)', 'Cloudflare (Workers and Queues)', expect.stringMatching(/^SMTP relay/)]);
    expect([record.openRequests, record.overdueRequests]).toEqual([1, 1]);
  });
});
