// "Logs carry ids, counts and reasons only — never message bodies or phone numbers": a whole journey
// through a real api process (node api/src/main.ts, its stdout and stderr captured), the Worker and the
// Meta sandbox — customers write through the edge (text, a place, a contact card, a photo and a document
// with captions, and a photo Meta no longer has, whose download fails), an agent signs in, listens on a
// socket, replies, statuses come back, a customer opts out, a send is refused, a sign-in fails, an admin
// adds a person, and a forged /ingest call full of personal data is refused — and then every text, name,
// phone number, BSUID and email the journey used is searched for in what the api printed, which must be
// JSON lines only (api/src/logging/logger.ts redacts by construction).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort } from '@switchboard/db/embedded';
import { metaStringify } from '../meta-sandbox/meta-json.ts';
import {
  contactEntry,
  contactsMessage,
  documentMessage,
  imageMessage,
  locationMessage,
  messagesChange,
  textMessage,
  webhookEnvelope,
  type InboundMessage,
  type Sender,
} from '../meta-sandbox/payloads.ts';
import { devAccessToken, type Sandbox } from '../meta-sandbox/server.ts';
import { signMetaBody } from '../meta-sandbox/sign.ts';
import { META_APP_SECRET, type RunningEdge } from '../support/edge.ts';
import { eventually } from '../support/eventually.ts';
import { startSandbox } from '../support/sandbox.ts';
import { DEV_TENANT, graphql, INGEST_SECRET, logIn, owner, resetDatabase, seedAccountToken, seedDepartment, seedDevTenant, seedUser, TEST_VAULT_KEY } from '../support/stack.ts';
import { waitForHttp } from '../support/wait-for-http.ts';
import { startWorkerdEdge } from '../support/workerd-edge.ts';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'api');

const LUCIA: Sender = { name: 'Lucía Fernández', waId: '34612345678', userId: 'US.55512345678901234567' };
const NOAH: Sender = { name: 'נועה כהן', waId: '972541234567' };
const WORDS = {
  luciaFirst: 'Mi pedido 48213 no ha llegado, vivo en Calle de Alcalá 42',
  noahFirst: 'שלום, איפה ההזמנה שלי?',
  reply: 'Su pedido sale hoy por mensajero, Lucía',
  refusedReply: 'Una oferta especial solo para usted',
  placeName: 'Casa de Lucía',
  address: 'Calle de Alcalá 42, 28014 Madrid',
  cardName: 'Oliver Twist',
  cardPhone: '+44 7700 900123',
  cardEmail: 'oliver.twist@example.co.uk',
  password: 'correct horse battery',
  guessedEmail: 'lucia.fernandez@example.com',
  guessedPassword: 'lucia-1987-madrid',
  photoCaption: 'Así llegó la caja, rota por un lado',
  documentCaption: 'Factura de Lucía',
  documentName: 'factura-lucia-fernandez.pdf',
  lostCaption: 'Otra foto del paquete dañado',
  newPersonName: 'Gonzalo Pérez',
  newPersonEmail: 'gonzalo.perez@acme.test',
  forgedText: 'Hola, soy Lucía y mi número es el 612 345 678',
};

/** A real api process; everything it writes to stdout and stderr is kept. */
interface ApiProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['src/main.ts'], {
    cwd: apiDir,
    env: { ...process.env, ...env, API_PORT: String(port), API_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, { alive: () => child.exitCode === null, timeoutMs: 60_000 });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function isJsonObject(line: string): boolean {
  try {
    const value = JSON.parse(line);
    return typeof value === 'object' && value !== null && typeof value.level === 'string' && typeof value.message === 'string';
  } catch {
    return false;
  }
}

function customerBody(from: Sender, messages: InboundMessage[]): string {
  return metaStringify(
    webhookEnvelope({
      wabaId: DEV_TENANT.wabaId,
      changes: [messagesChange({ phoneNumberId: DEV_TENANT.phoneNumberId, displayPhoneNumber: DEV_TENANT.displayPhoneNumber, contacts: [contactEntry(from)], messages })],
    }),
  );
}

describe('logs of a whole journey', () => {
  let api: ApiProcess;
  let edge: RunningEdge;
  let sandbox: Sandbox;
  let blobDir: string;
  let sequence = 0;

  beforeAll(async () => {
    blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-logs-journey-'));
    const sandboxPort = await freePort();
    api = await startApiProcess({
      APP_DATABASE_URL: inject('appUrl'),
      INGEST_SECRET,
      VAULT_KEY: TEST_VAULT_KEY,
      META_GRAPH_URL: `http://127.0.0.1:${sandboxPort}`,
      BLOB_STORE: 'local',
      BLOB_DIR: blobDir,
      INSTANCE_ID: 'logs-journey',
      DB_POOL_SIZE: '6',
      JOB_CONCURRENCY: '8',
      SOCKET_RECHECK_SECONDS: '1',
      // A download Meta answers with an error fails at once: the journey's error path.
      MEDIA_DOWNLOAD_ATTEMPTS: '1',
    });
    edge = await startWorkerdEdge({ apiUrl: api.url });
    sandbox = await startSandbox({ port: sandboxPort, edgeUrl: edge.url, statusWebhooks: 'ordered', statusDelayMs: [5, 20] });
  }, 120_000);
  afterAll(async () => {
    await edge?.stop();
    await api?.stop();
    await sandbox?.stop();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  async function customerWrites(from: Sender, messages: (id: string, timestamp: string) => InboundMessage[]) {
    const at = Math.floor(Date.now() / 1000);
    const body = customerBody(from, messages(`wamid.logs-journey-${++sequence}`, String(at)));
    const res = await fetch(`${edge.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(META_APP_SECRET, body) },
      body,
    });
    expect(res.status).toBe(200);
    sandbox.openWindow({ phoneNumberId: DEV_TENANT.phoneNumberId, waId: from.waId!, at: at * 1000 });
  }

  it('never prints a message text, name, phone number, BSUID, email or password', async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    await seedAccountToken(tenantId, devAccessToken);
    const ana = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', presence: 'online', password: WORDS.password });
    await seedDepartment(tenantId, { name: 'Support', isDefault: true, members: [ana.id] });

    // Ana signs in and listens on a socket, as the dashboard does.
    const session = await logIn(api.url, 'ana@acme.test', WORDS.password);
    const socket = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie: session.cookie } });
        }
      },
      retryAttempts: 0,
    });
    const heard: unknown[] = [];
    const stopListening = socket.subscribe({ query: 'subscription { conversationChanged { id contact { displayName waId } lastMessage { text } } }' }, {
      next: (value) => heard.push(value.data),
      error: () => {},
      complete: () => {},
    });

    // Customers write through the edge: text, a location, a contact card, in Spanish and Hebrew.
    await customerWrites(LUCIA, (id, timestamp) => [
      textMessage({ from: LUCIA, id, timestamp, body: WORDS.luciaFirst }),
      locationMessage({ from: LUCIA, id: `${id}-place`, timestamp, latitude: 40.4203, longitude: -3.6883, name: WORDS.placeName, address: WORDS.address }),
      contactsMessage({
        from: LUCIA,
        id: `${id}-card`,
        timestamp,
        cards: [{ name: { formatted_name: WORDS.cardName, first_name: 'Oliver' }, phones: [{ phone: WORDS.cardPhone, type: 'CELL' }], emails: [{ email: WORDS.cardEmail, type: 'WORK' }] }],
      }),
    ]);
    await customerWrites(NOAH, (id, timestamp) => [textMessage({ from: NOAH, id, timestamp, body: WORDS.noahFirst })]);

    // Media with captions and a file name; one photo Meta no longer has, so its download fails.
    const photo = sandbox.holdCustomerMedia({ phoneNumberId: DEV_TENANT.phoneNumberId, mimeType: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) });
    const invoice = sandbox.holdCustomerMedia({ phoneNumberId: DEV_TENANT.phoneNumberId, mimeType: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.4 Lucía') });
    await customerWrites(LUCIA, (id, timestamp) => [
      imageMessage({ from: LUCIA, id: `${id}-photo`, timestamp, mediaId: photo.id, mimeType: 'image/jpeg', sha256: photo.sha256, caption: WORDS.photoCaption }),
      documentMessage({ from: LUCIA, id: `${id}-invoice`, timestamp, mediaId: invoice.id, mimeType: 'application/pdf', sha256: invoice.sha256, filename: WORDS.documentName, caption: WORDS.documentCaption }),
      imageMessage({ from: LUCIA, id: `${id}-lost`, timestamp, mediaId: '9999999999999999', mimeType: 'image/jpeg', sha256: photo.sha256, caption: WORDS.lostCaption }),
    ]);
    const media = await eventually(
      async () => owner()<{ metaMediaId: string; status: string }[]>`select meta_media_id, status from media order by meta_media_id`,
      (rows) => rows.length === 3 && rows.every((r) => r.status !== 'pending'),
      { timeoutMs: 30_000 },
    );
    expect(Object.fromEntries(media.map((m) => [m.metaMediaId, m.status]))).toEqual({ [photo.id]: 'stored', [invoice.id]: 'stored', '9999999999999999': expect.stringMatching(/^(failed|unavailable)$/) });

    const inbox = async () =>
      (await graphql(api.url, session, '{ conversations(first: 10) { edges { node { id assignee { name } contact { waId } } } } }')).data?.conversations.edges.map((e: any) => e.node) ?? [];
    const assigned = await eventually(inbox, (list) => list.length === 2 && list.every((c: any) => c.assignee?.name === 'Ana'), { timeoutMs: 30_000 });
    expect(assigned.map((c: any) => c.contact.waId).sort()).toEqual([LUCIA.waId, NOAH.waId].sort());
    const lucia = assigned.find((c: any) => c.contact.waId === LUCIA.waId);
    expect(await eventually(async () => heard.length, (n) => n > 0, { timeoutMs: 10_000 })).toBeGreaterThan(0);

    // Ana replies; Meta accepts it and its statuses come back through the edge.
    const sent = await graphql(api.url, session, 'mutation ($c: ID!, $b: String!) { sendText(conversationId: $c, body: $b) { __typename ... on MutationSendTextSuccess { reply { id } } } }', { c: lucia.id, b: WORDS.reply });
    expect(sent.data?.sendText.__typename).toBe('MutationSendTextSuccess');
    const read = await eventually(async () => owner()`select status from messages where direction = 'outbound' and text = ${WORDS.reply}`, (rows) => rows[0]?.status === 'read', { timeoutMs: 30_000 });
    expect(read).toEqual([{ status: 'read' }]);

    // Lucía opts out; she is told so, and the next reply is refused.
    await customerWrites(LUCIA, (id, timestamp) => [textMessage({ from: LUCIA, id, timestamp, body: 'BAJA' })]);
    await eventually(async () => owner()`select opted_out from contacts where wa_id = ${LUCIA.waId!}`, (rows) => rows[0]?.optedOut === true, { timeoutMs: 30_000 });
    await eventually(async () => sandbox.messages().accepted.length, (n) => n === 2, { timeoutMs: 30_000 });
    const refused = await graphql(api.url, session, 'mutation ($c: ID!, $b: String!) { sendText(conversationId: $c, body: $b) { __typename ... on Error { code } } }', { c: lucia.id, b: WORDS.refusedReply });
    expect(refused.data?.sendText).toEqual({ __typename: 'SendRefusedError', code: 'CONTACT_OPTED_OUT' });

    // Someone guesses at the sign-in with a customer's address.
    const guess = await graphql(api.url, null, 'mutation ($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { __typename } }', { e: WORDS.guessedEmail, p: WORDS.guessedPassword });
    expect(guess.data?.logIn.__typename).toBe('InvalidCredentialsError');

    // An admin adds a person; someone forges a call to /ingest with a customer's words in it.
    const admin = await seedUser(tenantId, { email: 'boss@acme.test', name: 'Bea', role: 'admin', password: WORDS.password });
    const bossSession = await logIn(api.url, admin.email, WORDS.password);
    const added = await graphql(api.url, bossSession, 'mutation ($e: String!, $n: String!) { createUser(email: $e, name: $n, role: AGENT) { __typename } }', { e: WORDS.newPersonEmail, n: WORDS.newPersonName });
    expect(added.data?.createUser.__typename).toBe('MutationCreateUserSuccess');
    const forged = await fetch(`${api.url}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-signature': 't=1,v1=00' },
      body: JSON.stringify({ events: [{ id: 'forged', body: customerBody(LUCIA, [textMessage({ from: LUCIA, id: 'wamid.forged', timestamp: '1', body: WORDS.forgedText })]) }] }),
    });
    expect(forged.status).toBe(401);

    stopListening();
    await socket.dispose();
    await api.stop();

    const logs = api.output();
    // The capture works: the process said it was listening, as a JSON line; and it printed nothing but JSON lines.
    expect(logs).toContain('"message":"api listening"');
    expect(logs).toContain('"message":"ingest signature rejected"');
    expect(logs).toContain('"message":"media download failed"');
    const notJson = logs.split('\n').filter((line) => line.trim() !== '' && !isJsonObject(line));
    expect(notJson).toEqual([]);
    const secrets = [
      ...Object.values(WORDS),
      LUCIA.name, LUCIA.waId!, LUCIA.userId!, NOAH.name, NOAH.waId!,
      `+${LUCIA.waId}`, WORDS.cardPhone.replace(/\D/g, ''),
      'Lucía', 'Fernández', 'BAJA',
      'ana@acme.test', 'boss@acme.test',
      'Pérez', 'gonzalo',
      DEV_TENANT.displayPhoneNumber,
    ];
    // Each as typed, as Meta encodes it (non-ASCII as \uXXXX), and both as a JSON log line would quote them.
    const spellings = (secret: string) => {
      const metaEncoded = secret.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      return [secret, metaEncoded].flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
    };
    const found = secrets.filter((secret) => spellings(secret).some((spelling) => logs.includes(spelling)));
    expect(found, `the api printed:\n${logs}`).toEqual([]);
  }, 180_000);
});
