// What /ingest and /ingest/dead-letters read: at most 16 MiB (what the edge can send, with a margin),
// refused with 413 past it without reading further; the HMAC is checked as the body streams; and the
// listener of its own that keeps both off the public port.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_INGEST_BYTES } from '@switchboard/api/http/ingest-route';
import { SIGNED_PREFIX_BYTES, signIngest } from '@switchboard/api/ingest/ingest-signature';
import { ingest, INGEST_SECRET, owner, resetDatabase, startApi, type RunningApi } from '../support/stack.ts';
import { postStreaming } from '../support/streamed-post.ts';

const MiB = 1024 * 1024;
const PATHS = ['/ingest', '/ingest/dead-letters'] as const;
const prefix = '{"events":[{"id":"1","body":"';
/** A fresh, well-formed signature header: only reading the body could show that it does not match. */
const forgedHeader = () => ({ 'x-switchboard-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)},p1=${'0'.repeat(64)}` });
const deadLetterCount = async () => (await owner()<{ n: number }[]>`select count(*)::int as n from dead_letters`)[0]!.n;

describe('the ingest body cap', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.stop());
  beforeEach(() => resetDatabase());

  it('is 16 MiB', () => {
    expect(MAX_INGEST_BYTES).toBe(16 * MiB);
  });

  for (const path of PATHS) {
    describe(path, () => {
      it('answers 413 to a body that announces more than the cap, without reading it, and closes the connection', async () => {
        const answer = await postStreaming(`${api.url}${path}`, { headers: forgedHeader(), prefix, fillBytes: 64 * MiB, contentLength: prefix.length + 64 * MiB });
        expect([answer.status, JSON.parse(answer.body), answer.closed]).toEqual([413, { error: `batch too large: the limit is ${16 * MiB} bytes` }, true]);
        // What the sockets' buffers took before the answer came back; the body was never read.
        expect(answer.sentBeforeAnswer).toBeLessThan(MAX_INGEST_BYTES);
        expect(await deadLetterCount()).toBe(0);
      });

      it('cuts a streamed (chunked) body off at the cap with 413, reading no further, and closes the connection', async () => {
        // Its first 64 KiB are the edge's (p1 matches), so only the cap stops it.
        const signedStart = { 'x-switchboard-signature': signIngest(INGEST_SECRET, prefix + '\0'.repeat(SIGNED_PREFIX_BYTES)) };
        const answer = await postStreaming(`${api.url}${path}`, { headers: signedStart, prefix, fillBytes: 64 * MiB });
        expect([answer.status, JSON.parse(answer.body), answer.closed]).toEqual([413, { error: `batch too large: the limit is ${16 * MiB} bytes` }, true]);
        expect(answer.sentBeforeAnswer).toBeLessThan(MAX_INGEST_BYTES + 16 * MiB);
        expect(await deadLetterCount()).toBe(0);
      });

      it('refuses a forged body once its first 64 KiB have arrived, with 401, reading no further, storing nothing', async () => {
        const answer = await postStreaming(`${api.url}${path}`, { headers: forgedHeader(), prefix, fillBytes: MAX_INGEST_BYTES - prefix.length });
        expect([answer.status, JSON.parse(answer.body), answer.closed]).toEqual([401, { error: 'signature mismatch' }, true]);
        // Not held whole: answered long before the body's 16 MiB were sent (what was sent by then sits
        // in the sockets' buffers, unread).
        expect(answer.sentBeforeAnswer).toBeLessThan(8 * MiB);
        expect(await deadLetterCount()).toBe(0);
      });

      it('refuses a signed first 64 KiB followed by a tail the edge did not sign, with 401 when the body ends, storing nothing', async () => {
        const signed = prefix + 'a'.repeat(128 * 1024) + '"}]}';
        const forged = Buffer.from(signed.slice(0, SIGNED_PREFIX_BYTES) + 'b'.repeat(signed.length - SIGNED_PREFIX_BYTES));
        const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchboard-signature': signIngest(INGEST_SECRET, signed) }, body: forged });
        expect([res.status, await res.json()]).toEqual([401, { error: 'signature mismatch' }]);
        expect(await deadLetterCount()).toBe(0);
      });
    });
  }

  it("accepts the largest batch the edge can send: 4 MiB of characters that take 3 bytes each, signed as they stream", async () => {
    // edge/src/forward-batch.ts: a request carries bodies of at most MAX_INGEST_REQUEST_BYTES (4 MiB)
    // characters together. Four bodies of 1 MiB characters each, every character 3 bytes in UTF-8:
    // 12 MiB on the wire, hashed chunk by chunk with characters split across chunks.
    const note = '中'.repeat(MiB - 64);
    const bodies = Array.from({ length: 4 }, (_, i) => `{"object":"page","entry":[],"n":${i},"note":"${note}"}`);
    const payload = JSON.stringify({ events: bodies.map((body, i) => ({ id: `big-${i}`, body, receivedAt: new Date().toISOString(), attempts: 1 })) });
    expect(Buffer.byteLength(payload)).toBeGreaterThan(12 * MiB - 4096);
    const res = await fetch(`${api.url}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-signature': signIngest(INGEST_SECRET, payload) },
      body: payload,
    });
    expect([res.status, ((await res.json()) as { results: { status: string }[] }).results.map((r) => r.status)]).toEqual([200, ['committed', 'committed', 'committed', 'committed']]);
    // Not WhatsApp's: kept whole for a person to look at.
    const stored = await owner()<{ n: number; bytes: number }[]>`select count(*)::int as n, sum(octet_length(body))::int as bytes from dead_letters`;
    expect(stored).toEqual([{ n: 4, bytes: bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) }]);
  });
});

describe('the ingest listener of its own (INGEST_PORT)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ ingestListener: { port: 0, host: '127.0.0.1' } });
  });
  afterAll(() => api?.stop());
  beforeEach(() => resetDatabase());

  it('serves /ingest and /ingest/dead-letters there', async () => {
    expect(api.ingestUrl).not.toBe(api.url);
    const webhooks = await ingest(api.ingestUrl, ['{"object":"page","entry":[],"n":1}']);
    const deadLetters = await ingest(api.ingestUrl, ['{"object":"page","entry":[],"n":2}'], { path: '/ingest/dead-letters' });
    expect([webhooks.status, webhooks.results.map((r) => r.status), deadLetters.status, deadLetters.results.map((r) => r.status)]).toEqual([200, ['committed'], 200, ['committed']]);
    expect(await deadLetterCount()).toBe(2);
  });

  it('answers 404 for /ingest on the public listener, even to a correctly signed batch', async () => {
    for (const path of PATHS) {
      const answer = await ingest(api.url, ['{"object":"page","entry":[]}'], { path });
      expect([path, answer.status]).toEqual([path, 404]);
    }
    expect(await deadLetterCount()).toBe(0);
  });

  it('serves nothing else there but /healthz', async () => {
    const status = async (url: string) => (await fetch(url)).status;
    expect({
      healthz: await status(`${api.ingestUrl}/healthz`),
      graphql: await status(`${api.ingestUrl}/graphql?query=%7B__typename%7D`),
      readyz: await status(`${api.ingestUrl}/readyz`),
      metrics: await status(`${api.ingestUrl}/metrics`),
      publicGraphql: await status(`${api.url}/graphql?query=%7B__typename%7D`),
    }).toEqual({ healthz: 200, graphql: 404, readyz: 404, metrics: 404, publicGraphql: 200 });
  });
});
