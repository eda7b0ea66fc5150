// Erasure, checked the way an auditor would: after an admin's ERASURE request completes, a logical dump
// of every table of every schema of the database, and every file of the blob store, holds no trace of
// the customer's phone number, business-scoped id, name, message text or photo. Then Meta retries an old
// delivery, the edge dead-letters another and it is replayed, and a backup from before the erasure is
// restored: none of them brings the customer back. A new message from them afterwards is a new, legitimate
// conversation.
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { replayDeadLetters } from '@switchboard/api/ingest/replay-dead-letters';
import { replayErasureLedger } from '@switchboard/api/privacy/erasure-ledger';
import { createBlobStore } from '@switchboard/api/media/blob-store';
import { connect, type Sql } from '@switchboard/db/connect';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { imageMessage, textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { sampleMedia } from '../meta-sandbox/sample-media.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { waitForMail } from '../support/mail.ts';
import { DEV_TENANT, graphql, ingest, logIn, owner, seedUser } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

let desk: Desk;
let blobDir: string;
let app: Sql;
let admin: { cookie: string };
let agent: { cookie: string };
let tenantId: string;

const LINA: Sender = { name: 'Lina Haddad', waId: '966501234567', userId: 'SA.1488203395671' };
const OMAR: Sender = { name: 'Omar Nasser', waId: '201001234567' };
const SECRET = 'my order 4411 goes to Wadi Street 7';
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-erasure-spec-'));
  desk = await startDesk({ instanceId: 'erasure', api: { blobStore: { kind: 'local', dir: blobDir }, mediaDownloadAttempts: 2 } });
  app = connect(inject('appUrl'), { max: 2, applicationName: 'erasure-spec' });
}, 60_000);
afterAll(async () => {
  await app?.end();
  await desk?.stop();
  await rm(blobDir, { recursive: true, force: true });
});

beforeEach(async () => {
  const seeded = await desk.reset({ agentPresence: 'online' });
  tenantId = seeded.tenantId;
  agent = await logIn(desk.api.url, seeded.agent.email, seeded.agent.password);
  const boss = await seedUser(tenantId, { email: 'boss@acme.test', role: 'admin' });
  admin = await logIn(desk.api.url, boss.email, boss.password);
});

const call = async (who: { cookie: string } | string, query: string, variables: Record<string, unknown> = {}) => {
  const res = await graphql(desk.api.url, who, query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
};

const REQUEST = `id state outcome completedAt steps { action detail }`;

async function fileErasure(subject: Record<string, string>, requesterEmail?: string) {
  const made = await call(admin, `mutation ($input: CreatePrivacyRequestInput!) { createPrivacyRequest(input: $input) {
    __typename ... on MutationCreatePrivacyRequestSuccess { privacyRequest { ${REQUEST} subjectLabel } } ... on Error { message } } }`, {
    input: { kind: 'ERASURE', subject, ...(requesterEmail ? { requesterEmail } : {}) },
  });
  expect(made.createPrivacyRequest.__typename).toBe('MutationCreatePrivacyRequestSuccess');
  const id = made.createPrivacyRequest.privacyRequest.id;
  const done = await eventually(
    async () => (await call(admin, `query ($id: ID!) { node(id: $id) { ... on PrivacyRequest { ${REQUEST} } } }`, { id })).node,
    // Finished, and the requester told (or nobody to tell): the last step of every request.
    (r) => ['notified', 'nothing_to_notify', 'notification_failed'].includes(r.steps.at(-1)?.action),
    { timeoutMs: 15_000 },
  );
  expect(done.state).toBe('COMPLETED');
  return { ...done, subjectLabel: made.createPrivacyRequest.privacyRequest.subjectLabel };
}

/**
 * Every row of every table of every schema but Postgres' own, as text. Other connections' temporary
 * tables (the analytics fold's working tables) are beyond any other session's reach, and they are
 * `ON COMMIT DELETE ROWS`: nothing in them outlives the transaction that filled them.
 */
async function dumpEverything(): Promise<string> {
  const tables = await owner()<{ schema: string; name: string }[]>`
    select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and c.relpersistence <> 't'
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
     order by 1, 2`;
  expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual(expect.arrayContaining(['public.messages', 'public.contacts', 'public.dead_letters']));
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await owner().unsafe(`select t::text as row from "${t.schema}"."${t.name}" t`);
    parts.push(...rows.map((r) => `${t.schema}.${t.name}: ${r.row as string}`));
  }
  return parts.join('\n');
}

async function filesUnder(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.push({ path: full, bytes: await readFile(full) });
  }
  return out;
}

const tracesOf = (dump: string, needles: string[]) => needles.filter((n) => dump.toLowerCase().includes(n.toLowerCase()));

describe('erasure', () => {
  it('leaves no trace of the customer in any table or file, and keeps what is not theirs', async () => {
    // Lina writes, sends a photo, gets a reply; a note elsewhere quotes her number; a delivery naming her is dead-lettered.
    const first = `wamid.erasure-lina-1-${Date.now()}`;
    const linaBody = devTenantBody(LINA, [textMessage({ from: LINA, id: first, timestamp: String(now()), body: SECRET })]);
    expect((await ingest(desk.api.url, [linaBody])).results.map((r) => r.status)).toEqual(['committed']);
    const photo = new Uint8Array(sampleMedia('image', `erasure-${Date.now()}`));
    const held = desk.sandbox.holdCustomerMedia({ phoneNumberId: DEV_TENANT.phoneNumberId, mimeType: 'image/jpeg', bytes: photo });
    const photoBody = devTenantBody(LINA, [imageMessage({ from: LINA, id: `wamid.erasure-lina-2-${Date.now()}`, timestamp: String(now()), mediaId: held.id, mimeType: 'image/jpeg', sha256: held.sha256, caption: 'receipt for Wadi Street' })]);
    await ingest(desk.api.url, [photoBody]);
    await eventually(() => owner()`select status from media`, (rows) => rows.length === 1 && rows[0]!.status === 'stored', { timeoutMs: 15_000 });
    await desk.customerWrites(OMAR, 'Is the shop open on Friday?');
    const conversations = (await call(admin, '{ conversations(first: 10) { edges { node { id contact { waId } } } } }')).conversations.edges.map((e: any) => e.node);
    const linaConversation = conversations.find((c: any) => c.contact.waId === LINA.waId).id;
    const omarConversation = conversations.find((c: any) => c.contact.waId === OMAR.waId).id;
    await call(agent, 'mutation ($c: ID!, $b: String!) { sendText(conversationId: $c, body: $b) { __typename } }', { c: linaConversation, b: 'Thanks Lina Haddad, on its way' });
    await call(agent, 'mutation ($c: ID!, $b: String!) { addNote(conversationId: $c, body: $b) { __typename } }', { c: linaConversation, b: 'VIP' });
    await call(agent, 'mutation ($c: ID!, $b: String!) { addNote(conversationId: $c, body: $b) { __typename } }', { c: omarConversation, b: `Omar is the brother of 966501234567` });
    await call(agent, 'mutation ($c: ID!, $b: String!) { addNote(conversationId: $c, body: $b) { __typename } }', { c: omarConversation, b: 'Prefers mornings' });
    await ingest(desk.api.url, [devTenantBody(LINA, [textMessage({ from: LINA, id: `wamid.erasure-lina-dl-${Date.now()}`, timestamp: String(now()), body: 'lost in transit' })])], { path: '/ingest/dead-letters' });
    const before = await dumpEverything();
    expect(tracesOf(before, [LINA.waId!, LINA.userId!, LINA.name, SECRET]).length).toBe(4);
    expect((await filesUnder(blobDir)).some((f) => f.bytes.equals(Buffer.from(photo)))).toBe(true);

    const done = await fileErasure({ waId: LINA.waId! }, 'lina.requests@example.com');
    expect(done.subjectLabel).toBe('+9665 •••••• 67');
    const erased = JSON.parse(done.steps.find((s: any) => s.action === 'erased').detail);
    expect(erased).toMatchObject({ conversations: 1, messages: 3, media: 1, notes: 2, deadLetters: 1 });
    expect(done.steps.map((s: any) => s.action)).toEqual(['received', 'started', 'erased', 'completed', 'notified']);

    // The confirmation went out, and says nothing about her.
    const mail = await waitForMail(desk.sandbox.url, (m) => m.envelope.to.includes('lina.requests@example.com'));
    expect(tracesOf(JSON.stringify(mail), [LINA.waId!, LINA.name, SECRET, 'Wadi'])).toEqual([]);

    const after = await dumpEverything();
    expect(tracesOf(after, [LINA.waId!, LINA.userId!, LINA.name, 'Lina', SECRET, 'Wadi Street', 'lost in transit', 'lina.requests@example.com'])).toEqual([]);
    const files = await filesUnder(blobDir);
    expect(files.filter((f) => f.bytes.equals(Buffer.from(photo)))).toEqual([]);
    // What is not hers stays: Omar, his conversation, and the note about him that does not quote her.
    expect(after).toContain('Is the shop open on Friday?');
    expect(after).toContain('Prefers mornings');
    expect(after).not.toContain('brother of');
    // Her contact row stays for counts made earlier, with no identifier; the audit says what happened.
    expect(await owner()`select wa_id, user_id, display_name, erased_at is not null as erased from contacts where erased_at is not null`).toEqual([{ waId: null, userId: null, displayName: null, erased: true }]);
    const actions = (await call(admin, '{ auditLog(first: 20, filter: { action: "privacy.erasure.completed" }) { edges { node { action } } } }')).auditLog.edges;
    expect(actions).toHaveLength(1);
  });

  it('is not undone by a late webhook, a dead letter replayed, or a restored backup; a new message is a new conversation', async () => {
    const at = now() - 60;
    const original = devTenantBody(LINA, [textMessage({ from: LINA, id: `wamid.erasure-late-${Date.now()}`, timestamp: String(at), body: SECRET })]);
    await ingest(desk.api.url, [original]);
    // A backup taken now holds her (the rows as they are before the erasure).
    const snapshot = async (table: string) => (await owner().unsafe(`select coalesce(json_agg(t), '[]')::text as rows from ${table} t`))[0]!.rows as string;
    const backup = { contacts: await snapshot('contacts'), conversations: await snapshot('conversations'), messages: await snapshot('messages') };
    const erasure = await fileErasure({ waId: LINA.waId! });

    // Meta retries the delivery; then another copy, dead-lettered by the edge, is replayed.
    expect((await ingest(desk.api.url, [original])).results.map((r) => r.status)).toEqual(['committed']);
    await ingest(desk.api.url, [original], { path: '/ingest/dead-letters' });
    const replay = await replayDeadLetters(app, { mediaDownloadAttempts: 1 });
    expect(replay.replayed).toHaveLength(1);
    const dump = await dumpEverything();
    expect(tracesOf(dump, [LINA.waId!, LINA.userId!, LINA.name, SECRET])).toEqual([]);

    // Restoring the backup puts her rows back; replaying the ledger (kept apart from the database) takes them out again.
    // Generated columns (messages.search_vector) are computed again, not copied, as pg_restore does.
    const restore = async (table: string, rows: string) => {
      const columns = await owner()<{ name: string }[]>`
        select column_name as name from information_schema.columns
         where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER' order by ordinal_position`;
      const list = columns.map((c) => `"${c.name}"`).join(', ');
      return owner().unsafe(
        `insert into ${table} (${list}) overriding system value select ${list} from json_populate_recordset(null::${table}, $1::text::json) on conflict do nothing`,
        [rows],
      );
    };
    await owner()`delete from contacts where erased_at is not null`;
    await owner()`delete from erasure_ledger`;
    await owner()`delete from erasure_salts`;
    await restore('contacts', backup.contacts);
    await restore('conversations', backup.conversations);
    await restore('messages', backup.messages);
    expect(tracesOf(await dumpEverything(), [LINA.waId!, SECRET]).length).toBe(2);
    const replayed = await replayErasureLedger(app, createBlobStore({ kind: 'local', dir: blobDir }));
    expect(replayed).toMatchObject({ tenants: 1, contactsErased: 1 });
    expect(tracesOf(await dumpEverything(), [LINA.waId!, LINA.userId!, LINA.name, SECRET])).toEqual([]);

    // She writes again, after the erasure: a new conversation, as anyone's. (Meta's timestamps are whole
    // seconds, and a message stamped in the second of the erasure counts as before it.)
    await desk.customerWrites(LINA, 'Hello again', Math.max(now(), Math.floor(Date.parse(erasure.completedAt) / 1000) + 1));
    const conversations = (await call(admin, '{ conversations(first: 10) { edges { node { contact { waId } messages(last: 5) { edges { node { text } } } } } } }')).conversations.edges;
    expect(conversations.map((e: any) => [e.node.contact.waId, e.node.messages.edges.map((m: any) => m.node.text)])).toEqual([[LINA.waId, ['Hello again']]]);
  });
});
