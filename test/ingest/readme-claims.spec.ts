// What the README promises about ingest that no other journey showed: every status fixture applied,
// `failed` terminal, a pending conversation reopened by the customer, opt-outs kept through a BSUID
// merge, and raw webhook copies purged by the api itself after RAW_WEBHOOK_RETENTION_DAYS.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { insertOutboundMessage } from '@switchboard/api/messaging/message-repository';
import { connect } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { loadFixture, webhookFixtures } from '../fixtures/webhooks/index.ts';
import type { WebhookFixtureName } from '../fixtures/webhooks/fixture-catalog.ts';
import { textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { eventually } from '../support/eventually.ts';
import { ingest, owner, resetDatabase, seedDevTenant, startApi, type RunningApi } from '../support/stack.ts';
import { devTenantBody } from '../support/webhooks.ts';

type Status = { id: string; status: string; timestamp: string };
const statusesOf = (body: string): Status[] =>
  JSON.parse(body).entry.flatMap((e: any) => e.changes.flatMap((c: any) => c.value.statuses ?? []));

/** Where each status fixture must leave its messages (sent < delivered < read < played; failed terminal). */
const EXPECTED: Record<string, Record<string, string>> = {
  'status-sent': { 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4NTY0QzI5QjVGMzUzMzI5NkEA': 'sent' },
  'status-delivered': { 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4NTY0QzI5QjVGMzUzMzI5NkEA': 'delivered' },
  'status-read': { 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4NTY0QzI5QjVGMzUzMzI5NkEA': 'read' },
  'status-played': { 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI0N0IzQkU5MzBFQ0Y3NDIyMzUA': 'played' },
  'status-failed': { 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1OTIxMjZFMzcwOTQyNTk2Q0IA': 'failed' },
  'status-bsuid-recipient': { 'wamid.HBgXVVMuOTM3Mzc5NTc3OTY0NDE4ODI1MDMVAgARGBI0NzlGQjk5Q0NERDkyMUEwMEMA': 'delivered' },
  'batch-mixed': {
    'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4NTY0QzI5QjVGMzUzMzI5NkEA': 'delivered',
    'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCODA0OUQ1OUVFQkREOUY3OTcA': 'read',
    'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4Njc5RUUwNTEzNzQxMThCMzIA': 'read',
  },
  'statuses-out-of-order': {
    'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4NTY0QzI5QjVGMzUzMzI5NkEA': 'read',
    'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCODA0OUQ1OUVFQkREOUY3OTcA': 'read',
  },
};
const statusFixtures = webhookFixtures.filter((f) => statusesOf(loadFixture(f.name)).length > 0).map((f) => f.name);

const SHEENA: Sender = { name: 'Sheena Nelson', waId: '16505551234', userId: 'US.13491208655302741918' };
const now = () => String(Math.floor(Date.now() / 1000));
const customerSays = (from: Sender, id: string, body: string) => devTenantBody(from, [textMessage({ from, id, timestamp: now(), body })]);

describe('README claims about ingest', () => {
  let api: RunningApi;
  let tenantId: string;

  beforeAll(async () => {
    // Sends (the STOP confirmation) are not what these claims are about; no job worker runs.
    api = await startApi({ runJobs: false });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
  });

  /** An outbound message with `wamid` in the conversation of whoever wrote `fixture`, as a send leaves it. */
  async function outbound(wamid: string, conversationOf: { waId?: string; userId?: string } = { waId: SHEENA.waId }) {
    const app = connect(inject('appUrl'), { max: 1 });
    try {
      return await withTenant(app, tenantId, async (tx) => {
        const [c] = await tx`
          select v.id, v.phone_number_id from conversations v join contacts k on k.tenant_id = v.tenant_id and k.id = v.contact_id
           where k.wa_id is not distinct from ${conversationOf.waId ?? null} or k.user_id = ${conversationOf.userId ?? null}
           limit 1`;
        return insertOutboundMessage(tx, { conversationId: c!.id, phoneNumberId: c!.phoneNumberId, wamid, type: 'text', text: 'Your order ships today', content: { body: 'Your order ships today' } });
      });
    } finally {
      await app.end();
    }
  }

  describe('every status fixture is ingested', () => {
    it('knows where each status fixture must leave its messages, and none is left out', () => {
      expect(statusFixtures.sort()).toEqual(Object.keys(EXPECTED).sort());
      expect(statusFixtures).toEqual(expect.arrayContaining(['status-played', 'status-read', 'status-sent', 'status-bsuid-recipient']));
    });

    it.each(statusFixtures.map((name) => [name]))('applies %s to the message it reports on', async (name) => {
      const body = loadFixture(name as WebhookFixtureName);
      await ingest(api.url, [loadFixture('text'), loadFixture('bsuid-only')]);
      const expected = EXPECTED[name]!;
      for (const wamid of Object.keys(expected)) {
        const toBsuid = statusesOf(body).some((s: any) => s.id === wamid && !s.recipient_id);
        await outbound(wamid, toBsuid ? { userId: 'US.93737957796441882503' } : { waId: SHEENA.waId });
      }
      const answer = await ingest(api.url, [body]);
      expect(answer.status).toBe(200);
      expect(answer.results.map((r) => r.status)).toEqual(['committed']);
      const rows = await owner()`select wamid, status from messages where direction = 'outbound' and wamid = any(${Object.keys(expected)}) order by wamid`;
      expect(Object.fromEntries(rows.map((r) => [r.wamid, r.status]))).toEqual(expected);
      const events = await owner()`select wamid, status from status_events order by wamid, status`;
      expect(events.map((e) => `${e.wamid} ${e.status}`)).toEqual(statusesOf(body).map((s) => `${s.id} ${s.status}`).sort());
    });

    it('stores a status addressed to a BSUID (no phone number) against the right message', async () => {
      await ingest(api.url, [loadFixture('bsuid-only')]);
      const wamid = Object.keys(EXPECTED['status-bsuid-recipient']!)[0]!;
      const message = await outbound(wamid, { userId: 'US.93737957796441882503' });
      await ingest(api.url, [loadFixture('status-bsuid-recipient')]);
      expect(await owner()`select status from messages where id = ${message.id}`).toEqual([{ status: 'delivered' }]);
    });
  });

  describe('failed is terminal', () => {
    it('keeps a failed message failed when delivered and read arrive later', async () => {
      const failedBody = loadFixture('status-failed');
      const [failed] = statusesOf(failedBody);
      await ingest(api.url, [loadFixture('text')]);
      const message = await outbound(failed!.id);
      await ingest(api.url, [failedBody]);
      expect(await owner()`select status from messages where id = ${message.id}`).toEqual([{ status: 'failed' }]);

      // Meta's later reports for the same wamid, after the failure.
      const later = (fixture: 'status-delivered' | 'status-read', seconds: number) => {
        const parsed = JSON.parse(loadFixture(fixture));
        const status = parsed.entry[0].changes[0].value.statuses[0];
        status.id = failed!.id;
        status.timestamp = String(Number(failed!.timestamp) + seconds);
        return JSON.stringify(parsed);
      };
      const answer = await ingest(api.url, [later('status-delivered', 5), later('status-read', 10)]);
      expect(answer.results.map((r) => r.status)).toEqual(['committed', 'committed']);
      // The reports are kept, and the message stays failed.
      const events = await owner()`select status from status_events where wamid = ${failed!.id} order by occurred_at`;
      expect(events.map((e) => e.status)).toEqual(['failed', 'delivered', 'read']);
      expect(await owner()`select status from messages where id = ${message.id}`).toEqual([{ status: 'failed' }]);
    });
  });

  describe('conversation status', () => {
    it('reopens a PENDING conversation when the customer writes again', async () => {
      await ingest(api.url, [loadFixture('text')]);
      const [conversation] = await owner()`update conversations set status = 'pending' returning id`;
      expect(conversation).toBeDefined();
      await ingest(api.url, [customerSays(SHEENA, 'wamid.reopen-1', 'Any news about my order?')]);
      expect(await owner()`select id, status from conversations`).toEqual([{ id: conversation!.id, status: 'open' }]);
    });

    it('leaves a pending conversation pending when only a status report arrives', async () => {
      await ingest(api.url, [loadFixture('text')]);
      const wamid = Object.keys(EXPECTED['status-read']!)[0]!;
      await outbound(wamid);
      await owner()`update conversations set status = 'pending'`;
      await ingest(api.url, [loadFixture('status-read')]);
      expect(await owner()`select status from conversations`).toEqual([{ status: 'pending' }]);
    });
  });

  describe('opt-outs survive a BSUID merge', () => {
    const BSUID = 'US.93737957796441882503';
    /** The BSUID-only customer later writes showing their phone as well, which merges the two rows. */
    const bothIdentities = (waId: string) => customerSays({ name: 'Pablo M.', waId, userId: BSUID }, 'wamid.merge-both', 'Hello again');

    it('keeps a STOP sent from the phone once the BSUID row is merged into it', async () => {
      const phoneOnly: Sender = { name: 'Pablo M.', waId: '34600111222' };
      await ingest(api.url, [loadFixture('bsuid-only'), customerSays(phoneOnly, 'wamid.stop-by-phone', 'STOP')]);
      expect(await owner()`select wa_id, user_id, opted_out from contacts order by wa_id nulls first`).toEqual([
        { waId: null, userId: BSUID, optedOut: false },
        { waId: '34600111222', userId: null, optedOut: true },
      ]);
      await ingest(api.url, [bothIdentities('34600111222')]);
      expect(await owner()`select wa_id, user_id, opted_out from contacts`).toEqual([{ waId: '34600111222', userId: BSUID, optedOut: true }]);
    });

    it('keeps a STOP sent under the BSUID once the phone row is merged with it', async () => {
      const phoneOnly: Sender = { name: 'Pablo M.', waId: '34600111222' };
      const byBsuid: Sender = { name: 'Pablo M.', userId: BSUID };
      await ingest(api.url, [customerSays(phoneOnly, 'wamid.hello-by-phone', 'Hello'), customerSays(byBsuid, 'wamid.stop-by-bsuid', 'BAJA')]);
      expect(await owner()`select wa_id, user_id, opted_out from contacts order by wa_id nulls first`).toEqual([
        { waId: null, userId: BSUID, optedOut: true },
        { waId: '34600111222', userId: null, optedOut: false },
      ]);
      await ingest(api.url, [bothIdentities('34600111222')]);
      expect(await owner()`select wa_id, user_id, opted_out from contacts`).toEqual([{ waId: '34600111222', userId: BSUID, optedOut: true }]);
    });

    it('keeps a marketing stop (user_preferences) through the merge', async () => {
      // user-preferences-stop stops marketing for Sheena's phone; her BSUID arrives on its own first.
      await ingest(api.url, [customerSays({ name: 'Sheena Nelson', userId: 'US.13491208655302741918' }, 'wamid.sheena-bsuid', 'Hi'), loadFixture('user-preferences-stop')]);
      expect(await owner()`select wa_id, marketing_opt_out from contacts order by wa_id nulls first`).toEqual([
        { waId: null, marketingOptOut: false },
        { waId: SHEENA.waId, marketingOptOut: true },
      ]);
      await ingest(api.url, [loadFixture('text')]);
      expect(await owner()`select wa_id, user_id, marketing_opt_out from contacts`).toEqual([
        { waId: SHEENA.waId, userId: SHEENA.userId, marketingOptOut: true },
      ]);
    });
  });

  describe('raw webhook retention', () => {
    it("purges raw copies past the tenant's rawWebhookDays (capped by RAW_WEBHOOK_RETENTION_DAYS), and unroutable ones after four times the cap, by itself", async () => {
      const unroutable = JSON.parse(loadFixture('image'));
      unroutable.entry[0].id = '999999999999999';
      unroutable.entry[0].changes[0].value.metadata.phone_number_id = '999999999999998';
      await ingest(api.url, [loadFixture('text'), loadFixture('image'), loadFixture('reply'), JSON.stringify(unroutable), loadFixture('template-status-approved')]);
      const [{ n: raw }] = (await owner()`select count(*)::int as n from webhook_events`) as any;
      expect(raw).toBe(4);
      expect(await owner()`select count(*)::int as n from unroutable_events`).toEqual([{ n: 1 }]);

      // Two raw copies are 9 days old, two 5; the unroutable one 25 days (within 4 × 7, past 4 × 4).
      const keys = (await owner()`select payload_sha256 from webhook_events order by payload_sha256`).map((r) => r.payloadSha256 as string);
      await owner()`update webhook_events set received_at = now() - interval '9 days' where payload_sha256 = any(${keys.slice(0, 2)})`;
      await owner()`update webhook_events set received_at = now() - interval '5 days' where payload_sha256 = any(${keys.slice(2)})`;
      await owner()`update unroutable_events set received_at = now() - interval '25 days'`;
      const ages = await owner()`select extract(day from now() - received_at)::int as days from webhook_events order by 1`;
      expect(ages.map((a) => a.days)).toEqual([5, 5, 9, 9]);

      // A process that runs jobs sweeps as it starts (and hourly after): the tenant's default 7 days.
      const keeping7 = await startApi({ runJobs: true, rawWebhookRetentionDays: 7 });
      try {
        const left = await eventually(async () => owner()`select extract(day from now() - received_at)::int as days from webhook_events order by 1`, (rows) => rows.length === 2);
        expect(left.map((a) => a.days)).toEqual([5, 5]);
        expect(await owner()`select count(*)::int as n from unroutable_events`).toEqual([{ n: 1 }]);
      } finally {
        await keeping7.stop();
      }
      const keeping4 = await startApi({ runJobs: true, rawWebhookRetentionDays: 4 });
      try {
        expect(await eventually(async () => owner()`select count(*)::int as n from webhook_events`, (rows) => rows[0]!.n === 0)).toEqual([{ n: 0 }]);
        expect(await eventually(async () => owner()`select count(*)::int as n from unroutable_events`, (rows) => rows[0]!.n === 0)).toEqual([{ n: 0 }]);
      } finally {
        await keeping4.stop();
      }
      // What ingest derived from the raw copies is not retention's to remove.
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 3 }]);
    });
  });
});
