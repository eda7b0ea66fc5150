// exportAnalytics over real HTTP: the CSV files' content (byte-order mark, header, one row per
// conversation whose global id node(id) takes, durations, nothing of the customer or the messages), the
// download's headers and who may fetch it, its expiry and sweep, and the refusals.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connect, type Sql } from '@switchboard/db/connect';
import { seedTenant } from '@switchboard/db/seed';
import { foldAll } from '@switchboard/api/analytics/folder';
import { runRetentionSweeps } from '@switchboard/api/retention/sweeps';
import { graphql, logIn, owner, resetDatabase, seedApiKey, seedDepartment, seedDevTenant, seedUser, startApi, DEV_TENANT, type Credentials, type RunningApi } from '../support/stack.ts';
import { insertConversation } from './raw.ts';

const PASSWORD = 'correct horse battery';
const T0 = new Date('2026-11-02T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const EXPORT = `mutation ($input: AnalyticsInput!, $report: AnalyticsReport!, $interval: AnalyticsInterval) {
  exportAnalytics(input: $input, report: $report, interval: $interval) {
    __typename
    ... on MutationExportAnalyticsSuccess { export { url expiresAt byteSize rows } }
    ... on ValidationError { field message } } }`;
const RANGE = { from: at(-3600).toISOString(), to: at(86_400).toISOString(), timeZone: 'UTC' };
const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const BOM = '\uFEFF';

describe('analytics exports', () => {
  let api: RunningApi;
  let app: Sql;
  let blobDir: string;
  let tenantId: string;
  let ana: string;
  let manager: Credentials;
  let conversations: string[];

  beforeAll(async () => {
    blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-analytics-export-'));
    api = await startApi({ runJobs: false, analyticsRollups: false, blobStore: { kind: 'local', dir: blobDir } });
    app = connect(inject('appUrl'), { max: 4 });
  });
  afterAll(async () => {
    await app?.end();
    await api?.stop();
    await rm(blobDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetDatabase();
    tenantId = (await seedDevTenant()).tenantId;
    ana = (await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent' })).id;
    await seedUser(tenantId, { email: 'mia@acme.test', name: 'Mia Manager', role: 'manager' });
    const sales = await seedDepartment(tenantId, { name: 'Sales', members: [ana] });
    manager = await logIn(api.url, 'mia@acme.test', PASSWORD);
    await owner()`update contacts set display_name = 'Sheena Nelson' where tenant_id = ${tenantId}`;
    conversations = [
      await insertConversation(owner(), tenantId, {
        createdAt: at(0), phoneNumberId: DEV_TENANT.phoneNumberId, departmentId: sales, assigneeId: ana, resolvedAt: at(600),
        messages: [{ at: at(0), direction: 'inbound' }, { at: at(90), direction: 'outbound', authorId: ana }, { at: at(200), direction: 'inbound' }, { at: at(230), direction: 'outbound', authorId: ana }],
      }),
      await insertConversation(owner(), tenantId, { createdAt: at(3600), phoneNumberId: DEV_TENANT.phoneNumberId, messages: [{ at: at(3600), direction: 'inbound' }] }),
    ];
    // Text the file must never carry.
    await owner()`update messages set text = 'My card number is 4111' where tenant_id = ${tenantId}`;
    await foldAll(app);
  });

  const exportOf = async (report: string, credentials: Credentials = manager, input: Record<string, unknown> = RANGE, interval?: string) =>
    graphql(api.url, credentials, EXPORT, { input, report, interval });
  /** The file as text, its byte-order mark kept (Response.text() drops it). */
  const csvOf = async (url: string) => Buffer.from(await (await download(url, manager)).arrayBuffer()).toString('utf8');
  const download = (url: string, credentials: Credentials) =>
    fetch(`${api.url}${url}`, {
      headers: typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : credentials ? { cookie: credentials.cookie } : {},
    });

  it('writes one row per conversation, starting with the id node(id) takes, with no message text or customer', async () => {
    const res = await exportOf('CONVERSATIONS');
    const file = res.data.exportAnalytics.export;
    expect(file.rows).toBe(2);
    expect(new Date(file.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    const answer = await download(file.url, manager);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="analytics-conversations-[0-9a-f-]+\.csv"$/);
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    const bytes = Buffer.from(await answer.arrayBuffer());
    expect(Number(answer.headers.get('content-length'))).toBe(bytes.byteLength);
    expect(bytes.byteLength).toBe(file.byteSize);
    const text = bytes.toString('utf8');
    expect(text.startsWith(BOM)).toBe(true);
    const lines = text.slice(1).trimEnd().split('\n');
    expect(lines[0]).toBe('conversation_id,opened_at,first_response_at,resolved_at,status,department,agent,business_number,first_response_seconds,resolution_seconds,replies,mean_reply_seconds');
    expect(lines.slice(1)).toEqual([
      `${gid('Conversation', conversations[0]!)},2026-11-02T09:00:00.000Z,2026-11-02T09:01:30.000Z,2026-11-02T09:10:00.000Z,resolved,Sales,Ana Agent,${DEV_TENANT.displayPhoneNumber},90,600,2,60`,
      `${gid('Conversation', conversations[1]!)},2026-11-02T10:00:00.000Z,,,open,,,${DEV_TENANT.displayPhoneNumber},,,0,`,
    ]);
    const customers = await owner()<{ waId: string }[]>`select wa_id from contacts where tenant_id = ${tenantId}`;
    for (const secret of ['4111', 'Sheena', ...customers.map((c) => c.waId)]) expect(text).not.toContain(secret);
    const node = await graphql(api.url, manager, 'query ($id: ID!) { node(id: $id) { ... on Conversation { status } } }', { id: lines[1]!.split(',')[0] });
    expect(node.data.node).toEqual({ status: 'RESOLVED' });
    const audit = await owner()`select action, actor_kind, detail from audit_events where tenant_id = ${tenantId} and action like 'analytics.%' order by at`;
    expect(audit.map((a) => [a.action, a.actorKind, a.detail.report])).toEqual([['analytics.exported', 'user', 'conversations'], ['analytics.export.downloaded', 'user', 'conversations']]);
  });

  it('writes the agents, departments and series reports with the same figures the API answers', async () => {
    const agents = await csvOf((await exportOf('AGENTS')).data.exportAnalytics.export.url);
    expect(agents.startsWith(BOM)).toBe(true);
    const [header, ...rows] = agents.slice(1).trimEnd().split('\n');
    expect(header).toBe('agent_id,agent,conversations_opened,conversations_resolved,messages_inbound,messages_outbound,outbound_agent,outbound_bot,outbound_template,outbound_business_app,outbound_api,first_response_count,first_response_median_seconds,first_response_p90_seconds,first_response_mean_seconds,reply_count,reply_median_seconds,reply_p90_seconds,reply_mean_seconds,resolution_count,resolution_median_seconds,resolution_p90_seconds,resolution_mean_seconds');
    const byName = Object.fromEntries(rows.map((r) => [r.split(',')[1], r.split(',')]));
    expect(byName['Ana Agent']!.slice(0, 12)).toEqual([gid('User', ana), 'Ana Agent', '1', '1', '2', '2', '2', '0', '0', '0', '0', '1']);
    expect(Number(byName['Ana Agent']![14])).toBe(90);
    expect(byName['']!.slice(2, 5)).toEqual(['1', '0', '1']); // the unassigned conversation

    const series = await csvOf((await exportOf('SERIES', manager, { ...RANGE, timeZone: 'America/New_York' })).data.exportAnalytics.export.url);
    const days = series.slice(1).trimEnd().split('\n').slice(1).map((r) => r.split(',').slice(0, 3));
    expect(days).toEqual([['2026-11-02T00:00:00-05:00', '2', '1'], ['2026-11-03T00:00:00-05:00', '0', '0']]);

    // A name that starts like a spreadsheet formula is written so that it shows, never runs.
    await owner()`update departments set name = '=HYPERLINK("https://evil.example")' where tenant_id = ${tenantId}`;
    const departments = await csvOf((await exportOf('DEPARTMENTS')).data.exportAnalytics.export.url);
    expect(departments.slice(1).split('\n')[0]!.startsWith('department_id,department,conversations_opened')).toBe(true);
    expect(departments).toContain(`,"'=HYPERLINK(""https://evil.example"")",1,1,2,2,`);
  });

  it('serves the file to the tenant’s managers and READ keys only, and deletes it when it expires', async () => {
    const url = (await exportOf('CONVERSATIONS', await seedApiKey(tenantId, ['read']))).data.exportAnalytics.export.url;
    expect((await download(url, await seedApiKey(tenantId, ['read']))).status).toBe(200);
    expect((await download(url, null)).status).toBe(401);
    // Another site's page may not read it with the person's cookie (no CORS for origins not allowed).
    const foreign = await fetch(`${api.url}${url}`, { headers: { authorization: `Bearer ${await seedApiKey(tenantId, ['read'])}`, origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await download(url, await logIn(api.url, 'ana@acme.test', PASSWORD))).status).toBe(403);
    expect((await download(url, await seedApiKey(tenantId, ['send']))).status).toBe(403);
    const other = (await seedTenant(owner(), { name: 'Other', wabaId: 'waba-o', phoneNumberId: 'pn-o', displayPhoneNumber: '15550000777' })).tenantId;
    await seedUser(other, { email: 'olga@other.test', role: 'admin' });
    expect((await download(url, await logIn(api.url, 'olga@other.test', PASSWORD))).status).toBe(404);
    expect((await download(url, await seedApiKey(other, ['read']))).status).toBe(404);
    expect((await download('/analytics-exports/not-a-uuid', manager)).status).toBe(404);

    const files = async () => (await readdir(path.join(blobDir, 'analytics-exports', tenantId))).filter((f) => f.endsWith('.csv'));
    expect(await files()).toHaveLength(1);
    // A minute before it expires the sweep leaves it; after, the row goes and the file's deletion is queued.
    const [row] = await owner()<{ expiresAt: Date }[]>`select expires_at from analytics_exports where tenant_id = ${tenantId}`;
    const log = () => {};
    await runRetentionSweeps(app, { now: new Date(row!.expiresAt.getTime() - 60_000), rawWebhookCeilingDays: 7, log });
    expect(await owner()`select 1 from analytics_exports where tenant_id = ${tenantId}`).toHaveLength(1);
    await owner()`update analytics_exports set expires_at = now() - interval '1 second' where tenant_id = ${tenantId}`;
    expect((await download(url, manager)).status).toBe(404);
    const results = await runRetentionSweeps(app, { now: new Date(), rawWebhookCeilingDays: 7, log });
    expect(results.get(tenantId)?.analyticsExports).toBe(1);
    expect(await owner()`select 1 from analytics_exports where tenant_id = ${tenantId}`).toHaveLength(0);
    const jobs = await owner()<{ key: string }[]>`select j.payload->>'key' as key from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'delete_media_blob'`;
    expect(jobs.map((j) => j.key)).toContain(`analytics-exports/${tenantId}/${path.basename(url)}.csv`);
  });

  it('keeps rollups for the policy’s analyticsMonths, then deletes them', async () => {
    await owner()`insert into retention_policies (tenant_id, messages_days, raw_webhook_days, dead_letter_days, staff_purge_days, export_days, audit_days, analytics_months)
                  values (${tenantId}, 90, 7, 30, 30, 7, 365, 1)
                  on conflict (tenant_id) do update set analytics_months = 1`;
    const before = (await owner()<{ n: number }[]>`select count(*)::int as n from analytics_rollups where tenant_id = ${tenantId}`)[0]!.n;
    expect(before).toBeGreaterThan(0);
    await runRetentionSweeps(app, { now: new Date('2026-12-01T00:00:00Z'), rawWebhookCeilingDays: 7, log: () => {} });
    expect((await owner()<{ n: number }[]>`select count(*)::int as n from analytics_rollups where tenant_id = ${tenantId}`)[0]!.n).toBe(before);
    // 3 December: November 2's quarters and day have ended before the cutoff (3 November) and go; the
    // month of November has not, and stays whole.
    const grains = async () => (await owner()<{ grain: string }[]>`select distinct grain from analytics_rollups where tenant_id = ${tenantId} order by 1`).map((r) => r.grain);
    const first = await runRetentionSweeps(app, { now: new Date('2026-12-03T00:00:00Z'), rawWebhookCeilingDays: 7, log: () => {}, batch: 5 });
    expect(await grains()).toEqual(['month']);
    const second = await runRetentionSweeps(app, { now: new Date('2027-01-02T00:00:00Z'), rawWebhookCeilingDays: 7, log: () => {}, batch: 5 });
    expect(first.get(tenantId)!.analyticsRollups + second.get(tenantId)!.analyticsRollups).toBe(before);
    expect(await grains()).toEqual([]);
  });

  it('refuses agents and keys without READ, and bad input with a ValidationError, writing nothing', async () => {
    const agent = await logIn(api.url, 'ana@acme.test', PASSWORD);
    expect(codes(await exportOf('AGENTS', agent))).toEqual(['FORBIDDEN']);
    expect(codes(await exportOf('AGENTS', await seedApiKey(tenantId, ['send'])))).toEqual(['FORBIDDEN']);
    const backwards = await exportOf('AGENTS', manager, { from: RANGE.to, to: RANGE.from });
    expect(backwards.data.exportAnalytics).toMatchObject({ __typename: 'ValidationError', field: 'input.to' });
    const zone = await exportOf('SERIES', manager, { ...RANGE, timeZone: 'Atlantis/Capital' });
    expect(zone.data.exportAnalytics).toMatchObject({ __typename: 'ValidationError', field: 'input.timeZone' });
    const hourly = await exportOf('SERIES', manager, { from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }, 'HOUR');
    expect(hourly.data.exportAnalytics).toMatchObject({ __typename: 'ValidationError', field: 'interval' });
    expect(await owner()`select 1 from analytics_exports`).toHaveLength(0);
  });
});
