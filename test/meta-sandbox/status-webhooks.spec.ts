import { afterEach, describe, expect, it } from 'vitest';
import { customerWindowMs } from './customer-windows.ts';
import { dev, eventually, sheena, startHarness, startOfTest, text, type Harness } from './graph-harness.test-support.ts';
import type { MessagesChange } from './payloads.ts';
import { seededRandom } from './seeded-random.ts';
import { planStatuses } from './status-webhooks.ts';

let h: Harness;
afterEach(() => h.stop());

const seconds = String(startOfTest / 1_000);
const conversation = { id: expect.stringMatching(/^[0-9a-f]{32}$/), origin: { type: 'service' } };
const freeService = { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' };

describe('status webhooks', () => {
  describe('inside the customer service window', () => {
    it('posts sent, delivered and read, signed, in Meta’s shape', async () => {
      h = await startHarness();
      h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId, userId: sheena.userId });
      const { json } = await h.send(text(sheena.waId));
      const wamid = json.messages[0].id;
      await h.edge.waitForCount(3);

      expect(h.edge.received.every((r) => r.signatureValid && r.path === '/webhooks/whatsapp')).toBe(true);
      expect(h.bodies()[0]).toEqual({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: dev.wabaId,
            changes: [
              {
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: dev.displayPhoneNumber, phone_number_id: dev.phoneNumberId },
                  statuses: [
                    {
                      id: wamid,
                      status: 'sent',
                      timestamp: seconds,
                      recipient_id: sheena.waId,
                      recipient_user_id: sheena.userId,
                      conversation: { ...conversation, expiration_timestamp: String(startOfTest / 1_000 + 86_400) },
                      pricing: freeService,
                    },
                  ],
                },
                field: 'messages',
              },
            ],
          },
        ],
      });
      expect(h.statuses().slice(1)).toEqual([
        { id: wamid, status: 'delivered', timestamp: seconds, recipient_id: sheena.waId, recipient_user_id: sheena.userId, conversation, pricing: freeService },
        { id: wamid, status: 'read', timestamp: seconds, recipient_id: sheena.waId, recipient_user_id: sheena.userId, conversation, pricing: freeService },
      ]);
    });

    it('gives a BSUID-only customer an empty recipient_id and the recipient_user_id', async () => {
      h = await startHarness();
      const ana = 'BR.40192837465019283745'; // has a username: Meta withholds her number
      h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, userId: ana });
      await h.send({ messaging_product: 'whatsapp', recipient: ana, type: 'text', text: { body: 'Olá' } });
      await h.edge.waitForCount(3);
      expect(h.statuses().map((s) => [s.status, s.recipient_id, s.recipient_user_id])).toEqual([
        ['sent', '', ana],
        ['delivered', '', ana],
        ['read', '', ana],
      ]);
    });

    it('is opened by the customer simulator’s inbound messages', async () => {
      h = await startHarness();
      await fetch(`${h.url}/simulator/messages`, { method: 'POST', body: JSON.stringify({ kind: 'text' }) });
      await h.edge.waitForCount(1);
      const contact = (h.bodies()[0]?.entry[0]?.changes[0] as MessagesChange).value.contacts?.[0];
      const to = contact?.wa_id === undefined ? { recipient: contact?.user_id } : { to: contact.wa_id };
      await h.send({ messaging_product: 'whatsapp', ...to, type: 'text', text: { body: 'We are on it' } });
      await h.edge.waitForCount(4);
      expect(h.statuses().map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    });
  });

  describe('outside the window', () => {
    it('accepts a free-form message, then posts failed with 131047', async () => {
      h = await startHarness();
      const response = await h.send(text(sheena.waId));
      expect(response.status).toBe(200);
      await h.edge.waitForCount(1);
      await eventually(() => h.sandbox.pendingWebhooks() === 0, 'nothing left to post');
      expect(h.statuses()).toEqual([
        {
          id: response.json.messages[0].id,
          status: 'failed',
          timestamp: seconds,
          recipient_id: sheena.waId,
          recipient_user_id: sheena.userId,
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              message: 'Re-engagement message',
              error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ],
        },
      ]);
    });

    it('closes exactly 24 hours after the customer’s last message', async () => {
      h = await startHarness();
      h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId, at: startOfTest - customerWindowMs + 1 });
      await h.send(text(sheena.waId));
      await h.edge.waitForCount(3);
      h.clock.advance(1);
      await h.send(text(sheena.waId));
      await h.edge.waitForCount(4);
      expect(h.statuses().map((s) => s.status)).toEqual(['sent', 'delivered', 'read', 'failed']);
    });

    it('delivers templates, billed per message by category', async () => {
      h = await startHarness();
      await h.send({
        messaging_product: 'whatsapp',
        to: sheena.waId,
        type: 'template',
        template: {
          name: 'welcome_offer',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Sheena' }, { type: 'text', parameter_name: 'discount', text: '15%' }] }],
        },
      });
      await h.edge.waitForCount(3);
      expect(h.statuses().map((s) => [s.status, s.conversation?.origin.type, s.pricing])).toEqual(
        ['sent', 'delivered', 'read'].map((status) => [status, 'marketing', { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' }]),
      );
    });
  });

  describe('modes', () => {
    it('posts nothing when off', async () => {
      h = await startHarness({ statusWebhooks: 'off' });
      h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId });
      await h.send(text(sheena.waId));
      await h.send(text('4915205550123'));
      await eventually(() => h.sandbox.pendingWebhooks() === 0, 'nothing left to post');
      expect(h.edge.received).toEqual([]);
    });

    it('in realistic mode sometimes posts `sent` before the send call returns, and always ends read', async () => {
      h = await startHarness({ statusWebhooks: 'realistic' });
      h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId });
      let earlyCount = 0;
      const wamids: string[] = [];
      for (let i = 0; i < 24; i++) {
        const { json } = await h.send(text(sheena.waId));
        const wamid = json.messages[0].id as string;
        wamids.push(wamid);
        if (h.statuses().some((s) => s.id === wamid && s.status === 'sent')) earlyCount++;
      }
      expect(earlyCount).toBeGreaterThan(0);
      expect(earlyCount).toBeLessThan(24);
      await eventually(() => wamids.every((w) => h.statuses().some((s) => s.id === w && s.status === 'read')), 'every message read');
    });
  });
});

describe('planStatuses', () => {
  it('plans sent, delivered, read in order when ordered', () => {
    expect(planStatuses('delivered', 'ordered', seededRandom(1), [10, 10])).toEqual([
      { status: 'sent', postAfterMs: 10, happenedAfterMs: 10, beforeResponse: false },
      { status: 'delivered', postAfterMs: 20, happenedAfterMs: 20, beforeResponse: false },
      { status: 'read', postAfterMs: 30, happenedAfterMs: 30, beforeResponse: false },
    ]);
    expect(planStatuses('failed', 'ordered', seededRandom(1), [10, 10])).toEqual([{ status: 'failed', postAfterMs: 10, happenedAfterMs: 10, beforeResponse: false }]);
  });

  it('in realistic mode skips delivered, duplicates and reorders, keeping timestamps in true order', () => {
    const random = seededRandom(42);
    const plans = Array.from({ length: 400 }, () => planStatuses('delivered', 'realistic', random, [10, 100]));
    const order = { sent: 0, delivered: 1, read: 2, played: 3, failed: 4 };
    let skipped = 0;
    let duplicated = 0;
    let reordered = 0;
    let early = 0;
    for (const plan of plans) {
      const names = plan.map((p) => p.status);
      if (!names.includes('delivered')) skipped++;
      if (new Set(names).size < names.length) duplicated++;
      const byTime = [...new Set(plan.map((p) => p.status))];
      if (byTime.some((s, i) => i > 0 && order[s] < order[byTime[i - 1] as keyof typeof order])) reordered++;
      if (plan[0]?.beforeResponse) early++;
      expect(names).toContain('sent');
      expect(names).toContain('read');
      const happened = Object.fromEntries(plan.map((p) => [p.status, p.happenedAfterMs]));
      expect(happened.sent).toBeLessThanOrEqual(happened.read as number);
      expect(plan.filter((p) => p.beforeResponse).every((p) => p.status === 'sent' && p.postAfterMs === 0)).toBe(true);
    }
    expect([skipped, duplicated, reordered, early].every((n) => n > 0 && n < 200)).toBe(true);
  });
});
