import { afterEach, describe, expect, it } from 'vitest';
import type { MessagesChange, WebhookEnvelope } from './payloads.ts';
import { seededRandom } from './seeded-random.ts';
import { buildSandbox, type Sandbox } from './server.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.test-support.ts';

const tenant = { appSecret: 'server-spec-secret', wabaId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' };

let edge: WebhookReceiver | undefined;
let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.stop();
  await edge?.close();
  sandbox = undefined;
  edge = undefined;
});

async function startSandbox(ratePerMinute = 0): Promise<string> {
  edge = await startWebhookReceiver({ appSecret: tenant.appSecret });
  sandbox = buildSandbox({ ...tenant, port: 0, edgeUrl: edge.url, ratePerMinute, random: seededRandom(1), log: () => {} });
  const { url } = await sandbox.start();
  return url;
}

const post = (url: string, body?: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe('buildSandbox', () => {
  describe('GET /healthz', () => {
    it('answers 200', async () => {
      const url = await startSandbox();
      const response = await fetch(`${url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    });
  });

  describe('GET /', () => {
    it('reports the simulator and its counts', async () => {
      const url = await startSandbox();
      expect(await (await fetch(url)).json()).toEqual({
        service: 'meta-sandbox',
        wabaId: tenant.wabaId,
        phoneNumberId: tenant.phoneNumberId,
        webhookUrl: `${edge?.url}/webhooks/whatsapp`,
        simulator: { running: true, ratePerMinute: 0, sent: 0, duplicates: 0, accepted: 0, failed: 0, retrying: 0, dropped: 0, pending: 0 },
      });
    });
  });

  describe('POST /simulator/messages', () => {
    it('sends one signed customer message of the asked kind and returns its wamid', async () => {
      const url = await startSandbox();
      const response = await post(`${url}/simulator/messages`, { kind: 'location' });
      expect(response.status).toBe(202);
      const { wamid, kind } = (await response.json()) as { wamid: string; kind: string };
      expect(kind).toBe('location');
      await edge?.waitForCount(1);
      const received = edge?.received[0];
      expect(received?.signatureValid).toBe(true);
      const body = JSON.parse(received?.raw.toString() ?? '') as WebhookEnvelope;
      const message = (body.entry[0]?.changes[0] as MessagesChange).value.messages?.[0];
      expect(message?.id).toBe(wamid);
      expect(message?.type).toBe('location');
    });

    it('picks a kind itself when none is given, even with an empty body', async () => {
      const url = await startSandbox();
      const response = await post(`${url}/simulator/messages`);
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ wamid: expect.stringMatching(/^wamid\.HBg/) });
    });

    it('rejects an unknown kind', async () => {
      const url = await startSandbox();
      const response = await post(`${url}/simulator/messages`, { kind: 'carrier-pigeon' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('kind must be one of text') } });
    });

    it('rejects malformed JSON', async () => {
      const url = await startSandbox();
      const response = await fetch(`${url}/simulator/messages`, { method: 'POST', body: '{nope' });
      expect(response.status).toBe(400);
    });
  });

  describe('POST /simulator/pause and /resume', () => {
    it('stop and restart the stream', async () => {
      const url = await startSandbox(6_000);
      await edge?.waitForCount(2);
      expect(await (await post(`${url}/simulator/pause`)).json()).toEqual({ running: false });
      expect(((await (await fetch(url)).json()) as { simulator: { running: boolean } }).simulator.running).toBe(false);
      expect(await (await post(`${url}/simulator/resume`)).json()).toEqual({ running: true });
    });
  });

  describe('unknown routes', () => {
    it('answer 404 for unknown paths and 405 for wrong methods', async () => {
      const url = await startSandbox();
      expect((await fetch(`${url}/nope`)).status).toBe(404);
      const wrongMethod = await fetch(`${url}/simulator/pause`);
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST');
    });
  });

  describe('lifecycle', () => {
    it('stops cleanly and frees the port', async () => {
      const url = await startSandbox();
      await sandbox?.stop();
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    });
  });
});
