// Media end to end: a customer's image arrives by signed webhook, the download job fetches it from the
// Meta sandbox (GET /<MEDIA_ID>, then the 5-minute URL with the bearer token), checks its SHA-256 and
// keeps it in the blob store; a signed-in agent of the tenant gets exactly those bytes from /media/<id>,
// nobody else does. Failed downloads are retried and never hold the message back; a file that does not
// match its announced digest ends FAILED with a readable reason. An agent's upload goes to Meta when
// its message is sent, and Meta receives it by media id.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDownloadQueue } from '@switchboard/api/media/download-queue';
import { ingestBatch } from '@switchboard/api/ingest/ingest-batch';
import { connect } from '@switchboard/db/connect';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Sandbox } from '../meta-sandbox/server.ts';
import { imageMessage, revokeMessage } from '../meta-sandbox/payloads.ts';
import { sampleMedia } from '../meta-sandbox/sample-media.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { DEV_TENANT, graphql, ingest, logIn, owner, seedDepartment, seedDevTenant, seedUser, subscribe, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

let desk: Desk;
let api: RunningApi;
let sandbox: Sandbox;
let blobDir: string;
let tenantId: string;
let partnerKey: string;
let session: { cookie: string };

const CUSTOMER = { name: 'Lina', waId: '966501234567' };
const OTHER_TENANT = { name: 'Other Co', wabaId: '209900000000001', phoneNumberId: '209900000000002', displayPhoneNumber: '15550009999' };

beforeAll(async () => {
  blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-media-spec-'));
  // Nothing here needs webhooks back from Meta: inbound bodies go to /ingest. Two tries per download
  // keep the retry paths to one backoff step (graphile-worker: e^1 ≈ 2.7 s).
  desk = await startDesk({ instanceId: 'media', api: { blobStore: { kind: 'local', dir: blobDir }, mediaDownloadAttempts: 2 } });
  ({ api, sandbox } = desk);
}, 60_000);

afterAll(async () => {
  await desk?.stop();
  await rm(blobDir, { recursive: true, force: true });
});

beforeEach(async () => {
  const seeded = await desk.reset({ agentPresence: 'online' });
  ({ tenantId, apiKey: partnerKey } = seeded);
  session = await logIn(api.url, seeded.agent.email, seeded.agent.password);
});

let n = 0;
const now = () => String(Math.floor(Date.now() / 1000));

/** A customer sends a photo: Meta holds the file, and the webhook announces its id and base64 digest. */
async function customerSendsImage({ announcedSha256, caption = 'my receipt' }: { announcedSha256?: string; caption?: string } = {}) {
  const bytes = new Uint8Array(sampleMedia('image', `spec-${++n}-${Date.now()}`));
  const held = sandbox.holdCustomerMedia({ phoneNumberId: DEV_TENANT.phoneNumberId, mimeType: 'image/jpeg', bytes });
  const wamid = `wamid.media-spec-${n}-${Date.now()}`;
  const body = devTenantBody(CUSTOMER, [
    imageMessage({ from: CUSTOMER, id: wamid, timestamp: now(), mediaId: held.id, mimeType: 'image/jpeg', sha256: announcedSha256 ?? held.sha256, caption }),
  ]);
  const answer = await ingest(api.url, [body]);
  expect(answer.results.map((r) => r.status)).toEqual(['committed']);
  return { bytes, held, wamid, body };
}

const MESSAGES = `{ conversations(first: 1) { edges { node { id messages(last: 10) { edges { node {
  id wamid type status text direction
  content { ... on MediaContent { mediaId caption media { id status url mimeType filename byteSize sha256 attempts lastError } } }
} } } } } } }`;

async function messages(credentials: { cookie: string } | string = session): Promise<any[]> {
  const res = await graphql(api.url, credentials, MESSAGES);
  expect(res.errors).toBeUndefined();
  return res.data.conversations.edges[0]?.node.messages.edges.map((e: any) => e.node) ?? [];
}

async function inboundMedia() {
  return (await messages()).find((m) => m.direction === 'INBOUND' && m.type === 'IMAGE');
}

function fetchMedia(url: string, headers: Record<string, string> = {}) {
  return fetch(`${api.url}${url}`, { headers });
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** Relay global ids are base64 of `<Type>:<id>`. */
const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

describe('inbound media', () => {
  it('downloads a customer image, verifies it and serves the exact bytes to signed-in agents of the tenant only', async () => {
    const live = await subscribe(api.wsUrl, session, 'subscription { messageChanged { id content { ... on MediaContent { media { status } } } } }');
    const { bytes, held } = await customerSendsImage();

    const stored = await eventually(inboundMedia, (m) => m?.content.media.status === 'STORED');
    const mediaUuid = uuidOf(stored.content.media.id);
    expect(stored).toMatchObject({ type: 'IMAGE', status: 'RECEIVED', text: 'my receipt' });
    expect(stored.content).toEqual({
      mediaId: held.id,
      caption: 'my receipt',
      media: {
        id: stored.content.media.id,
        status: 'STORED',
        url: `/media/${mediaUuid}`,
        mimeType: 'image/jpeg',
        filename: null,
        byteSize: bytes.length,
        sha256: sha256Hex(bytes),
        attempts: 1,
        lastError: null,
      },
    });
    // Subscribers hear the message again once its file is there.
    const announced = await eventually(async () => live.events, (events) => events.some((e: any) => e.messageChanged.content?.media?.status === 'STORED'));
    expect(announced.some((e: any) => e.messageChanged.id === stored.id && e.messageChanged.content.media.status === 'STORED')).toBe(true);
    await live.close();

    // Kept under a key of the tenant, byte for byte.
    const [row] = await owner()`select blob_key, status, byte_size::int, sha256 from media where tenant_id = ${tenantId}`;
    expect(row).toEqual({ blobKey: `tenants/${tenantId}/media/${mediaUuid}`, status: 'stored', byteSize: bytes.length, sha256: sha256Hex(bytes) });
    expect(new Uint8Array(await readFile(path.join(blobDir, row!.blobKey)))).toEqual(bytes);

    const got = await fetchMedia(stored.content.media.url, { cookie: session.cookie });
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    expect(Object.fromEntries([...got.headers].filter(([name]) => name !== 'date' && name !== 'connection' && name !== 'keep-alive'))).toEqual({
      'content-type': 'image/jpeg',
      'content-length': String(bytes.length),
      'content-disposition': `inline; filename="media-${mediaUuid}.jpg"; filename*=UTF-8''media-${mediaUuid}.jpg`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'same-site',
      'referrer-policy': 'no-referrer',
    });
    const download = await fetchMedia(`${stored.content.media.url}?download`, { cookie: session.cookie });
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; /);

    // A partner key with the read scope reads it too.
    const byKey = await fetchMedia(stored.content.media.url, { authorization: `Bearer ${partnerKey}` });
    expect(byKey.status).toBe(200);
    expect(new Uint8Array(await byKey.arrayBuffer())).toEqual(bytes);

    // Nobody: 401. A wrong key: 401. Another tenant's admin: 404, exactly as for media that does not exist.
    const anonymous = await fetchMedia(stored.content.media.url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetchMedia(stored.content.media.url, { authorization: 'Bearer sb_live_not-a-key' })).status).toBe(401);
    const { tenantId: otherTenant } = await seedDevTenant(OTHER_TENANT);
    const outsider = await seedUser(otherTenant, { email: 'olga@other.test', role: 'admin' });
    const outsiderSession = await logIn(api.url, outsider.email, outsider.password);
    const theirs = await fetchMedia(stored.content.media.url, { cookie: outsiderSession.cookie });
    const unknown = await fetchMedia('/media/0190a5b3-8c1e-7000-8000-000000000000', { cookie: session.cookie });
    expect([theirs.status, await theirs.json()]).toEqual([404, { error: 'media not found' }]);
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: 'media not found' }]);
    // The session cookie counts only from the dashboard's origin (or none), as for GraphQL.
    expect((await fetchMedia(stored.content.media.url, { cookie: session.cookie, origin: 'https://evil.example' })).status).toBe(401);
  }, 30_000);

  it('removes the stored file when the customer deletes their message, and serves it no more', async () => {
    const { wamid } = await customerSendsImage();
    const stored = await eventually(inboundMedia, (m) => m?.content.media.status === 'STORED');
    const [row] = await owner()`select blob_key from media where tenant_id = ${tenantId}`;
    const file = path.join(blobDir, row!.blobKey);
    expect(existsSync(file)).toBe(true);

    const revoke = devTenantBody(CUSTOMER, [revokeMessage({ from: CUSTOMER, id: `${wamid}.revoke`, timestamp: now(), originalId: wamid })]);
    expect((await ingest(api.url, [revoke])).results.map((r) => r.status)).toEqual(['committed']);

    // The blob goes by a job added in the revoke's own transaction.
    await eventually(async () => existsSync(file), (exists) => !exists, { timeoutMs: 15_000 });
    const deleted = (await messages()).find((m) => m.id === stored.id);
    expect(deleted).toMatchObject({ type: 'IMAGE', text: null, content: { mediaId: '', caption: null, media: null } });
    expect(await owner()`select count(*)::int as n from media where tenant_id = ${tenantId}`).toEqual([{ n: 0 }]);
    expect((await fetchMedia(stored.content.media.url, { cookie: session.cookie })).status).toBe(404);
  }, 30_000);

  it('shows an agent only the media of conversations they can see', async () => {
    const { bytes } = await customerSendsImage();
    const stored = await eventually(inboundMedia, (m) => m?.content.media.status === 'STORED');
    const elsewhere = await seedUser(tenantId, { email: 'bo@acme.test', name: 'Bo' });
    await seedDepartment(tenantId, { name: 'Sales', members: [elsewhere.id] });
    const boSession = await logIn(api.url, elsewhere.email, elsewhere.password);
    expect((await fetchMedia(stored.content.media.url, { cookie: boSession.cookie })).status).toBe(404);

    const manager = await seedUser(tenantId, { email: 'mia@acme.test', role: 'manager' });
    const managerGot = await fetchMedia(stored.content.media.url, { cookie: (await logIn(api.url, manager.email, manager.password)).cookie });
    expect(managerGot.status).toBe(200);
    expect(new Uint8Array(await managerGot.arrayBuffer())).toEqual(bytes);
  }, 30_000);

  it('retries a failed download while the message is already there, and ends stored', async () => {
    sandbox.injectMediaDownloadFault({ count: 1, httpStatus: 503 });
    const { bytes } = await customerSendsImage();

    // The message is visible at once, its file still pending after the first attempt failed.
    const waiting = await eventually(inboundMedia, (m) => m?.content.media.lastError !== null && m?.content.media.lastError !== undefined);
    expect(waiting).toMatchObject({ type: 'IMAGE', status: 'RECEIVED', text: 'my receipt' });
    expect(waiting.content.media).toMatchObject({ status: 'PENDING', url: null, attempts: 1 });
    expect(waiting.content.media.lastError).toMatch(/^Graph API GET \/whatsapp_business\/attachments\/ failed with HTTP 503/);

    const stored = await eventually(inboundMedia, (m) => m?.content.media.status === 'STORED', { timeoutMs: 15_000 });
    expect(stored.content.media).toMatchObject({ status: 'STORED', attempts: 2, lastError: null, sha256: sha256Hex(bytes) });
    expect(sandbox.faults().mediaDownloads).toEqual([]);
    const got = await fetchMedia(stored.content.media.url, { cookie: session.cookie });
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
  }, 30_000);

  it('gives up on a file that does not match its announced SHA-256, with a readable reason, and keeps the message', async () => {
    const wrong = createHash('sha256').update('some other file').digest();
    const { bytes } = await customerSendsImage({ announcedSha256: wrong.toString('base64') });

    const failed = await eventually(inboundMedia, (m) => m?.content.media.status === 'FAILED', { timeoutMs: 15_000 });
    expect(failed).toMatchObject({ type: 'IMAGE', status: 'RECEIVED', text: 'my receipt' });
    expect(failed.content.media).toMatchObject({ status: 'FAILED', url: null, attempts: 2 });
    expect(failed.content.media.lastError).toBe(
      `The downloaded file does not match the SHA-256 announced by the webhook (expected ${wrong.toString('hex')}, got ${sha256Hex(bytes)}); it was not kept.`,
    );
    const mediaUuid = uuidOf(failed.content.media.id);
    const got = await fetchMedia(`/media/${mediaUuid}`, { cookie: session.cookie });
    expect([got.status, await got.json()]).toEqual([404, { error: 'media is not stored (yet)' }]);
    expect(existsSync(path.join(blobDir, 'tenants', tenantId, 'media', mediaUuid))).toBe(false);
  }, 30_000);

  it('downloads media whose job was never added (a process stopped right after commit): the sweep queues it once', async () => {
    // Ingest in this process, without what follows a commit: the media row is stored, its job is not.
    const bytes = new Uint8Array(sampleMedia('image', `orphan-${Date.now()}`));
    const held = sandbox.holdCustomerMedia({ phoneNumberId: DEV_TENANT.phoneNumberId, mimeType: 'image/jpeg', bytes });
    const body = devTenantBody(CUSTOMER, [imageMessage({ from: CUSTOMER, id: `wamid.orphan-${Date.now()}`, timestamp: now(), mediaId: held.id, mimeType: 'image/jpeg', sha256: held.sha256 })]);
    const app = connect(inject('appUrl'), { max: 2 });
    try {
      const { results, stats } = await ingestBatch(app, [{ id: 'q-orphan', body }]);
      expect(results).toEqual([{ id: 'q-orphan', status: 'committed' }]);
      expect(stats.media).toHaveLength(1);
      const jobs = () => owner()`select count(*)::int as count from graphile_worker._private_jobs`;
      expect(await jobs()).toEqual([{ count: 0 }]);

      const downloads = createDownloadQueue(app, { maxAttempts: 2, graceSeconds: 0 });
      expect(await downloads.sweep()).toBe(1);
      // Its job exists now (queued or running): sweeping again adds nothing.
      const again = await downloads.sweep();
      const stored = await eventually(inboundMedia, (m) => m?.content.media.status === 'STORED', { timeoutMs: 15_000 });
      expect(again).toBe(0);
      expect(stored.content.media).toMatchObject({ status: 'STORED', attempts: 1, sha256: sha256Hex(bytes) });
      // Stored media is not pending any more: nothing left for the sweep.
      expect(await downloads.sweep()).toBe(0);
      await downloads.close();
    } finally {
      await app.end();
    }
  }, 30_000);

  it('keeps one media row and one download for a message delivered several times', async () => {
    const { body } = await customerSendsImage();
    await ingest(api.url, [body, body]);
    await ingest(api.url, [body]);
    await eventually(inboundMedia, (m) => m?.content.media.status === 'STORED');
    const rows = await owner()`select status, attempts from media where tenant_id = ${tenantId}`;
    expect(rows).toEqual([{ status: 'stored', attempts: 1 }]);
    const jobs = await eventually(async () => (await owner()`select count(*)::int as count from graphile_worker._private_jobs`)[0]!.count, (count) => count === 0);
    expect(jobs).toBe(0);
    expect((await messages()).filter((m) => m.type === 'IMAGE')).toHaveLength(1);
  }, 30_000);
});

const UPLOAD = `mutation ($file: File!) { uploadMedia(file: $file) {
  __typename
  ... on MutationUploadMediaSuccess { media { id status url mimeType filename byteSize sha256 } }
  ... on ValidationError { code field message }
} }`;

async function upload(credentials: { cookie: string }, bytes: Uint8Array, type: string, name: string) {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: UPLOAD, variables: { file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { cookie: credentials.cookie, accept: 'application/graphql-response+json' }, body: form });
  const json = (await res.json()) as { data?: any; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return json.data.uploadMedia;
}

describe('sending an uploaded file', () => {
  it('uploads a document to our store, and the send job uploads it to Meta and sends it by media id', async () => {
    await desk.customerWrites(CUSTOMER, 'Can I have the invoice?');
    const conversation = await eventually(() => graphql(api.url, session, '{ conversations(first: 1) { edges { node { id } } } }'), (r) => r.data?.conversations.edges.length === 1);
    const conversationId = conversation.data.conversations.edges[0].node.id;

    const pdf = new Uint8Array(sampleMedia('document', 'invoice-42'));
    const uploaded = await upload(session, pdf, 'application/pdf', 'Invoice 42.pdf');
    expect(uploaded).toEqual({
      __typename: 'MutationUploadMediaSuccess',
      media: { id: expect.any(String), status: 'STORED', url: expect.stringMatching(/^\/media\/[0-9a-f-]{36}$/), mimeType: 'application/pdf', filename: 'Invoice 42.pdf', byteSize: pdf.length, sha256: sha256Hex(pdf) },
    });
    const mine = await fetchMedia(uploaded.media.url, { cookie: session.cookie });
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="Invoice 42.pdf"; filename*=UTF-8''Invoice%2042.pdf`);
    expect(new Uint8Array(await mine.arrayBuffer())).toEqual(pdf);

    const SEND = `mutation ($c: ID!, $u: ID!, $k: MediaKind!) { sendMedia(conversationId: $c, kind: $k, uploadedMediaId: $u, caption: "Your invoice") {
      __typename
      ... on MutationSendMediaSuccess { reply { id status type text content { ... on MediaContent { media { status url mimeType filename } } } } }
      ... on ValidationError { field message }
    } }`;
    const asImage = await graphql(api.url, session, SEND, { c: conversationId, u: uploaded.media.id, k: 'IMAGE' });
    expect(asImage.data.sendMedia).toEqual({ __typename: 'ValidationError', field: 'kind', message: 'The uploaded file (application/pdf) can only be sent as DOCUMENT.' });

    const sent = await graphql(api.url, session, SEND, { c: conversationId, u: uploaded.media.id, k: 'DOCUMENT' });
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendMedia).toMatchObject({
      __typename: 'MutationSendMediaSuccess',
      reply: { status: 'PENDING', type: 'DOCUMENT', text: 'Your invoice', content: { media: { status: 'STORED', mimeType: 'application/pdf', filename: 'Invoice 42.pdf' } } },
    });

    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted).toHaveLength(1);
    const document = (accepted[0]!.body as any).document;
    expect(accepted[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${CUSTOMER.waId}`,
      type: 'document',
      document: { id: expect.stringMatching(/^\d+$/), caption: 'Your invoice', filename: 'Invoice 42.pdf' },
    });
    // Meta got the very bytes, uploaded for the sending number.
    const atMeta = sandbox.heldMedia(document.id);
    expect(atMeta).toMatchObject({ phoneNumberId: DEV_TENANT.phoneNumberId, mimeType: 'application/pdf', sha256Hex: sha256Hex(pdf) });
    expect(new Uint8Array(atMeta.bytes)).toEqual(pdf);
    const [row] = await owner()`select meta_media_id from media where tenant_id = ${tenantId} and message_id is not null`;
    expect(row!.metaMediaId).toBe(document.id);

    // The sent message shows its file to whoever sees the conversation.
    const shown = (await messages()).find((m) => m.type === 'DOCUMENT');
    expect((await fetchMedia(shown.content.media.url, { cookie: session.cookie })).status).toBe(200);
  }, 30_000);

  it('refuses files WhatsApp would not take, and uploads of someone else', async () => {
    expect(await upload(session, new TextEncoder().encode('<html></html>'), 'text/html', 'page.html')).toEqual({
      __typename: 'ValidationError',
      code: 'INVALID_INPUT',
      field: 'file',
      message:
        'Files of type "text/html" cannot be sent on WhatsApp; it takes JPEG or PNG images, WebP stickers, MP4 or 3GPP videos, AAC, AMR, MP3, M4A or OGG audio, and PDF, text, Word, Excel or PowerPoint documents.',
    });
    expect(await upload(session, new Uint8Array(5 * 1024 * 1024 + 1), 'image/jpeg', 'huge.jpg')).toEqual({
      __typename: 'ValidationError',
      code: 'INVALID_INPUT',
      field: 'file',
      message: 'WhatsApp takes image files of at most 5 MB (5242880 bytes); this one has 5242881 bytes.',
    });

    const notMultipart = await graphql(api.url, session, UPLOAD, { file: 'aGVsbG8=' });
    expect(notMultipart.errors?.map((e) => e.message)).toEqual([
      'Variable "$file" got invalid value "aGVsbG8="; File must be sent as a multipart upload (GraphQL multipart request spec).',
    ]);

    const photo = await upload(session, sampleMedia('image', 'ana-upload'), 'image/jpeg', 'photo.jpg');
    const colleague = await seedUser(tenantId, { email: 'cy@acme.test' });
    const colleagueSession = await logIn(api.url, colleague.email, colleague.password);
    const seen = await graphql(api.url, colleagueSession, 'query ($id: ID!) { node(id: $id) { id } }', { id: photo.media.id });
    expect(seen.data.node).toBeNull();
    expect((await fetchMedia(photo.media.url, { cookie: colleagueSession.cookie })).status).toBe(404);
  }, 30_000);
});
