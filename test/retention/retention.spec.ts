// Retention (issue 12): the per-tenant policy through GraphQL over real HTTP (who may read and change
// it, its bounds, its audit entry, the tenant wall), and every sweep run against real Postgres on a
// controlled clock: what is older than the policy goes, what is newer stays, another tenant is untouched.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connect, type Sql } from '@switchboard/db/connect';
import { seedTenant } from '@switchboard/db/seed';
import { runRetentionSweeps, sweepAuditEvents, sweepDeactivatedStaff, sweepDeadLetters, sweepMessages, sweepRawWebhooks } from '@switchboard/api/retention/sweeps';
import { withTenant } from '@switchboard/db/tenant';
import { eventually } from '../support/eventually.ts';
import { graphql, logIn, owner, resetDatabase, seedApiKey, seedDevTenant, seedUser, startApi, type Credentials, type RunningApi } from '../support/stack.ts';

const PASSWORD = 'correct horse battery';
const DAY = 24 * 60 * 60 * 1000;
const POLICY = 'query { retentionPolicy { messagesDays rawWebhookDays deadLetterDays staffPurgeDays exportDays auditDays analyticsMonths } }';
const UPDATE = `mutation ($input: RetentionPolicyInput!) { updateRetentionPolicy(input: $input) {
  __typename
  ... on MutationUpdateRetentionPolicySuccess { retentionPolicy { messagesDays rawWebhookDays auditDays } }
  ... on ValidationError { field message } } }`;
const DEFAULTS = { messagesDays: 90, rawWebhookDays: 7, deadLetterDays: 30, staffPurgeDays: 30, exportDays: 7, auditDays: 365, analyticsMonths: 24 };
const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);
const ago = (days: number, from = new Date()) => new Date(from.getTime() - days * DAY);

describe('retention', () => {
  let api: RunningApi;
  let app: Sql;
  let a: string;
  let b: string;
  let admin: Credentials;

  beforeAll(async () => {
    api = await startApi({ runJobs: false });
    app = connect(inject('appUrl'), { max: 4 });
  });
  afterAll(async () => {
    await app?.end();
    await api?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    a = (await seedDevTenant()).tenantId;
    b = (await seedTenant(owner(), { name: 'Other Co', wabaId: 'waba-b', phoneNumberId: 'pn-b', displayPhoneNumber: '15550000999' })).tenantId;
    await seedUser(a, { email: 'boss@acme.test', name: 'Bea Boss', role: 'admin' });
    await seedUser(a, { email: 'ana@acme.test', name: 'Ana Agent', role: 'agent' });
    await seedUser(b, { email: 'olga@other.test', name: 'Olga Other', role: 'admin' });
    admin = await logIn(api.url, 'boss@acme.test', PASSWORD);
  });

  describe('the policy', () => {
    it('is the defaults until an admin changes it, and admins and ADMIN keys read it, nobody else', async () => {
      expect((await graphql(api.url, admin, POLICY)).data.retentionPolicy).toEqual(DEFAULTS);
      expect((await graphql(api.url, await seedApiKey(a, ['admin']), POLICY)).data.retentionPolicy).toEqual(DEFAULTS);
      const agent = await logIn(api.url, 'ana@acme.test', PASSWORD);
      const refused = await Promise.all([agent, await seedApiKey(a, ['read', 'send'])].map((c) => graphql(api.url, c, POLICY)));
      expect(refused.map((r) => [r.data?.retentionPolicy ?? null, codes(r)])).toEqual([[null, ['FORBIDDEN']], [null, ['FORBIDDEN']]]);
      const change = await graphql(api.url, agent, UPDATE, { input: { messagesDays: 5 } });
      expect([change.data?.updateRetentionPolicy ?? null, codes(change)]).toEqual([null, ['FORBIDDEN']]);
    });

    it('changes within bounds, keeps the fields left out, and records the old and new values', async () => {
      const res = await graphql(api.url, admin, UPDATE, { input: { messagesDays: 30, auditDays: 400 } });
      expect(res.data.updateRetentionPolicy).toEqual({ __typename: 'MutationUpdateRetentionPolicySuccess', retentionPolicy: { messagesDays: 30, rawWebhookDays: 7, auditDays: 400 } });
      const viaKey = await graphql(api.url, await seedApiKey(a, ['admin']), UPDATE, { input: { rawWebhookDays: 3 } });
      expect(viaKey.data.updateRetentionPolicy.retentionPolicy).toEqual({ messagesDays: 30, rawWebhookDays: 3, auditDays: 400 });
      expect((await graphql(api.url, admin, POLICY)).data.retentionPolicy).toEqual({ ...DEFAULTS, messagesDays: 30, rawWebhookDays: 3, auditDays: 400 });
      const audit = await owner()`select actor_kind, detail from audit_events where tenant_id = ${a} and action = 'retention.updated' order by at`;
      expect(audit.map((e) => e.actorKind)).toEqual(['user', 'api_key']);
      expect(audit[0]!.detail).toEqual({ old: DEFAULTS, new: { ...DEFAULTS, messagesDays: 30, auditDays: 400 } });
      expect(audit[1]!.detail.old.rawWebhookDays).toBe(7);
      expect(audit[1]!.detail.new.rawWebhookDays).toBe(3);
    });

    it.each([
      ['messagesDays', 0], ['messagesDays', 3651], ['rawWebhookDays', 8], ['deadLetterDays', 91], ['staffPurgeDays', 31],
      ['exportDays', 0], ['exportDays', 31], ['auditDays', 29], ['auditDays', 2556], ['analyticsMonths', 25],
    ])('refuses %s = %i with a ValidationError naming the field, and changes nothing', async (field, value) => {
      const res = await graphql(api.url, admin, UPDATE, { input: { messagesDays: 10, [field]: value } });
      expect(res.data.updateRetentionPolicy.__typename).toBe('ValidationError');
      expect(res.data.updateRetentionPolicy.field).toBe(field);
      expect((await graphql(api.url, admin, POLICY)).data.retentionPolicy).toEqual(DEFAULTS);
      expect(await owner()`select count(*)::int as n from audit_events where action = 'retention.updated'`).toEqual([{ n: 0 }]);
    });

    it('is bounded by the database too', async () => {
      const insert = (column: string, value: number) =>
        withTenant(app, a, (tx) => tx.unsafe(
          `insert into retention_policies (tenant_id, messages_days, raw_webhook_days, dead_letter_days, staff_purge_days, export_days, audit_days, analytics_months)
           values ($1, 90, 7, 30, 30, 7, 365, 24) on conflict (tenant_id) do update set ${column} = ${value}`, [a])).then(() => 'ok', (e) => e.code);
      expect(await insert('messages_days', 90)).toBe('ok');
      expect(await Promise.all([['raw_webhook_days', 8], ['audit_days', 10], ['staff_purge_days', 45], ['analytics_months', 36]].map(([c, v]) => insert(c as string, v as number)))).toEqual(['23514', '23514', '23514', '23514']);
    });

    it("keeps each tenant's policy to itself", async () => {
      await graphql(api.url, admin, UPDATE, { input: { messagesDays: 12 } });
      const olga = await logIn(api.url, 'olga@other.test', PASSWORD);
      expect((await graphql(api.url, olga, POLICY)).data.retentionPolicy).toEqual(DEFAULTS);
      await graphql(api.url, olga, UPDATE, { input: { messagesDays: 40 } });
      expect((await graphql(api.url, admin, POLICY)).data.retentionPolicy.messagesDays).toBe(12);
      // In the database: tenant B's scope neither sees nor writes A's row.
      expect(await withTenant(app, b, (tx) => tx`select tenant_id from retention_policies`)).toEqual([{ tenantId: b }]);
      const write = await withTenant(app, b, (tx) => tx`update retention_policies set messages_days = 1 where tenant_id = ${a} returning 1`);
      expect(write).toHaveLength(0);
      expect(await owner()`select tenant_id, messages_days from retention_policies order by messages_days`).toEqual([{ tenantId: a, messagesDays: 12 }, { tenantId: b, messagesDays: 40 }]);
    });
  });

  /** A conversation with `n` messages (one outbound with a status, one with a media file) whose last activity was `days` ago. */
  async function seedConversation(tenantId: string, phoneNumberId: string, days: number, tag: string) {
    const at = ago(days);
    const sql = owner();
    const [contact] = await sql<{ id: string }[]>`insert into contacts (tenant_id, wa_id) values (${tenantId}, ${`1555${tag}`}) returning id`;
    const [conversation] = await sql<{ id: string }[]>`
      insert into conversations (tenant_id, contact_id, phone_number_id, last_message_at, created_at, updated_at)
      values (${tenantId}, ${contact!.id}, ${phoneNumberId}, ${at}, ${at}, ${at}) returning id`;
    const messages = await sql<{ id: string }[]>`
      insert into messages (tenant_id, conversation_id, phone_number_id, wamid, direction, type, text, status, sent_at, created_at)
      values (${tenantId}, ${conversation!.id}, ${phoneNumberId}, ${`wamid.in.${tag}`}, 'inbound', 'image', 'hello', 'received', ${at}, ${at}),
             (${tenantId}, ${conversation!.id}, ${phoneNumberId}, ${`wamid.out.${tag}`}, 'outbound', 'text', 'hi there', 'sent', ${at}, ${at})
      returning id`;
    await sql`insert into status_events (tenant_id, wamid, status, occurred_at, received_at) values (${tenantId}, ${`wamid.out.${tag}`}, 'delivered', ${at}, ${at})`;
    await sql`insert into media (tenant_id, message_id, blob_key, status, created_at) values (${tenantId}, ${messages[0]!.id}, ${`tenants/${tenantId}/media/${tag}`}, 'stored', ${at})`;
    await sql`insert into conversation_events (tenant_id, conversation_id, kind, event_key, at) values (${tenantId}, ${conversation!.id}, 'welcome_request', ${`ev-${tag}`}, ${at})`;
    return conversation!.id;
  }

  const countsOf = async (tenantId: string) => {
    const [row] = await owner()`
      select (select count(*) from conversations where tenant_id = ${tenantId})::int as conversations,
             (select count(*) from messages where tenant_id = ${tenantId})::int as messages,
             (select count(*) from media where tenant_id = ${tenantId})::int as media,
             (select count(*) from status_events where tenant_id = ${tenantId})::int as statuses,
             (select count(*) from conversation_events where tenant_id = ${tenantId})::int as events,
             (select count(*) from contacts where tenant_id = ${tenantId})::int as contacts`;
    return row;
  };

  describe('the sweeps, on a controlled clock', () => {
    it('delete the messages, media, statuses and emptied conversations past messagesDays, and queue their files for deletion', async () => {
      const old = await seedConversation(a, '106540352242922', 100, '01');
      const recent = await seedConversation(a, '106540352242922', 10, '02');
      await seedConversation(b, 'pn-b', 100, '03');
      const now = new Date();
      expect(await sweepMessages(app, a, { now, batch: 1 })).toEqual({ conversations: 1, messages: 2, media: 1 });
      expect(await owner()`select id from conversations where tenant_id = ${a}`).toEqual([{ id: recent }]);
      expect(await owner()`select count(*)::int as n from messages where conversation_id = ${old}`).toEqual([{ n: 0 }]);
      expect(await countsOf(a)).toEqual({ conversations: 1, messages: 2, media: 1, statuses: 1, events: 1, contacts: 2 });
      expect(await countsOf(b)).toEqual({ conversations: 1, messages: 2, media: 1, statuses: 1, events: 1, contacts: 1 });
      const jobs = await owner()`select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'delete_media_blob'`;
      expect(jobs.map((j) => j.payload)).toEqual([{ key: `tenants/${a}/media/01` }]);
      // Forty days on, the recent one has passed 90 days of silence too.
      expect(await sweepMessages(app, a, { now: new Date(now.getTime() + 85 * DAY) })).toEqual({ conversations: 1, messages: 2, media: 1 });
      expect(await countsOf(a)).toMatchObject({ conversations: 0, messages: 0, media: 0, statuses: 0, events: 0 });
    });

    it('keep a conversation whose last activity is recent, even with old messages', async () => {
      const id = await seedConversation(a, '106540352242922', 200, '04');
      await owner()`update conversations set updated_at = now() - interval '1 day' where id = ${id}`;
      expect(await sweepMessages(app, a, { now: new Date() })).toEqual({ conversations: 0, messages: 0, media: 0 });
      expect(await countsOf(a)).toMatchObject({ conversations: 1, messages: 2 });
    });

    it("follow the tenant's own messagesDays", async () => {
      await seedConversation(a, '106540352242922', 20, '05');
      await owner()`insert into retention_policies (tenant_id, messages_days, raw_webhook_days, dead_letter_days, staff_purge_days, export_days, audit_days, analytics_months)
                    values (${a}, 14, 7, 30, 30, 7, 365, 24)`;
      expect((await sweepMessages(app, a, { now: new Date() })).conversations).toBe(1);
    });

    it('delete raw webhook copies past rawWebhookDays, capped by the platform ceiling', async () => {
      const raw = (tenantId: string, sha: string, days: number) =>
        owner()`insert into webhook_events (tenant_id, waba_id, field, payload, payload_sha256, received_at) values (${tenantId}, 'w', 'messages', '{}', ${sha}, ${ago(days)})`;
      await raw(a, 'a-8', 8); await raw(a, 'a-5', 5); await raw(a, 'a-1', 1); await raw(b, 'b-8', 8);
      const now = new Date();
      expect(await sweepRawWebhooks(app, a, { now, ceilingDays: 7, batch: 1 })).toBe(1);
      expect(await owner()`select payload_sha256 from webhook_events order by 1`).toEqual([{ payloadSha256: 'a-1' }, { payloadSha256: 'a-5' }, { payloadSha256: 'b-8' }]);
      expect(await sweepRawWebhooks(app, a, { now, ceilingDays: 3 })).toBe(1);
      expect(await owner()`select payload_sha256 from webhook_events where tenant_id = ${a}`).toEqual([{ payloadSha256: 'a-1' }]);
    });

    it('delete dead letters past the deadLetterDays of the tenant they speak for, or the default for none', async () => {
      const letter = (body: string, sha: string, days: number) =>
        owner()`insert into dead_letters (body, body_sha256, reason, created_at) values (${body}, ${sha}, 'test', ${ago(days)})`;
      const of = (waba: string) => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: waba, changes: [] }] });
      await owner()`insert into retention_policies (tenant_id, messages_days, raw_webhook_days, dead_letter_days, staff_purge_days, export_days, audit_days, analytics_months)
                    values (${b}, 90, 7, 60, 30, 7, 365, 24)`;
      await letter(of('102290129340398'), 'a-40', 40); await letter(of('102290129340398'), 'a-20', 20);
      await letter(of('waba-b'), 'b-40', 40); await letter('not json', 'none-40', 40); await letter('not json either', 'none-2', 2);
      const gone = await sweepDeadLetters(app, { now: new Date(), batch: 1 });
      expect(Object.fromEntries(gone)).toEqual({ [a]: 1, '': 1 });
      expect((await owner()`select body_sha256 from dead_letters order by 1`).map((r) => r.bodySha256)).toEqual(['a-20', 'b-40', 'none-2']);
    });

    it('purge people deactivated longer than staffPurgeDays, keeping their messages as "Former agent"', async () => {
      const gone = await seedUser(a, { email: 'gone@acme.test', name: 'Gus Gone' });
      const recent = await seedUser(a, { email: 'left@acme.test', name: 'Lea Left' });
      const other = await seedUser(b, { email: 'gone@other.test', name: 'Oscar Gone' });
      const conversation = await seedConversation(a, '106540352242922', 1, '06');
      await owner()`update messages set author_id = ${gone.id} where conversation_id = ${conversation} and direction = 'outbound'`;
      await owner()`insert into sessions (token_hash, tenant_id, user_id, expires_at) values ('h1', ${a}, ${gone.id}, now() + interval '1 day')`;
      await owner()`insert into invitations (tenant_id, user_id, token_hash, expires_at) values (${a}, ${gone.id}, 'i1', now() + interval '1 day')`;
      await owner()`update users set deactivated_at = now() - interval '31 days' where id in (${gone.id}, ${other.id})`;
      await owner()`update users set deactivated_at = now() - interval '10 days' where id = ${recent.id}`;

      expect(await sweepDeactivatedStaff(app, a, { now: new Date() })).toBe(1);
      expect(await owner()`select name, email, password_hash, purged_at is not null as purged from users where id = ${gone.id}`).toEqual([
        { name: 'Former agent', email: `former-${gone.id}@purged.invalid`, passwordHash: null, purged: true },
      ]);
      expect(await owner()`select count(*)::int as n from sessions where user_id = ${gone.id}`).toEqual([{ n: 0 }]);
      expect(await owner()`select count(*)::int as n from invitations where user_id = ${gone.id}`).toEqual([{ n: 0 }]);
      expect(await owner()`select name, purged_at from users where id in (${recent.id}, ${other.id}) order by name`).toEqual([
        { name: 'Lea Left', purgedAt: null },
        { name: 'Oscar Gone', purgedAt: null },
      ]);
      expect(await owner()`select action, actor_kind, target_id from audit_events where action = 'user.purged'`).toEqual([{ action: 'user.purged', actorKind: 'system', targetId: gone.id }]);
      // Their message stays with the conversation, and its author reads "Former agent".
      const res = await graphql(api.url, admin, `query ($id: ID!) { node(id: $id) { ... on Conversation { messages(first: 5) { edges { node { direction author { name } } } } } } }`, {
        id: Buffer.from(`Conversation:${conversation}`).toString('base64'),
      });
      expect(res.errors).toBeUndefined();
      const outbound = res.data.node.messages.edges.map((e: any) => e.node).find((m: any) => m.direction === 'OUTBOUND');
      expect(outbound.author).toEqual({ name: 'Former agent' });
      // Nobody signs in as them or brings them back.
      const back = await graphql(api.url, admin, 'mutation ($id: ID!) { reactivateUser(id: $id) { __typename } }', { id: Buffer.from(`User:${gone.id}`).toString('base64') });
      expect(back.data.reactivateUser.__typename).toBe('NotFoundError');
    });

    it('delete audit entries past auditDays only, and never ahead of the database clock', async () => {
      const entry = (tenantId: string, days: number) => owner()`insert into audit_events (tenant_id, action, actor_kind, at) values (${tenantId}, 'session.signed_in', 'system', ${ago(days)})`;
      await entry(a, 400); await entry(a, 100); await entry(b, 400);
      const before = await owner()`select count(*)::int as n from audit_events where tenant_id = ${a}`;
      expect(await sweepAuditEvents(app, a, { now: new Date(), batch: 1 })).toBe(1);
      expect(await owner()`select count(*)::int as n from audit_events where tenant_id = ${a}`).toEqual([{ n: before[0]!.n - 1 }]);
      expect(await owner()`select count(*)::int as n from audit_events where tenant_id = ${b}`).toEqual([{ n: 1 }]);
      // A clock set ten years ahead removes nothing more: the function uses the earlier of it and now().
      expect(await sweepAuditEvents(app, a, { now: new Date(Date.now() + 3650 * DAY) })).toBe(0);
      // And the application role still cannot delete an entry any other way.
      const refused = await withTenant(app, a, (tx) => tx`delete from audit_events`).then(() => 'ok', (e) => e.code);
      expect(refused).toBe('42501');
    });

    it('record one retention.swept entry per tenant whose run deleted something, by Switchboard, with the counts', async () => {
      await seedConversation(a, '106540352242922', 100, '07');
      const results = await runRetentionSweeps(app, { now: new Date(), rawWebhookCeilingDays: 7, log: () => {} });
      expect(results.get(a)).toEqual({ conversations: 1, messages: 2, media: 1, rawWebhooks: 0, deadLetters: 0, auditEvents: 0, staff: 0, exports: 0, tenantExports: 0, analyticsExports: 0, analyticsRollups: 0 });
      const swept = await owner()`select tenant_id, actor_kind, detail from audit_events where action = 'retention.swept'`;
      expect(swept.map((s) => [s.tenantId, s.actorKind, s.detail.messages, s.detail.conversations])).toEqual([[a, 'system', 2, 1]]);
      // A run with nothing to delete leaves no entry.
      await runRetentionSweeps(app, { now: new Date(), rawWebhookCeilingDays: 7, log: () => {} });
      expect(await owner()`select count(*)::int as n from audit_events where action = 'retention.swept'`).toEqual([{ n: 1 }]);
    });
  });

  describe('the scheduled job', () => {
    it('is registered with the cron of a process that runs jobs, and runs as it starts', async () => {
      await seedConversation(a, '106540352242922', 100, '08');
      const worker = await startApi({ runJobs: true });
      try {
        await eventually(() => owner()`select count(*)::int as n from conversations where tenant_id = ${a}`, (rows) => rows[0]!.n === 0);
        const crontabs = await owner()`select identifier from graphile_worker._private_known_crontabs`;
        expect(crontabs.map((c) => c.identifier)).toContain('retention_sweep');
        const swept = await eventually(() => owner()`select detail from audit_events where action = 'retention.swept' and tenant_id = ${a}`, (rows) => rows.length === 1);
        expect(swept[0]!.detail.conversations).toBe(1);
      } finally {
        await worker.stop();
      }
    });
  });
});
