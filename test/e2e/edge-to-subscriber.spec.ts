// Meta → edge → queue → api → Postgres → graphql-ws, with every part real: the Worker under wrangler dev
// with local Queues, two api instances on one Postgres, a subscriber on the instance that did not ingest.
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textMessage } from '../meta-sandbox/payloads.ts';
import { signMetaBody } from '../meta-sandbox/sign.ts';
import { freePort } from '@switchboard/db/embedded';
import { loadFixture } from '../fixtures/webhooks/index.ts';
import { META_APP_SECRET, startEdge, type RunningEdge } from '../support/edge.ts';
import { metric, owner, resetDatabase, seedDevTenant, startApi, subscribe, type RunningApi } from '../support/stack.ts';
import { eventually } from '../support/eventually.ts';
import { devTenantBody } from '../support/webhooks.ts';

function customerText(i: number, body: string) {
  const from = { name: `Customer ${i}`, waId: `1650555${String(i).padStart(4, '0')}` };
  return devTenantBody(from, [textMessage({ from, id: `wamid.e2e.${i}.${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), body })]);
}

async function postWebhook(edgeUrl: string, body: string, signature = signMetaBody(META_APP_SECRET, body)) {
  return fetch(`${edgeUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
  });
}

const messageCount = async () => Number((await owner()`select count(*)::int as n from messages`)[0]!.n);

describe('edge to subscriber', () => {
  let ingestingApi: RunningApi;
  let servingApi: RunningApi;
  let edge: RunningEdge;
  let key: string;

  beforeAll(async () => {
    ingestingApi = await startApi();
    servingApi = await startApi();
    edge = await startEdge({ apiUrl: ingestingApi.url });
  });
  afterAll(async () => {
    await edge?.stop();
    await ingestingApi?.stop();
    await servingApi?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    ({ apiKey: key } = await seedDevTenant());
  });

  it('delivers a signed webhook posted to the edge to a graphql-ws subscriber on another api instance', async () => {
    const watcher = await subscribe(servingApi.wsUrl, key, 'subscription { messageChanged { text type conversation { contact { displayName } } } }');
    const res = await postWebhook(edge.url, loadFixture('multilingual'));
    expect(res.status).toBe(200);
    const events = await watcher.waitFor(4, 20_000);
    expect(events.map((e: any) => e.messageChanged.text).sort()).toEqual(
      ['مرحبا، طلبي رقم 48213 لم يصل بعد. هل يمكنكم التحقق؟', 'שלום, ההזמנה שלי 48213 עדיין לא הגיעה. אפשר לבדוק?', '😮🙏👍🏽❤️', '¿Cuándo llega mi pedido? Gracias — Lucía'].sort(),
    );
    await watcher.close();
  });

  it('answers 401 to forged or unsigned bodies and 413 to oversized ones, storing nothing', async () => {
    const body = loadFixture('text');
    expect((await postWebhook(edge.url, body, 'sha256=' + '0'.repeat(64))).status).toBe(401);
    expect((await postWebhook(edge.url, body, signMetaBody('another-secret', body))).status).toBe(401);
    const reserialised = JSON.stringify(JSON.parse(loadFixture('multilingual')));
    expect((await postWebhook(edge.url, reserialised, signMetaBody(META_APP_SECRET, loadFixture('multilingual')))).status).toBe(401);
    const unsigned = await fetch(`${edge.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    const huge = '{"object":"whatsapp_business_account","entry":[],"pad":"' + 'x'.repeat(3 * 1024 * 1024) + '"}';
    expect((await postWebhook(edge.url, huge)).status).toBe(413);
    // Good bodies sent afterwards arrive, and they alone: once the later of the two is stored, the
    // queue has delivered what was accepted before it, and nothing refused was ever accepted.
    expect((await postWebhook(edge.url, body)).status).toBe(200);
    const later = customerText(7, 'sent after the refused ones');
    expect((await postWebhook(edge.url, later)).status).toBe(200);
    expect(await eventually(messageCount, (n) => n >= 2, { timeoutMs: 30_000, everyMs: 200 })).toBe(2);
    expect((await owner()`select text from messages order by text`).map((m) => m.text)).toEqual([
      "Hi, my order #48213 hasn't arrived yet. Can you check?",
      'sent after the refused ones',
    ]);
    expect(await owner()`select count(*)::int as n from webhook_events`).toEqual([{ n: 2 }]);
    expect(await owner()`select count(*)::int as n from dead_letters`).toEqual([{ n: 0 }]);
  });

  it('carries a large body (over the 128 KB queue limit) through intact', async () => {
    const long = 'Hola, ' + 'ñ'.repeat(40_000) + ' 😮 fin';
    const big = customerText(9, long);
    expect(big.length).toBeGreaterThan(200_000);
    expect((await postWebhook(edge.url, big)).status).toBe(200);
    await eventually(messageCount, (n) => n >= 1, { timeoutMs: 30_000, everyMs: 200 });
    expect(await owner()`select text from messages`).toEqual([{ text: long }]);
  });
});

describe('api outage', () => {
  it('holds webhooks while the api is down and delivers every one, once, when it is back', async () => {
    await resetDatabase();
    await seedDevTenant();
    const port = await freePort();
    // The api's address is down: whatever connects there is cut off before an answer, like a process
    // that crashed. Counting those attempts shows the queue tried (and will retry) rather than guessing.
    let attempts = 0;
    const down = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => down.listen(port, '127.0.0.1', resolve));
    const edge = await startEdge({ apiUrl: `http://127.0.0.1:${port}` });
    let api: RunningApi | undefined;
    try {
      const bodies = Array.from({ length: 20 }, (_, i) => customerText(i, `message ${i} while the api is down`));
      for (const body of bodies) expect((await postWebhook(edge.url, body)).status).toBe(200);
      // Duplicates, as Meta sends them, must not double anything.
      for (const body of bodies.slice(0, 5)) expect((await postWebhook(edge.url, body)).status).toBe(200);
      expect(await eventually(async () => attempts, (n) => n >= 2, { timeoutMs: 30_000 })).toBeGreaterThanOrEqual(2);
      expect(await messageCount()).toBe(0);
      await new Promise<void>((resolve) => down.close(() => resolve()));
      api = await startApi({ port });
      const n = await eventually(messageCount, (count) => count >= 20, { timeoutMs: 45_000, everyMs: 200 });
      expect(n).toBe(20);
      // All 25 bodies have been delivered once the api has counted the five duplicates as such.
      const duplicates = await eventually(() => metric(api!.url, 'switchboard_ingest_duplicates_total'), (d) => d >= 5, { timeoutMs: 45_000, everyMs: 200 });
      expect(duplicates).toBeGreaterThanOrEqual(5);
      expect(await messageCount()).toBe(20);
      expect(await owner()`select count(*)::int as n from dead_letters`).toEqual([{ n: 0 }]);
    } finally {
      down.close();
      await edge.stop();
      await api?.stop();
    }
  }, 120_000);
});
