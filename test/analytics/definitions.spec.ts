// The definitions of docs/analytics.md on hand-built conversations with known times (a controlled clock):
// rows inserted at chosen times, folded, then read through GraphQL over real HTTP as a manager would.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connect, type Sql } from '@switchboard/db/connect';
import { foldAll } from '@switchboard/api/analytics/folder';
import { RELATIVE_ERROR } from '@switchboard/api/analytics/histogram';
import { textMessage } from '../meta-sandbox/payloads.ts';
import { devTenantBody } from '../support/webhooks.ts';
import { graphql, ingest, logIn, owner, resetDatabase, seedDepartment, seedDevTenant, seedUser, startApi, DEV_TENANT, type Credentials, type RunningApi } from '../support/stack.ts';
import { addMessages, insertConversation } from './raw.ts';

const T0 = new Date('2026-11-02T09:00:00Z'); // a Monday
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const STATS = 'count median p90 mean';
const FIGURES = `conversationsOpened conversationsResolved messagesInbound messagesOutbound
  outbound { agent bot template businessApp api }
  firstResponseTime { ${STATS} } replyTime { ${STATS} } resolutionTime { ${STATS} }`;
const ANALYTICS = `query ($input: AnalyticsInput!) { analytics(input: $input) { ${FIGURES} } }`;

/** Within the histograms' stated error of the exact value. */
const near = (value: number) => ({
  asymmetricMatch: (actual: number | null) => actual !== null && Math.abs(actual - value) <= value * RELATIVE_ERROR + 1e-9,
  toString: () => `≈${value}`,
});

describe('analytics definitions', () => {
  let api: RunningApi;
  let app: Sql;
  let tenantId: string;
  let ana: string;
  let bo: string;
  let sales: string;
  let manager: Credentials;

  beforeAll(async () => {
    api = await startApi({ runJobs: false, analyticsRollups: false });
    app = connect(inject('appUrl'), { max: 4 });
  });
  afterAll(async () => {
    await app?.end();
    await api?.stop();
  });
  beforeEach(async () => {
    await resetDatabase();
    tenantId = (await seedDevTenant()).tenantId;
    ana = (await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana Agent' })).id;
    bo = (await seedUser(tenantId, { email: 'bo@acme.test', name: 'Bo Agent' })).id;
    await seedUser(tenantId, { email: 'mia@acme.test', name: 'Mia Manager', role: 'manager' });
    sales = await seedDepartment(tenantId, { name: 'Sales', members: [ana, bo] });
    manager = await logIn(api.url, 'mia@acme.test', 'correct horse battery');
  });

  const read = async (input: Record<string, unknown>, query = ANALYTICS) => {
    const res = await graphql(api.url, manager, query, { input: { from: at(-3600).toISOString(), to: at(86_400).toISOString(), timeZone: 'UTC', ...input } });
    expect(res.errors).toBeUndefined();
    return res.data.analytics;
  };

  it('counts first response, reply and resolution times, and volumes by who sent them', async () => {
    const pn = DEV_TENANT.phoneNumberId;
    // A: the customer writes twice, Ana answers after 90 s, writes again at once (no wait), the customer
    // writes at 200 s and Ana answers at 260 s; resolved at 1000 s.
    await insertConversation(owner(), tenantId, {
      createdAt: at(0), phoneNumberId: pn, departmentId: sales, assigneeId: ana, resolvedAt: at(1000),
      messages: [
        { at: at(0), direction: 'inbound' }, { at: at(30), direction: 'inbound' },
        { at: at(90), direction: 'outbound', authorId: ana }, { at: at(100), direction: 'outbound', authorId: ana },
        { at: at(200), direction: 'inbound' }, { at: at(260), direction: 'outbound', authorId: ana },
      ],
    });
    // B: the business starts with a template: no first response time; the customer answers at 400 s
    // and Bo replies at 700 s (a reply time of 300 s).
    await insertConversation(owner(), tenantId, {
      createdAt: at(0), phoneNumberId: pn, departmentId: sales, assigneeId: bo,
      messages: [
        { at: at(0), direction: 'outbound', type: 'template', authorId: bo },
        { at: at(400), direction: 'inbound' }, { at: at(700), direction: 'outbound', authorId: bo },
      ],
    });
    // C: a bot answers first and hands off at 60 s; Bo's reply at 100 s is 40 s after the handoff, and
    // 100 s after the customer's unanswered message (the bot does not answer it).
    await insertConversation(owner(), tenantId, {
      createdAt: at(0), phoneNumberId: pn, departmentId: sales, assigneeId: bo, botHandoffAt: at(60),
      messages: [
        { at: at(0), direction: 'inbound' }, { at: at(5), direction: 'outbound', origin: 'bot' },
        { at: at(100), direction: 'outbound', authorId: bo },
      ],
    });
    // D: answered from the WhatsApp Business app after 30 s (a human reply, nobody's in Switchboard), and
    // a partner key's message after 10 s that answers nothing.
    await insertConversation(owner(), tenantId, {
      createdAt: at(0), phoneNumberId: pn, messages: [
        { at: at(0), direction: 'inbound' }, { at: at(10), direction: 'outbound' },
        { at: at(30), direction: 'outbound', origin: 'business_app' },
      ],
    });
    await foldAll(app);

    const figures = await read({});
    expect(figures).toEqual({
      conversationsOpened: 4,
      conversationsResolved: 1,
      messagesInbound: 6,
      messagesOutbound: 9,
      outbound: { agent: 5, bot: 1, template: 1, businessApp: 1, api: 1 },
      // 90 (A), 40 (C), 30 (D): median 40, p90 90, mean 160/3
      firstResponseTime: { count: 3, median: near(40), p90: near(90), mean: 160 / 3 },
      // A: 90, 60; B: 300; C: 100; D: 30 → sorted 30 60 90 100 300
      replyTime: { count: 5, median: near(90), p90: near(300), mean: 580 / 5 },
      resolutionTime: { count: 1, median: near(1000), p90: near(1000), mean: 1000 },
    });

    const agents = (await read({}, `query ($input: AnalyticsInput!) { analytics(input: $input) { agents { agent { name } conversationsResolved messagesOutbound firstResponseTime { count mean } replyTime { count mean } } } }`)).agents;
    const byName = Object.fromEntries(agents.map((a: { agent: { name: string } | null }) => [a.agent?.name ?? '(nobody)', a]));
    expect(byName['Ana Agent']).toMatchObject({ conversationsResolved: 1, messagesOutbound: 3, firstResponseTime: { count: 1, mean: 90 }, replyTime: { count: 2, mean: 75 } });
    expect(byName['Bo Agent']).toMatchObject({ conversationsResolved: 0, messagesOutbound: 3, firstResponseTime: { count: 1, mean: 40 }, replyTime: { count: 2, mean: 200 } });
    expect(byName['(nobody)']).toMatchObject({ messagesOutbound: 3, firstResponseTime: { count: 1, mean: 30 } });

    // Filtered to Bo: his conversations and his messages only.
    const mine = await read({ agentId: Buffer.from(`User:${bo}`).toString('base64') });
    expect(mine).toMatchObject({ conversationsOpened: 2, messagesOutbound: 3, messagesInbound: 2, firstResponseTime: { count: 1 }, replyTime: { count: 2, mean: 200 } });
  });

  it('folds a conversation that only grew from what came before, the same as reading it whole, and reads it whole when a kept message is gone', async () => {
    const pn = DEV_TENANT.phoneNumberId;
    const id = await insertConversation(owner(), tenantId, {
      createdAt: at(0), phoneNumberId: pn, departmentId: sales, assigneeId: ana,
      messages: [{ at: at(0), direction: 'inbound' }, { at: at(50), direction: 'outbound', authorId: ana }, { at: at(70), direction: 'outbound', authorId: ana }],
    });
    await foldAll(app);
    const kept = async () => (await owner()<{ appendable: boolean; waiting: Date | null }[]>`
      select appendable, waiting_at as waiting from conversation_metrics where conversation_id = ${id}`)[0];
    expect(await kept()).toEqual({ appendable: true, waiting: null });
    // The customer writes twice, Bo answers 120 s after the first (a reply, not a first response: Ana gave
    // that), then the customer again — each delivery folded on its own, as they arrive.
    await addMessages(owner(), tenantId, id, pn, [{ at: at(200), direction: 'inbound' }]);
    await foldAll(app);
    expect(await kept()).toEqual({ appendable: true, waiting: at(200) });
    await addMessages(owner(), tenantId, id, pn, [{ at: at(260), direction: 'inbound' }]);
    await foldAll(app);
    await addMessages(owner(), tenantId, id, pn, [{ at: at(320), direction: 'outbound', authorId: bo }, { at: at(400), direction: 'inbound' }]);
    await foldAll(app);
    expect(await read({})).toMatchObject({
      conversationsOpened: 1, messagesInbound: 4, messagesOutbound: 3,
      firstResponseTime: { count: 1, mean: 50 },
      replyTime: { count: 2, mean: (50 + 120) / 2 },
    });
    expect(await kept()).toEqual({ appendable: true, waiting: at(400) });

    // Retention deletes the oldest messages of a long conversation; the next delivery cannot build on the
    // first message kept, so the conversation is read whole: the figures are those of the rows left.
    await owner()`delete from messages where conversation_id = ${id} and sent_at < ${at(60)}`;
    await addMessages(owner(), tenantId, id, pn, [{ at: at(430), direction: 'outbound', authorId: ana }]);
    await foldAll(app);
    // Left: Ana at 70 s (the first message now: the business wrote first, so no first response), the
    // customer at 200, 260 and 400 s, Bo at 320 s (120 s after 200), Ana at 430 s (30 s after 400).
    expect(await read({})).toMatchObject({
      conversationsOpened: 1, messagesInbound: 3, messagesOutbound: 3,
      firstResponseTime: { count: 0 },
      replyTime: { count: 2, mean: (120 + 30) / 2 },
    });
  });

  it('moves a conversation’s figures when it changes hands, and recounts when a late message arrives out of order', async () => {
    const pn = DEV_TENANT.phoneNumberId;
    const id = await insertConversation(owner(), tenantId, {
      createdAt: at(0), phoneNumberId: pn, assigneeId: ana,
      messages: [{ at: at(100), direction: 'inbound' }, { at: at(160), direction: 'outbound', authorId: ana }],
    });
    await foldAll(app);
    expect(await read({})).toMatchObject({ conversationsOpened: 1, firstResponseTime: { count: 1, mean: 160 }, replyTime: { count: 1, mean: 60 } });

    // Meta delivers, late, a message the customer sent before the others: the conversation opened then,
    // and the customer waited from then.
    await addMessages(owner(), tenantId, id, pn, [{ at: at(-200), direction: 'inbound' }]);
    await owner()`update conversations set assignee_id = ${bo} where id = ${id}`;
    await foldAll(app);
    expect(await read({})).toMatchObject({ conversationsOpened: 1, messagesInbound: 2, firstResponseTime: { count: 1, mean: 360 }, replyTime: { count: 1, mean: 360 } });
    const agents = (await read({}, `query ($input: AnalyticsInput!) { analytics(input: $input) { agents { agent { name } conversationsOpened messagesInbound messagesOutbound } } }`)).agents;
    expect(agents.map((a: { agent: { name: string }; conversationsOpened: number; messagesInbound: number; messagesOutbound: number }) => [a.agent.name, a.conversationsOpened, a.messagesInbound, a.messagesOutbound]).sort()).toEqual([
      ['Ana Agent', 0, 0, 1],
      ['Bo Agent', 1, 2, 0],
    ]);

    // Retention or an erasure deletes the conversation: its metrics go with it, the rollups keep the sums.
    await owner()`delete from messages where conversation_id = ${id}`;
    await owner()`delete from conversations where id = ${id}`;
    expect(await owner()`select 1 from conversation_metrics where conversation_id = ${id}`).toHaveLength(0);
    await foldAll(app);
    expect(await read({})).toMatchObject({ conversationsOpened: 1, messagesInbound: 2, firstResponseTime: { count: 1, mean: 360 } });
  });

  it('cuts days and hours in the asked time zone, and lays the week out Monday to Sunday', async () => {
    const pn = DEV_TENANT.phoneNumberId;
    // 03:30 UTC on Tuesday 3 November is 22:30 on Monday 2 November in New York (UTC−5).
    const late = new Date('2026-11-03T03:30:00Z');
    await insertConversation(owner(), tenantId, { createdAt: late, phoneNumberId: pn, messages: [{ at: late, direction: 'inbound' }] });
    await insertConversation(owner(), tenantId, { createdAt: at(0), phoneNumberId: pn, messages: [{ at: at(0), direction: 'inbound' }] });
    await foldAll(app);
    const query = `query ($input: AnalyticsInput!) { analytics(input: $input) {
      series(interval: DAY) { start conversationsOpened messagesInbound firstResponseTime { median } }
      heatmap { weekday hour conversationsOpened } } }`;
    const range = { from: '2026-11-02T05:00:00Z', to: '2026-11-04T05:00:00Z' };
    const ny = await read({ ...range, timeZone: 'America/New_York' }, query);
    expect(ny.series.map((b: { start: string; conversationsOpened: number }) => [b.start, b.conversationsOpened])).toEqual([
      ['2026-11-02T05:00:00.000Z', 2],
      ['2026-11-03T05:00:00.000Z', 0],
    ]);
    const utc = await read({ ...range, timeZone: 'UTC' }, query);
    expect(utc.series.map((b: { start: string; conversationsOpened: number }) => [b.start, b.conversationsOpened])).toEqual([
      ['2026-11-02T00:00:00.000Z', 1],
      ['2026-11-03T00:00:00.000Z', 1],
      ['2026-11-04T00:00:00.000Z', 0],
    ]);
    const cells = (h: { weekday: number; hour: number; conversationsOpened: number }[]) => h.filter((c) => c.conversationsOpened > 0).map((c) => [c.weekday, c.hour, c.conversationsOpened]);
    expect(cells(ny.heatmap)).toEqual([[1, 4, 1], [1, 22, 1]]);
    expect(cells(utc.heatmap)).toEqual([[1, 9, 1], [2, 3, 1]]);
    expect(ny.heatmap).toHaveLength(168);
  });

  it('counts a range by its quarter hours, whole months and days in the tenant’s zone included', async () => {
    const pn = DEV_TENANT.phoneNumberId;
    // Kolkata is UTC+5:30: its days start at 18:30 UTC. Three openings: the last minute of 31 October
    // there, the first of 1 November, and one in the middle of November. Folded while the tenant counts
    // in UTC; then the tenant moves to Kolkata, and its days and months are rebuilt in the new zone.
    for (const iso of ['2026-10-31T18:29:00Z', '2026-10-31T18:30:00Z', '2026-11-15T12:00:00Z']) {
      await insertConversation(owner(), tenantId, { createdAt: new Date(iso), phoneNumberId: pn, messages: [{ at: new Date(iso), direction: 'inbound' }] });
    }
    await foldAll(app);
    await owner()`update tenants set time_zone = 'Asia/Kolkata' where id = ${tenantId}`;
    const months = await owner()<{ start: Date; n: number }[]>`
      select start, conversations_opened as n from analytics_rollups where tenant_id = ${tenantId} and grain = 'month' and scope = 'all' order by start`;
    expect(months.map((m) => [m.start.toISOString(), m.n])).toEqual([['2026-09-30T18:30:00.000Z', 1], ['2026-10-31T18:30:00.000Z', 2]]);
    const count = async (from: string, to: string) => (await read({ from, to, timeZone: undefined })).conversationsOpened;
    expect(await count('2026-10-31T18:30:00Z', '2026-11-30T18:30:00Z')).toBe(2); // November in Kolkata: a whole month row
    expect(await count('2026-10-01T00:00:00Z', '2026-12-31T00:00:00Z')).toBe(3);
    expect(await count('2026-10-31T18:15:00Z', '2026-10-31T18:45:00Z')).toBe(2); // two quarters
    expect(await count('2026-10-31T18:20:00Z', '2026-10-31T18:31:00Z')).toBe(2); // rounded out to 18:15–18:45
    expect(await count('2026-11-01T00:00:00Z', '2026-11-15T12:00:00Z')).toBe(0);
    const series = (await read({ from: '2026-10-31T18:30:00Z', to: '2026-11-02T18:30:00Z', timeZone: undefined }, `query ($input: AnalyticsInput!) { analytics(input: $input) { series(interval: DAY) { start conversationsOpened } } }`)).series;
    expect(series).toEqual([{ start: '2026-10-31T18:30:00.000Z', conversationsOpened: 1 }, { start: '2026-11-01T18:30:00.000Z', conversationsOpened: 0 }]);
  });

  it('marks nothing for the folder from a process run with ANALYTICS_ROLLUPS=off (the benchmark’s “off”)', async () => {
    // This suite's api runs with analyticsRollups: false; the owner's rows above were marked by the triggers.
    const body = devTenantBody({ name: 'Off', waId: '15550009999' }, [
      textMessage({ from: { name: 'Off', waId: '15550009999' }, id: 'wamid.analytics-off-1', timestamp: String(Math.floor(Date.now() / 1000)), body: 'hi' }),
    ]);
    expect((await ingest(api.url, [body])).status).toBe(200);
    expect(await owner()`select 1 from messages where tenant_id = ${tenantId}`).toHaveLength(1);
    expect(await owner()`select 1 from analytics_dirty where tenant_id = ${tenantId}`).toHaveLength(0);
    await insertConversation(owner(), tenantId, { createdAt: at(0), phoneNumberId: DEV_TENANT.phoneNumberId, messages: [{ at: at(0), direction: 'inbound' }] });
    expect(await owner()`select distinct conversation_id from analytics_dirty where tenant_id = ${tenantId}`).toHaveLength(1);
  });

  it('refuses a range backwards or too long, an unknown time zone, and an id of the wrong type, with INVALID_INPUT', async () => {
    const cases = [
      { from: at(0).toISOString(), to: at(-60).toISOString() },
      { from: '2024-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' },
      { timeZone: 'Mars/Olympus_Mons' },
      { departmentId: Buffer.from(`User:${ana}`).toString('base64') },
    ];
    for (const input of cases) {
      const res = await graphql(api.url, manager, ANALYTICS, { input: { from: at(-3600).toISOString(), to: at(3600).toISOString(), ...input } });
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_INPUT']);
    }
    const hourly = await graphql(api.url, manager, `query ($input: AnalyticsInput!) { analytics(input: $input) { series(interval: HOUR) { start } } }`, {
      input: { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
    });
    expect(hourly.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['INVALID_INPUT', 'interval']]);
  });
});
