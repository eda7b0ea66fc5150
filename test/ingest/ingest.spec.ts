// Ingest journeys: signed batches over real HTTP into the real api and Postgres, asserting what is stored.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertOutboundMessage } from '@switchboard/api/messaging/message-repository';
import { replayDeadLetters } from '@switchboard/api/ingest/replay-dead-letters';
import { connect } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { inject } from 'vitest';
import { loadFixture, webhookFixtures } from '../fixtures/webhooks/index.ts';
import { ingest, INGEST_SECRET, owner, resetDatabase, seedDevTenant, startApi, type RunningApi } from '../support/stack.ts';
import { signIngest } from '@switchboard/api/ingest/ingest-signature';
import { postStreaming } from '../support/streamed-post.ts';

type MetaMessage = Record<string, any>;

function messagesOf(body: string): MetaMessage[] {
  const parsed = JSON.parse(body);
  return parsed.entry.flatMap((e: any) => e.changes.flatMap((c: any) => c.value.messages ?? []));
}

describe('ingest', () => {
  let api: RunningApi;
  let tenantId: string;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
  });

  const storedMessages = () =>
    owner()`select wamid, type, text, content, context, status, errors, extra, direction, sent_at from messages order by sent_at, wamid`;

  describe('every message type Meta sends', () => {
    // Edits, revokes, welcome requests and call-permission answers change or annotate a conversation
    // instead of adding a message: meta-coverage.spec.ts follows them.
    const isMessage = (m: MetaMessage) => !['edit', 'revoke', 'request_welcome'].includes(m.type) && m.interactive?.type !== 'call_permission_reply';
    const messageFixtures = webhookFixtures.filter((f) => {
      const sent = messagesOf(loadFixture(f.name));
      return sent.length > 0 && sent.every(isMessage);
    });

    it.each(messageFixtures.map((f) => [f.name]))('stores %s with its typed content', async (name) => {
      const body = loadFixture(name as never);
      const answer = await ingest(api.url, [body]);
      expect(answer.status).toBe(200);
      expect(answer.results.map((r) => r.status)).toEqual(['committed']);
      const rows = await storedMessages();
      const sent = messagesOf(body);
      expect(rows.map((r) => r.wamid).sort()).toEqual([...new Set(sent.map((m) => m.id))].sort());
      for (const m of sent) {
        const row = rows.find((r) => r.wamid === m.id)!;
        expect(row.direction).toBe('inbound');
        expect(row.sentAt.getTime()).toBe(Number(m.timestamp) * 1000);
        const known = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'button', 'reaction', 'order', 'system', 'unsupported'];
        expect(row.type).toBe(known.includes(m.type) ? m.type : 'unknown');
        expectContent(m, row);
      }
    });

    function expectContent(m: MetaMessage, row: any) {
      const c = row.content;
      switch (m.type) {
        case 'text':
          expect(c).toEqual({ body: m.text.body });
          expect(row.text).toBe(m.text.body);
          break;
        case 'image': case 'video': case 'audio': case 'document': case 'sticker': {
          const media = m[m.type];
          expect(c.mediaId).toBe(media.id);
          expect(c.mimeType).toBe(media.mime_type);
          expect(c.sha256).toBe(media.sha256);
          expect(c.caption ?? null).toBe(media.caption ?? null);
          expect(c.filename ?? null).toBe(media.filename ?? null);
          expect(c.voice ?? null).toBe(media.voice ?? null);
          expect(c.animated ?? null).toBe(media.animated ?? null);
          break;
        }
        case 'location':
          expect(c.latitude).toBe(m.location.latitude);
          expect(c.longitude).toBe(m.location.longitude);
          expect(c.name ?? null).toBe(m.location.name ?? null);
          expect(c.address ?? null).toBe(m.location.address ?? null);
          break;
        case 'contacts':
          expect(c.contacts.map((x: any) => x.formattedName)).toEqual(m.contacts.map((x: any) => x.name.formatted_name));
          expect(c.contacts[0].phones.map((p: any) => p.waId ?? null)).toEqual(m.contacts[0].phones.map((p: any) => p.wa_id ?? null));
          break;
        case 'interactive': {
          const reply = m.interactive[m.interactive.type];
          expect(c.kind).toBe(m.interactive.type);
          expect(c.replyId).toBe(reply.id);
          expect(c.title).toBe(reply.title);
          expect(c.description ?? null).toBe(reply.description ?? null);
          break;
        }
        case 'button':
          expect(c).toEqual({ payload: m.button.payload, text: m.button.text });
          break;
        case 'reaction':
          expect(c.reactedToWamid).toBe(m.reaction.message_id);
          expect(c.removed).toBe(!m.reaction.emoji);
          expect(c.emoji).toBe(m.reaction.emoji || null);
          break;
        case 'order':
          expect(c.catalogId).toBe(m.order.catalog_id);
          expect(c.items).toHaveLength(m.order.product_items.length);
          break;
        case 'system':
          expect(c.body).toBe(m.system.body);
          break;
        case 'unsupported':
          expect(c.errors.map((e: any) => e.code)).toEqual(m.errors.map((e: any) => e.code));
          break;
      }
      if (m.context) {
        expect(row.context.repliedToWamid ?? null).toBe(m.context.id ?? null);
        expect(row.context.forwarded).toBe(m.context.forwarded ?? false);
        expect(row.context.frequentlyForwarded).toBe(m.context.frequently_forwarded ?? false);
      } else {
        expect(row.context).toBeNull();
      }
      if (m.referral) expect(row.extra.referral).toEqual(m.referral);
    }

    it('keeps Arabic, Hebrew and emoji exactly as the customer typed them', async () => {
      await ingest(api.url, [loadFixture('multilingual')]);
      const texts = (await storedMessages()).map((r) => r.text);
      expect(texts).toEqual([
        'مرحبا، طلبي رقم 48213 لم يصل بعد. هل يمكنكم التحقق؟',
        'שלום, ההזמנה שלי 48213 עדיין לא הגיעה. אפשר לבדוק?',
        '😮🙏👍🏽❤️',
        '¿Cuándo llega mi pedido? Gracias — Lucía',
      ]);
      const names = await owner()`select display_name from contacts order by display_name`;
      expect(names.map((n) => n.displayName)).toContain('أحمد الفارسي');
      expect(names.map((n) => n.displayName)).toContain('נועה כהן');
    });
  });

  describe('idempotency', () => {
    it('stores a body delivered twice, in one batch or two, once', async () => {
      const body = loadFixture('batch-mixed');
      await ingest(api.url, [body, body]);
      const first = await owner()`select count(*)::int as n from messages`;
      const conversations = await owner()`select id, window_expires_at from conversations order by id`;
      await ingest(api.url, [body]);
      const again = await owner()`select count(*)::int as n, count(distinct wamid)::int as d from messages`;
      expect(again[0]).toEqual({ n: first[0]!.n, d: first[0]!.n });
      expect(first[0]!.n).toBe(messagesOf(body).length);
      expect(await owner()`select id, window_expires_at from conversations order by id`).toEqual(conversations);
      expect(await owner()`select count(*)::int as n from webhook_events`).toEqual([{ n: JSON.parse(body).entry.flatMap((e: any) => e.changes).length }]);
    });

    it('stores the same message inside two different bodies once', async () => {
      const a = loadFixture('duplicate-in-two-bodies-a');
      const b = loadFixture('duplicate-in-two-bodies-b');
      expect(a).not.toBe(b);
      await ingest(api.url, [a]);
      await ingest(api.url, [b]);
      const shared = messagesOf(a).map((m) => m.id).filter((id) => messagesOf(b).some((m) => m.id === id));
      expect(shared.length).toBeGreaterThan(0);
      const rows = await owner()`select wamid from messages where wamid = any(${shared})`;
      expect(rows).toHaveLength(shared.length);
    });

    it('yields the same state when batches race each other', async () => {
      const bodies = ['text', 'image', 'multilingual', 'batch-mixed', 'reply'].map((n) => loadFixture(n as never));
      await Promise.all([ingest(api.url, bodies), ingest(api.url, [...bodies].reverse()), ingest(api.url, bodies.slice(2))]);
      const [{ n, d }] = (await owner()`select count(*)::int as n, count(distinct wamid)::int as d from messages`) as any;
      expect(n).toBe(d);
      const contacts = await owner()`select wa_id, count(*)::int as n from contacts group by wa_id having count(*) > 1`;
      expect(contacts).toEqual([]);
    });
  });

  describe('statuses', () => {
    async function outbound(wamid: string | null) {
      const app = connect(inject('appUrl'), { max: 1 });
      try {
        await ingest(api.url, [loadFixture('text')]);
        return await withTenant(app, tenantId, async (tx) => {
          const [c] = await tx`select id, phone_number_id from conversations limit 1`;
          return insertOutboundMessage(tx, {
            conversationId: c!.id,
            phoneNumberId: c!.phoneNumberId,
            wamid,
            type: 'text',
            text: 'Your order ships today',
            content: { body: 'Your order ships today' },
          });
        });
      } finally {
        await app.end();
      }
    }
    const READ_WAMID = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4NTY0QzI5QjVGMzUzMzI5NkEA';

    it('only ever moves forward, whatever order reports arrive in', async () => {
      const message = await outbound(READ_WAMID);
      expect(message.status).toBe('pending');
      await ingest(api.url, [loadFixture('statuses-out-of-order')]);
      const [row] = await owner()`select status from messages where wamid = ${READ_WAMID}`;
      expect(row!.status).toBe('read');
      const events = await owner()`select status from status_events where wamid = ${READ_WAMID} order by occurred_at`;
      expect(events.map((e) => e.status)).toEqual(['sent', 'delivered', 'read']);
      // A late, duplicated or reordered report never moves it back.
      await ingest(api.url, [loadFixture('status-delivered'), loadFixture('statuses-out-of-order')]);
      const [after] = await owner()`select status from messages where wamid = ${READ_WAMID}`;
      expect(after!.status).toBe('read');
    });

    it('keeps a status for an unknown wamid and applies it when the message appears', async () => {
      await ingest(api.url, [loadFixture('statuses-out-of-order')]);
      expect(await owner()`select count(*)::int as n from status_events`).toEqual([{ n: 4 }]);
      const message = await outbound(READ_WAMID);
      expect(message.status).toBe('read');
    });

    it('applies early statuses when the send call returns the wamid later', async () => {
      const message = await outbound(null);
      await ingest(api.url, [loadFixture('statuses-out-of-order')]);
      await owner()`update messages set wamid = ${READ_WAMID} where id = ${message.id}`;
      const [row] = await owner()`select status from messages where id = ${message.id}`;
      expect(row!.status).toBe('read');
    });

    it('records failures with Meta\'s error and keeps pricing', async () => {
      const failed = JSON.parse(loadFixture('status-failed')).entry[0].changes[0].value.statuses[0];
      const message = await outbound(failed.id);
      await ingest(api.url, [loadFixture('status-failed')]);
      const [row] = await owner()`select status, errors from messages where id = ${message.id}`;
      expect(row!.status).toBe('failed');
      expect(row!.errors[0]).toMatchObject({ code: 131047, title: 'Re-engagement message' });
      await ingest(api.url, [loadFixture('statuses-out-of-order')]);
      const pricing = await owner()`select pricing from status_events where status = 'delivered'`;
      expect(pricing[0]!.pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' });
    });
  });

  describe('contacts', () => {
    it('keys a username-only customer by BSUID and merges when the phone appears', async () => {
      await ingest(api.url, [loadFixture('bsuid-only')]);
      const [bsuid] = await owner()`select id, wa_id, user_id, display_name from contacts`;
      expect(bsuid).toMatchObject({ waId: null, userId: 'US.93737957796441882503', displayName: 'Pablo M.' });
      const withPhone = JSON.parse(loadFixture('text-wa-id-only'));
      const value = withPhone.entry[0].changes[0].value;
      // The same person later writes showing both identities.
      value.contacts[0].user_id = 'US.93737957796441882503';
      value.messages[0].from_user_id = 'US.93737957796441882503';
      value.messages[0].id = 'wamid.merge-test-1';
      await ingest(api.url, [loadFixture('text-wa-id-only'), JSON.stringify(withPhone)]);
      const contacts = await owner()`select id, wa_id, user_id from contacts`;
      expect(contacts).toEqual([{ id: bsuid!.id, waId: value.contacts[0].wa_id, userId: 'US.93737957796441882503' }]);
      const conversations = await owner()`select contact_id from conversations`;
      expect(conversations).toEqual([{ contactId: bsuid!.id }]);
      const messageContacts = await owner()`
        select count(distinct c.contact_id)::int as n
          from messages m join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id`;
      expect(messageContacts).toEqual([{ n: 1 }]);
    });

    it('records marketing stop and resume from user_preferences', async () => {
      await ingest(api.url, [loadFixture('user-preferences-stop')]);
      expect(await owner()`select wa_id, marketing_opt_out from contacts`).toEqual([{ waId: '16505551234', marketingOptOut: true }]);
      await ingest(api.url, [loadFixture('user-preferences-resume')]);
      expect(await owner()`select marketing_opt_out from contacts`).toEqual([{ marketingOptOut: false }]);
    });
  });

  describe('conversations', () => {
    it('opens one conversation per contact and number and moves the 24-hour window with every inbound', async () => {
      await ingest(api.url, [loadFixture('text')]);
      const [first] = await owner()`select id, status, window_expires_at, last_inbound_at from conversations`;
      expect(first!.status).toBe('open');
      expect(first!.windowExpiresAt.getTime() - first!.lastInboundAt.getTime()).toBe(24 * 3600 * 1000);
      await ingest(api.url, [loadFixture('image')]);
      const rows = await owner()`select id, window_expires_at, last_inbound_at from conversations`;
      expect(rows).toHaveLength(1);
      const latest = Math.max(...['text', 'image'].flatMap((n) => messagesOf(loadFixture(n as never)).map((m) => Number(m.timestamp) * 1000)));
      expect(rows[0]!.windowExpiresAt.getTime()).toBe(latest + 24 * 3600 * 1000);
    });

    it('opens a new conversation when the customer writes after resolution', async () => {
      await ingest(api.url, [loadFixture('text')]);
      await owner()`update conversations set status = 'resolved', resolved_at = now()`;
      await ingest(api.url, [loadFixture('image')]);
      const rows = await owner()`select status from conversations order by created_at`;
      expect(rows.map((r) => r.status)).toEqual(['resolved', 'open']);
    });
  });

  describe('other fields', () => {
    it('tracks template status and account updates, and keeps unknown fields', async () => {
      await ingest(api.url, [loadFixture('template-status-approved'), loadFixture('template-status-rejected'), loadFixture('account-update')]);
      const templates = await owner()`select name, status, reason from message_templates order by name`;
      expect(templates.length).toBeGreaterThan(0);
      expect(templates.map((t) => t.status).sort()).toEqual(expect.arrayContaining(['APPROVED']));
      const [account] = await owner()`select last_event from whatsapp_accounts`;
      expect(account!.lastEvent).toBe(JSON.parse(loadFixture('account-update')).entry[0].changes[0].value.event);
      const raw = await owner()`select field from webhook_events order by field`;
      expect(raw.map((r) => r.field)).toEqual(['account_update', 'message_template_status_update', 'message_template_status_update']);
      await ingest(api.url, [loadFixture('value-errors')]);
      expect(await owner()`select count(*)::int as n from webhook_events where field = 'messages'`).toEqual([{ n: 1 }]);
    });

    it('stores messages for a number no tenant owns as unroutable, committed and not retried', async () => {
      const body = loadFixture('text').replaceAll('106540352242922', '999999999999999');
      const answer = await ingest(api.url, [body]);
      expect(answer.results.map((r) => r.status)).toEqual(['committed']);
      expect(await owner()`select phone_number_id from unroutable_events`).toEqual([{ phoneNumberId: '999999999999999' }]);
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 0 }]);
    });

    it('keeps a body it cannot read as a dead letter instead of failing the batch', async () => {
      const answer = await ingest(api.url, ['{"object":"page","entry":[]}', loadFixture('text')]);
      expect(answer.results.map((r) => r.status)).toEqual(['committed', 'committed']);
      const letters = await owner()`select reason, body from dead_letters`;
      expect(letters).toEqual([{ reason: 'object is not whatsapp_business_account', body: '{"object":"page","entry":[]}' }]);
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 1 }]);
    });

    it('stores what the edge dead-lettered, whole', async () => {
      const body = loadFixture('image');
      const answer = await ingest(api.url, [body], { path: '/ingest/dead-letters' });
      expect(answer.results.map((r) => r.status)).toEqual(['committed']);
      expect(await owner()`select body, reason from dead_letters`).toEqual([{ body, reason: 'delivery retries exhausted' }]);
    });
  });

  describe('the signed hop', () => {
    const payload = JSON.stringify({ events: [{ id: '1', body: '{}' }] });
    const post = (headers: Record<string, string>) =>
      fetch(`${api.url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });

    it('rejects unsigned, forged and stale batches', async () => {
      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-switchboard-signature': signIngest('wrong-secret', payload) })).status).toBe(401);
      const stale = signIngest(INGEST_SECRET, payload, Date.now() - 6 * 60 * 1000);
      expect((await post({ 'x-switchboard-signature': stale })).status).toBe(401);
      expect((await post({ 'x-switchboard-signature': signIngest(INGEST_SECRET, payload + ' ') })).status).toBe(401);
      expect(await owner()`select count(*)::int as n from dead_letters`).toEqual([{ n: 0 }]);
    });

    it('accepts a batch signed within the allowed skew', async () => {
      const res = await post({ 'x-switchboard-signature': signIngest(INGEST_SECRET, payload, Date.now() - 60_000) });
      expect(res.status).toBe(200);
    });

    it('refuses a batch without a signature, or with a stale one, before reading its body', async () => {
      const prefix = '{"events":[{"id":"1","body":"';
      const stale = `t=${Math.floor(Date.now() / 1000) - 600},v1=${'0'.repeat(64)},p1=${'0'.repeat(64)}`;
      for (const [headers, reason] of [[{}, 'missing'], [{ 'x-switchboard-signature': stale }, 'stale']] as const) {
        const answer = await postStreaming(`${api.url}/ingest`, { headers, prefix, fillBytes: 400 * 1024 * 1024 });
        expect([answer.status, JSON.parse(answer.body)]).toEqual([401, { error: `signature ${reason}` }]);
        expect(answer.sentBeforeAnswer).toBeLessThan(32 * 1024 * 1024);
      }
    });
  });
});

describe('dead-letter replay', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.stop());

  it('replays what the edge dead-lettered through ingest, once, and leaves unreadable bodies for a human', async () => {
    await resetDatabase();
    await ingest(api.url, [loadFixture('multilingual'), '{"object":"page"}'], { path: '/ingest/dead-letters' });
    const app = connect(inject('appUrl'), { max: 2 });
    try {
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 0 }]);
      // The tenant is onboarded after its webhooks were dead-lettered.
      await seedDevTenant();
      const first = await replayDeadLetters(app, { mediaDownloadAttempts: 2 });
      expect([first.replayed.length, first.unreadable.length, first.failed.length]).toEqual([1, 1, 0]);
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 4 }]);
      const again = await replayDeadLetters(app, { mediaDownloadAttempts: 2 });
      expect([again.replayed.length, again.unreadable.length]).toEqual([0, 1]);
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 4 }]);
      expect(await owner()`select count(*)::int as n from dead_letters where replayed_at is not null`).toEqual([{ n: 1 }]);
    } finally {
      await app.end();
    }
  });
});
