// Nothing Meta sends is lost: echoes from the WhatsApp Business app, customers' edits and revokes, media
// messages without a usable file, welcome requests, calls and template category/quality changes go
// through the real /ingest into Postgres and come back out of GraphQL and its live subscriptions. Every
// fixture is delivered twice: the second delivery changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { recordMediaStored } from '@switchboard/api/media/media-repository';
import { connect } from '@switchboard/db/connect';
import { withScope, withTenant } from '@switchboard/db/tenant';
import { loadFixture } from '../fixtures/webhooks/index.ts';
import { baseTime, fixtureCallId, fixtureWamid, fixtureSenders, inboundWamids } from '../fixtures/webhooks/fixture-catalog.ts';
import type { WebhookFixtureName } from '../fixtures/webhooks/fixture-catalog.ts';
import { editMessage, revokeMessage, textEcho } from '../meta-sandbox/payloads.ts';
import { devTenantBody, devTenantEchoes } from '../support/webhooks.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, ingest, owner, resetDatabase, seedDepartment, seedDevTenant, seedUser, startApi, subscribe, type RunningApi } from '../support/stack.ts';

const iso = (offset: number) => new Date((baseTime + offset) * 1000).toISOString();
const echoWamid = fixtureWamid(fixtureSenders.sheena.waId, 'outbound', 'business-app-echo');

describe('meta coverage', () => {
  let api: RunningApi;
  let apiKey: string;
  let tenantId: string;

  beforeAll(async () => {
    // No job runner: a download job queued by mistake stays visible in the job table.
    api = await startApi({ instanceId: 'meta-coverage', runJobs: false });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ apiKey, tenantId } = await seedDevTenant());
  });

  /** Delivers each fixture in order, in a body of its own, twice over (Meta retries). */
  async function deliver(...names: WebhookFixtureName[]) {
    for (const round of [1, 2]) {
      for (const name of names) {
        const answer = await ingest(api.url, [loadFixture(name)]);
        expect(answer.results.map((r) => r.status), `${name}, delivery ${round}`).toEqual(['committed']);
      }
    }
  }

  async function query(q: string, variables: Record<string, unknown> = {}) {
    const answer = await graphql(api.url, apiKey, q, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data;
  }

  const TIMELINE = `{ conversations(first: 10) { edges { node {
    contact { waId } windowExpiresAt lastInboundAt
    messages(first: 20) { edges { node {
      wamid direction source type text status edited editedAt revokedAt previousVersions { text at }
      content { __typename ... on TextContent { body } ... on MediaContent { mediaId caption media { status unavailableReason } } }
    } } }
    events { kind at handled call { direction status durationSeconds startedAt endedAt } callPermission { response permanent expiresAt } }
  } } } }`;

  async function timelines() {
    const data = await query(TIMELINE);
    return data.conversations.edges.map((e: any) => ({ ...e.node, messages: e.node.messages.edges.map((m: any) => m.node) }));
  }

  describe('message echoes (smb_message_echoes)', () => {
    it('are outbound messages by the WhatsApp Business app that do not open the 24-hour window', async () => {
      await deliver('echo-text');

      const rows = await owner()`select wamid, direction, origin, status, text, sent_at from messages`;
      expect(rows).toEqual([
        { wamid: echoWamid, direction: 'outbound', origin: 'business_app', status: 'sent', text: 'Your order 48213 left our warehouse this morning.', sentAt: new Date(iso(1_200)) },
      ]);
      const [conversation] = await timelines();
      expect(conversation).toMatchObject({ contact: { waId: fixtureSenders.sheena.waId }, windowExpiresAt: null, lastInboundAt: null });
      expect(conversation.messages).toEqual([
        {
          wamid: echoWamid, direction: 'OUTBOUND', source: 'BUSINESS_APP', type: 'TEXT', text: 'Your order 48213 left our warehouse this morning.',
          status: 'SENT', edited: false, editedAt: null, revokedAt: null, previousVersions: [],
          content: { __typename: 'TextContent', body: 'Your order 48213 left our warehouse this morning.' },
        },
      ]);
    });

    it('join the customer\'s conversation and leave the window their message opened', async () => {
      await deliver('text', 'echo-text');
      const conversations = await timelines();
      expect(conversations).toHaveLength(1);
      expect(conversations[0].windowExpiresAt).toBe(iso(86_400));
      expect(conversations[0].messages.map((m: any) => [m.direction, m.source])).toEqual([['INBOUND', 'CUSTOMER'], ['OUTBOUND', 'BUSINESS_APP']]);
    });
  });

  it('a business-app "STOP" is not the customer opting out', async () => {
    const sheena = fixtureSenders.sheena;
    await ingest(api.url, [devTenantEchoes([textEcho({ business: '15550783881', to: sheena, id: 'wamid.echo-stop', timestamp: String(baseTime + 1_250), body: 'STOP' })])]);
    expect(await owner()`select direction, origin, text from messages`).toEqual([{ direction: 'outbound', origin: 'business_app', text: 'STOP' }]);
    expect(await owner()`select opted_out from contacts`).toEqual([{ optedOut: false }]);
  });

  describe('a revoke by the business in the WhatsApp Business app', () => {
    it('deletes its echoed message', async () => {
      await deliver('echo-text', 'echo-revoke');
      const [conversation] = await timelines();
      expect(conversation.messages).toEqual([
        {
          wamid: echoWamid, direction: 'OUTBOUND', source: 'BUSINESS_APP', type: 'TEXT', text: null, status: 'SENT',
          edited: false, editedAt: null, revokedAt: iso(1_205), previousVersions: [], content: { __typename: 'TextContent', body: '' },
        },
      ]);
    });

    it('is the only one that can: a customer\'s revoke naming the business\'s message changes nothing', async () => {
      await deliver('echo-text');
      const sheena = fixtureSenders.sheena;
      await ingest(api.url, [devTenantBody(sheena, [revokeMessage({ from: sheena, id: 'wamid.customer-revoke', timestamp: String(baseTime + 1_300), originalId: echoWamid })])]);
      expect(await owner()`select text, revoked_at from messages`).toEqual([{ text: 'Your order 48213 left our warehouse this morning.', revokedAt: null }]);
      expect(await owner()`select applied_at from message_revisions`).toEqual([{ appliedAt: null }]);
    });
  });

  describe('a customer\'s edit', () => {
    const original = "Hi, my order #48213 hasn't arrived yet. Can you check?";
    const edited = "Hi, my order #48213 still hasn't arrived. Can you check?";
    const expected = {
      wamid: inboundWamids.text, direction: 'INBOUND', source: 'CUSTOMER', type: 'TEXT', text: edited, status: 'RECEIVED',
      edited: true, editedAt: iso(1_210), revokedAt: null, previousVersions: [{ text: original, at: iso(0) }],
      content: { __typename: 'TextContent', body: edited },
    };

    it('changes the text, marks it edited and keeps the earlier version', async () => {
      await deliver('text', 'edit-text');
      const [conversation] = await timelines();
      expect(conversation.messages).toEqual([expected]);
      // The edit is not a message of its own, and keeps no copy of the text once applied.
      expect(await owner()`select wamid, kind, text, applied_at is not null as applied from message_revisions`).toEqual([
        { wamid: fixtureWamid(fixtureSenders.sheena.waId, 'inbound', 'edit-text'), kind: 'edit', text: null, applied: true },
      ]);
    });

    it('that arrives before its message waits for it and is applied when it comes', async () => {
      await deliver('edit-text');
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 0 }]);
      expect(await owner()`select original_wamid, applied_at from message_revisions`).toEqual([{ originalWamid: inboundWamids.text, appliedAt: null }]);
      await deliver('text');
      const [conversation] = await timelines();
      expect(conversation.messages).toEqual([expected]);
    });

    it('several, delivered out of order, apply in the order the customer made them', async () => {
      const sheena = fixtureSenders.sheena;
      const edit = (id: string, offset: number, body: string) =>
        devTenantBody(sheena, [editMessage({ from: sheena, id, timestamp: String(baseTime + offset), originalId: inboundWamids.text, body })]);
      await deliver('text');
      await ingest(api.url, [edit('wamid.second-edit', 120, 'third words')]);
      await ingest(api.url, [edit('wamid.first-edit', 60, 'second words')]);
      expect(await owner()`select text, edited_at, previous_versions from messages`).toEqual([
        { text: 'third words', editedAt: new Date(iso(120)), previousVersions: [{ text: original, at: iso(0) }, { text: 'second words', at: iso(60) }] },
      ]);
    });

    it('of a message the customer deleted adds nothing back', async () => {
      await deliver('image', 'revoke-image');
      const sheena = fixtureSenders.sheena;
      await ingest(api.url, [devTenantBody(sheena, [editMessage({ from: sheena, id: 'wamid.late-edit', timestamp: String(baseTime + 1_230), originalId: inboundWamids.image, body: 'back again' })])]);
      expect(await owner()`select text, content, previous_versions from messages`).toEqual([{ text: null, content: {}, previousVersions: [] }]);
      expect(await owner()`select text from message_revisions where wamid = 'wamid.late-edit'`).toEqual([{ text: null }]);
    });

    it('reaches live subscribers as a changed message', async () => {
      // Listening before the original arrives, so its own announcement is received (and read) before the
      // edit is sent: an announcement is read when it is delivered, so a late one would show the edit too.
      const live = await subscribe(api.wsUrl, apiKey, 'subscription { messageChanged { wamid text edited } }');
      await deliver('text');
      await eventually(async () => live.events, (all) => all.length > 0);
      expect(live.events.map((e: any) => e.messageChanged.edited)).toContain(false);
      await ingest(api.url, [loadFixture('edit-text')]);
      const events = await eventually(async () => live.events, (all) => all.some((e: any) => e.messageChanged.edited));
      expect(events.filter((e: any) => e.messageChanged.edited)).toEqual([{ messageChanged: { wamid: inboundWamids.text, text: edited, edited: true } }]);
      await live.close();
    });
  });

  describe('a customer\'s revoke', () => {
    const expected = {
      wamid: inboundWamids.image, direction: 'INBOUND', source: 'CUSTOMER', type: 'IMAGE', text: null, status: 'RECEIVED',
      edited: false, editedAt: null, revokedAt: iso(1_220), previousVersions: [],
      content: { __typename: 'MediaContent', mediaId: '', caption: null, media: null },
    };

    it('removes the message\'s text, content and media, and marks it deleted', async () => {
      await deliver('image', 'revoke-image');
      const [conversation] = await timelines();
      expect(conversation.messages).toEqual([expected]);
      expect(await owner()`select count(*)::int as n from media`).toEqual([{ n: 0 }]);
      expect(await owner()`select text, content from messages`).toEqual([{ text: null, content: {} }]);
    });

    it('that arrives before its message deletes it as it comes', async () => {
      await deliver('revoke-image', 'image');
      const [conversation] = await timelines();
      expect(conversation.messages).toEqual([expected]);
      expect(await owner()`select count(*)::int as n from media`).toEqual([{ n: 0 }]);
    });

    it('while its file is downloading: the download finds the media gone and keeps nothing', async () => {
      await deliver('image');
      const app = connect(inject('appUrl'), { max: 1 });
      try {
        const [media] = await owner()`select id from media`;
        const file = { blobKey: `tenants/${tenantId}/media/${media!.id}`, byteSize: 3, mimeType: 'image/jpeg', sha256: 'ab'.repeat(32), attempts: 1 };
        await deliver('revoke-image');
        // The download job's record of the file it just stored: `gone` makes it delete that file.
        expect(await withTenant(app, tenantId, (tx) => recordMediaStored(tx, media!.id, file))).toBe('gone');
      } finally {
        await app.end();
      }
    });

    it('also removes the earlier versions of an edited message', async () => {
      // An edit of the image's caption is an edit like any other; the revoke leaves none of it behind.
      await deliver('image');
      const sheena = fixtureSenders.sheena;
      await ingest(api.url, [devTenantBody(sheena, [editMessage({ from: sheena, id: 'wamid.caption-edit', timestamp: String(baseTime + 1_215), originalId: inboundWamids.image, body: 'The box, again' })])]);
      expect(await owner()`select text, previous_versions from messages`).toEqual([
        { text: 'The box, again', previousVersions: [{ text: 'This is how the box arrived', at: iso(20) }] },
      ]);
      await deliver('revoke-image');
      expect(await owner()`select text, content, previous_versions from messages`).toEqual([{ text: null, content: {}, previousVersions: [] }]);
      expect(await owner()`select text from message_revisions order by wamid`).toEqual([{ text: null }, { text: null }]);
    });
  });

  describe('media messages without a usable file', () => {
    it.each([
      ['image-no-media-id' as const, 'MISSING_MEDIA_ID', 'missing_media_id'],
      ['image-malformed-sha256' as const, 'MALFORMED_SHA256', 'malformed_sha256'],
    ])('%s is kept with its media unavailable (%s) and no download queued', async (name, reason, stored) => {
      await deliver(name);
      const [conversation] = await timelines();
      expect(conversation.messages).toHaveLength(1);
      expect(conversation.messages[0]).toMatchObject({ type: 'IMAGE', direction: 'INBOUND', content: { __typename: 'MediaContent', media: { status: 'UNAVAILABLE', unavailableReason: reason } } });
      expect(await owner()`select status, unavailable_reason from media`).toEqual([{ status: 'unavailable', unavailableReason: stored }]);
      // This tenant's jobs only: an earlier test's download job can still be added (up to 50 ms after
      // its commit) once this test has reset the tables.
      expect(await owner()`select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'download_media' and j.payload->>'tenantId' = ${tenantId}`).toEqual([{ n: 0 }]);
    });

    it('a usable image still waits for its download, and gets its job', async () => {
      await deliver('image');
      expect(await owner()`select status, unavailable_reason from media`).toEqual([{ status: 'pending', unavailableReason: null }]);
      // Download jobs are added just after commit: the same count that stays 0 above becomes 1 here.
      const jobs = () => owner()`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'download_media'`;
      expect(await eventually(jobs, (rows) => rows[0]!.n > 0)).toEqual([{ n: 1 }]);
    });
  });

  describe('request_welcome', () => {
    it('is a welcome request event of the customer\'s conversation, not a message', async () => {
      await deliver('request-welcome');
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 0 }]);
      expect(await owner()`select kind, event_key, at, details, handled_at from conversation_events`).toEqual([
        { kind: 'welcome_request', eventKey: fixtureWamid(fixtureSenders.legacy.waId, 'inbound', 'request-welcome'), at: new Date(iso(1_250)), details: {}, handledAt: null },
      ]);
      const [conversation] = await timelines();
      expect(conversation).toMatchObject({ contact: { waId: fixtureSenders.legacy.waId }, messages: [], windowExpiresAt: null });
      expect(conversation.events).toEqual([{ kind: 'WELCOME_REQUEST', at: iso(1_250), handled: false, call: null, callPermission: null }]);
    });

    it('reaches live subscribers', async () => {
      const live = await subscribe(api.wsUrl, apiKey, 'subscription { conversationEventChanged { kind at } }');
      await ingest(api.url, [loadFixture('request-welcome')]);
      expect(await live.waitFor(1)).toEqual([{ conversationEventChanged: { kind: 'WELCOME_REQUEST', at: iso(1_250) } }]);
      await live.close();
    });
  });

  describe('calls', () => {
    const completed = {
      kind: 'CALL', at: iso(1_300), handled: false, callPermission: null,
      call: { direction: 'USER_INITIATED', status: 'COMPLETED', durationSeconds: 95, startedAt: iso(1_305), endedAt: iso(1_400) },
    };

    it('connect then terminate make one call event with direction, status and duration', async () => {
      await deliver('call-connect', 'call-terminate');
      const [conversation] = await timelines();
      expect(conversation.events).toEqual([completed]);
      expect(await owner()`select event_key from conversation_events`).toEqual([{ eventKey: fixtureCallId }]);
    });

    it('a late connect does not move an ended call back', async () => {
      await deliver('call-terminate', 'call-connect');
      const [conversation] = await timelines();
      expect(conversation.events).toEqual([completed]);
    });

    it('a call-permission answer is an event of the conversation', async () => {
      await deliver('call-permission-reply');
      expect(await owner()`select count(*)::int as n from messages`).toEqual([{ n: 0 }]);
      const [conversation] = await timelines();
      expect(conversation.events).toEqual([
        { kind: 'CALL_PERMISSION', at: iso(1_500), handled: false, call: null, callPermission: { response: 'ACCEPT', permanent: false, expiresAt: iso(1_500 + 7 * 86_400) } },
      ]);
    });

    it('details hold no phone numbers or names', async () => {
      await deliver('call-connect', 'call-terminate', 'call-permission-reply', 'request-welcome');
      const details = JSON.stringify(await owner()`select details from conversation_events`);
      for (const sender of [fixtureSenders.sheena, fixtureSenders.legacy]) {
        expect(details).not.toContain(sender.waId);
        expect(details).not.toContain(sender.name);
      }
    });
  });

  describe('tenant isolation', () => {
    const OTHER = { name: 'Other Co', wabaId: '209900000000001', phoneNumberId: '209900000000002', displayPhoneNumber: '15550009999' };

    it('another tenant reads none of the events, not even by the conversation\'s id', async () => {
      await deliver('request-welcome', 'call-connect');
      const ours = await query('{ conversations(first: 5) { edges { node { id events { kind } } } } }');
      const conversationId = ours.conversations.edges.map((e: any) => e.node).find((n: any) => n.events.length > 0).id;

      const other = await seedDevTenant(OTHER);
      const theirs = await graphql(api.url, other.apiKey, 'query ($id: ID!) { node(id: $id) { ... on Conversation { events { kind } } } conversations(first: 5) { edges { node { id } } } }', { id: conversationId });
      expect(theirs.errors).toBeUndefined();
      expect(theirs.data).toEqual({ node: null, conversations: { edges: [] } });

      // And the database agrees, for the application's role: row-level security, with or without a tenant.
      const app = connect(inject('appUrl'), { max: 1 });
      try {
        expect(await withTenant(app, other.tenantId, (tx) => tx`select count(*)::int as n from conversation_events`)).toEqual([{ n: 0 }]);
        expect(await app`select count(*)::int as n from conversation_events`).toEqual([{ n: 0 }]);
        expect(await withTenant(app, tenantId, (tx) => tx`select count(*)::int as n from conversation_events`)).toEqual([{ n: 2 }]);
      } finally {
        await app.end();
      }
    });
  });

  describe('agents', () => {
    it('see the events of conversations of their departments only', async () => {
      const ann = await seedUser(tenantId, { email: 'ann@acme.test' });
      const bo = await seedUser(tenantId, { email: 'bo@acme.test' });
      await seedDepartment(tenantId, { name: 'Support', isDefault: true, members: [ann.id], autoAssign: false });
      await seedDepartment(tenantId, { name: 'Sales', members: [bo.id], autoAssign: false });
      await deliver('request-welcome', 'call-connect');
      const app = connect(inject('appUrl'), { max: 1 });
      const visibleTo = (userId: string) =>
        withScope(app, { tenantId, userId, role: 'agent' }, (tx) => tx`select kind from conversation_events order by kind`);
      try {
        expect(await visibleTo(ann.id)).toEqual([{ kind: 'call' }, { kind: 'welcome_request' }]);
        expect(await visibleTo(bo.id)).toEqual([]);
      } finally {
        await app.end();
      }
    });
  });

  describe('template updates', () => {
    const TEMPLATES = '{ templates(first: 10) { edges { node { name language status category quality } } } }';
    const templates = async () => (await query(TEMPLATES)).templates.edges.map((e: any) => e.node);

    it('a category change and a quality rating show in templates', async () => {
      await deliver('template-status-approved');
      expect(await templates()).toEqual([{ name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'UTILITY', quality: 'UNKNOWN' }]);
      await deliver('template-category-update', 'template-quality-update');
      expect(await templates()).toEqual([{ name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'MARKETING', quality: 'YELLOW' }]);
    });

    it('of a template not known yet keep it, until its status is reported', async () => {
      await deliver('template-quality-update', 'template-category-update');
      expect(await templates()).toEqual([{ name: 'order_shipped', language: 'en_US', status: 'UNKNOWN', category: 'MARKETING', quality: 'YELLOW' }]);
      await deliver('template-status-approved');
      expect(await templates()).toEqual([{ name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'UTILITY', quality: 'YELLOW' }]);
    });
  });
});
