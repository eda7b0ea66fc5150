import { afterEach, describe, expect, it } from 'vitest';
import { simulatedCustomers } from './customer-pool.ts';
import type { MessagesChange, WebhookEnvelope } from './payloads.ts';
import { seededRandom } from './seeded-random.ts';
import { customerMessageKinds, startCustomerSimulator, type CustomerSimulator } from './simulator.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.test-support.ts';

const tenant = { appSecret: 'simulator-spec-secret', wabaId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' };
const fast = { firstRetryMs: 0, initialDelayMs: 5, factor: 2, maxDelayMs: 20, giveUpAfterMs: 60_000 };

let receiver: WebhookReceiver | undefined;
let simulator: CustomerSimulator | undefined;

afterEach(async () => {
  await simulator?.stop();
  await receiver?.close();
  simulator = undefined;
  receiver = undefined;
});

function start(options: { ratePerMinute?: number; seed?: number; duplicateRate?: number; log?: (line: string) => void } = {}): CustomerSimulator {
  if (!receiver) throw new Error('start the receiver first');
  simulator = startCustomerSimulator({
    ...tenant,
    edgeUrl: receiver.url,
    ratePerMinute: options.ratePerMinute ?? 0,
    random: seededRandom(options.seed ?? 1),
    duplicateRate: options.duplicateRate ?? 0,
    duplicateDelayMs: [5, 20],
    backoff: fast,
    log: options.log ?? (() => {}),
  });
  return simulator;
}

const parse = (raw: Buffer | string): WebhookEnvelope => JSON.parse(raw.toString()) as WebhookEnvelope;
const valueOf = (body: WebhookEnvelope): MessagesChange['value'] => (body.entry[0]?.changes[0] as MessagesChange).value;

describe('startCustomerSimulator', () => {
  describe('delivery like Meta', () => {
    it('retries after a 500 and delivers the identical signed bytes once accepted', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret, answer: (n) => (n === 1 ? 500 : 200) });
      const sent = start().sendOne('text');

      await expect(sent.delivery).resolves.toEqual({ status: 'accepted', attempts: 2 });
      const [first, second] = receiver.received;
      expect(receiver.received).toHaveLength(2);
      expect(first?.path).toBe('/webhooks/whatsapp');
      expect(first?.answeredWith).toBe(500);
      expect(second?.answeredWith).toBe(200);
      expect(first?.signatureValid).toBe(true);
      expect(second?.signatureValid).toBe(true);
      expect(second?.raw.equals(first?.raw as Buffer)).toBe(true);
      expect(second?.raw.toString('utf8')).toBe(sent.body);
      expect(valueOf(parse(sent.body)).messages?.[0]?.id).toBe(sent.wamid);
    });

    it('counts sent, accepted and failed attempts', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret, answer: (n) => (n === 1 ? 503 : 200) });
      const sim = start();
      await sim.sendOne('text').delivery;
      await sim.sendOne('image').delivery;
      expect(sim.status()).toEqual({ running: true, ratePerMinute: 0, sent: 2, duplicates: 0, accepted: 2, failed: 1, retrying: 0, dropped: 0, pending: 0 });
    });

    it('re-sends the same body as a Meta duplicate', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret });
      const sim = start({ duplicateRate: 1 });
      const sent = sim.sendOne('text');
      await receiver.waitForCount(2);
      expect(receiver.received.map((r) => r.raw.toString())).toEqual([sent.body, sent.body]);
      expect(sim.status()).toMatchObject({ sent: 2, duplicates: 1 });
    });
  });

  describe('bodies', () => {
    it('are Meta-encoded: ASCII only, slashes escaped, for the configured tenant', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret });
      const sim = start({ seed: 5 });
      const bodies = Array.from({ length: 60 }, () => sim.sendOne().body);
      for (const body of bodies) {
        expect(body).toMatch(/^[\x20-\x7e]+$/);
        expect(body).not.toMatch(/(?<!\\)\//);
        const parsed = parse(body);
        expect(parsed.object).toBe('whatsapp_business_account');
        expect(parsed.entry[0]?.id).toBe(tenant.wabaId);
        expect(valueOf(parsed).metadata).toEqual({ display_phone_number: tenant.displayPhoneNumber, phone_number_id: tenant.phoneNumberId });
      }
      expect(bodies.some((body) => /\\u0[5-6]/.test(body))).toBe(true);
    });

    it('produce every kind with its Meta type', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret });
      const sim = start();
      const expectedType = {
        text: 'text',
        reply: 'text',
        image: 'image',
        voice: 'audio',
        document: 'document',
        location: 'location',
        reaction: 'reaction',
        button_reply: 'interactive',
        list_reply: 'interactive',
        video: 'video',
        sticker: 'sticker',
      } as const;
      for (const kind of customerMessageKinds) {
        const message = valueOf(parse(sim.sendOne(kind).body)).messages?.[0];
        expect(message?.type).toBe(expectedType[kind]);
        if (kind === 'reply' || kind === 'button_reply' || kind === 'list_reply') expect(message?.context).toMatchObject({ id: expect.stringMatching(/^wamid\./) });
        if (kind === 'voice') expect(message).toMatchObject({ audio: { voice: true, mime_type: 'audio/ogg; codecs=opus' } });
      }
    });

    it('point replies at an earlier message the business sent when one is known', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret });
      const sim = start({ seed: 9 });
      for (const customer of simulatedCustomers) sim.rememberBusinessMessage({ wamid: `wamid.BIZ-${customer.name}`, recipient: customer.userId ?? '' });
      const quoted = Array.from({ length: 30 }, () => valueOf(parse(sim.sendOne('reply').body)).messages?.[0]?.context);
      expect(quoted.some((c) => c && 'id' in c && c.id.startsWith('wamid.BIZ-') && c.from === tenant.displayPhoneNumber)).toBe(true);
    });

    it('sends BSUID-only customers without from and with from_user_id', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret });
      const sim = start({ seed: 3 });
      const values = Array.from({ length: 80 }, () => valueOf(parse(sim.sendOne('text').body)));
      const bsuidOnly = values.filter((v) => v.contacts?.[0]?.wa_id === undefined);
      expect(bsuidOnly.length).toBeGreaterThan(0);
      for (const value of bsuidOnly) {
        expect(value.messages?.[0]).not.toHaveProperty('from');
        expect(value.messages?.[0]?.from_user_id).toBe(value.contacts?.[0]?.user_id);
      }
    });

    it('give each message a unique wamid and the same seed the same stream', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret });
      const a = start({ seed: 21 });
      const first = Array.from({ length: 40 }, () => a.sendOne());
      await a.stop();
      const b = start({ seed: 21 });
      const again = Array.from({ length: 40 }, () => b.sendOne());
      expect(new Set(first.map((m) => m.wamid)).size).toBe(40);
      expect(again.map((m) => m.wamid)).toEqual(first.map((m) => m.wamid));
    });
  });

  describe('stream', () => {
    it('sends on its own at the configured rate, and pause stops it', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret });
      const sim = start({ ratePerMinute: 6_000 });
      await receiver.waitForCount(5);
      sim.pause();
      expect(sim.status().running).toBe(false);
      // Paused, nothing is scheduled any more: once what was sent has arrived, nothing else will.
      await expect.poll(() => sim.status().pending).toBe(0);
      const settled = receiver.received.length;
      expect(settled).toBe(sim.status().sent);
      sim.resume();
      await receiver.waitForCount(settled + 3);
    });
  });

  describe('logs', () => {
    it('never carry message text or full phone numbers', async () => {
      receiver = await startWebhookReceiver({ appSecret: tenant.appSecret, answer: (n) => (n % 2 === 1 ? 500 : 200) });
      const lines: string[] = [];
      const sim = start({ seed: 4, log: (line) => lines.push(line) });
      const sent = Array.from({ length: 12 }, () => sim.sendOne('text'));
      await Promise.all(sent.map((m) => m.delivery));
      expect(lines.length).toBeGreaterThan(0);
      const logged = lines.join('\n');
      for (const message of sent) {
        const value = valueOf(parse(message.body));
        const text = value.messages?.[0]?.type === 'text' ? value.messages[0].text.body : '';
        expect(logged).not.toContain(text);
        expect(logged).not.toContain(message.wamid);
        const waId = value.contacts?.[0]?.wa_id;
        if (waId) expect(logged).not.toContain(waId);
      }
    });
  });
});
