import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.test-support.ts';
import { createWebhookDeliverer, metaLikeBackoff, retryDelay, type AttemptReport, type Backoff } from './webhook-delivery.ts';

const appSecret = 'delivery-spec-secret';
const fast: Backoff = { firstRetryMs: 0, initialDelayMs: 5, factor: 2, maxDelayMs: 20, giveUpAfterMs: 60_000 };
let receiver: WebhookReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('createWebhookDeliverer', () => {
  describe('success is exactly 200', () => {
    it('accepts on the first 200 and sends Meta headers', async () => {
      receiver = await startWebhookReceiver({ appSecret });
      const deliverer = createWebhookDeliverer({ url: `${receiver.url}/webhooks/whatsapp`, appSecret, backoff: fast });
      await expect(deliverer.deliver('{"a":1}')).resolves.toEqual({ status: 'accepted', attempts: 1 });
      const [request] = receiver.received;
      expect(request?.headers['content-type']).toBe('application/json');
      expect(request?.headers['user-agent']).toBe('facebookexternalua');
      expect(request?.signatureValid).toBe(true);
      expect(deliverer.stats()).toEqual({ accepted: 1, failedAttempts: 0, retrying: 0, inFlight: 0, dropped: 0 });
    });

    it('retries 202, 204 and 500 until a 200, resending identical bytes', async () => {
      const answers = [202, 204, 500, 200];
      receiver = await startWebhookReceiver({ appSecret, answer: (n) => answers[n - 1] ?? 200 });
      const deliverer = createWebhookDeliverer({ url: receiver.url, appSecret, backoff: fast });
      const reports: AttemptReport[] = [];
      const body = '{"t":"caf\\u00e9 \\ud83d\\ude2e"}';
      await expect(deliverer.deliver(body, (r) => reports.push(r))).resolves.toEqual({ status: 'accepted', attempts: 4 });
      expect(receiver.received.map((r) => r.raw.toString('utf8'))).toEqual([body, body, body, body]);
      expect(new Set(receiver.received.map((r) => r.headers['x-hub-signature-256'])).size).toBe(1);
      expect(reports).toEqual([
        { attempt: 1, result: 202, willRetryInMs: 0 },
        { attempt: 2, result: 204, willRetryInMs: 5 },
        { attempt: 3, result: 500, willRetryInMs: 10 },
        { attempt: 4, result: 200 },
      ]);
    });
  });

  describe('unreachable endpoint', () => {
    it('retries refused connections and drops the body after the give-up age', async () => {
      const closed = await startWebhookReceiver({ appSecret });
      await closed.close();
      let clock = 0;
      const deliverer = createWebhookDeliverer({
        url: `${closed.url}/webhooks/whatsapp`,
        appSecret,
        backoff: { ...fast, giveUpAfterMs: 30 },
        now: () => (clock += 10),
      });
      const outcome = await deliverer.deliver('{}');
      expect(outcome.status).toBe('dropped');
      expect(outcome).toMatchObject({ lastFailure: 'ECONNREFUSED' });
      expect(deliverer.stats().dropped).toBe(1);
    });
  });

  describe('stop', () => {
    it('cancels pending retries', async () => {
      receiver = await startWebhookReceiver({ appSecret, answer: () => 503 });
      const deliverer = createWebhookDeliverer({ url: receiver.url, appSecret, backoff: { ...fast, initialDelayMs: 60_000, maxDelayMs: 60_000 } });
      const outcome = deliverer.deliver('{}');
      await receiver.waitForCount(2);
      await deliverer.stop();
      await expect(outcome).resolves.toEqual({ status: 'cancelled', attempts: 2 });
    });
  });

  describe('retryDelay', () => {
    it('retries at once, then backs off exponentially up to the cap', () => {
      expect([1, 2, 3, 4, 10, 20].map((n) => retryDelay(metaLikeBackoff, n))).toEqual([0, 1_000, 2_000, 4_000, 60_000, 60_000]);
    });
  });
});
