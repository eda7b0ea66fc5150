// The analytics part of `pnpm bench` (issue 13): every dashboard query over 30 days and over 12 months on
// the largest tenant, through GraphQL over HTTP as the dashboard and partners ask it, p50 and p95; beside
// each, the same figures computed from the raw rows (the definitions applied to conversations and
// messages, no rollup read) — how long that took, as a ratio, and whether every figure agrees. The raw
// computation runs the definitions over the range's rows once (the part that grows with the data) and
// then groups them for each query; each query's raw time is that once plus its own grouping.
import { createClient } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';
import type { Sql } from '@switchboard/db/connect';
import { RELATIVE_ERROR } from '@switchboard/api/analytics/histogram';
import { percentile } from './load.ts';
import type { BenchTenant } from './analytics-data.ts';

const STATS = 'count median p90 mean';
const VOLUMES = 'conversationsOpened conversationsResolved messagesInbound messagesOutbound';
const FIGURES = `${VOLUMES} firstResponseTime { ${STATS} } replyTime { ${STATS} } resolutionTime { ${STATS} }`;

type Grouping = 'totals' | 'day' | 'hour' | 'heatmap' | 'agent' | 'department' | 'phoneNumber' | 'dashboard';

interface AnalyticsQuery {
  name: string;
  grouping: Grouping;
  document: string;
  interval?: 'DAY' | 'HOUR';
}

/** The queries: each part the Analytics page shows, as a query of its own, then the page's whole query. */
export const ANALYTICS_QUERIES: AnalyticsQuery[] = [
  { name: 'totals (volumes, three distributions)', grouping: 'totals', document: `query ($input: AnalyticsInput!) { analytics(input: $input) { ${FIGURES} } }` },
  { name: 'series by day', grouping: 'day', interval: 'DAY', document: `query ($input: AnalyticsInput!) { analytics(input: $input) { series(interval: DAY) { start ${FIGURES} } } }` },
  { name: 'series by hour', grouping: 'hour', interval: 'HOUR', document: `query ($input: AnalyticsInput!) { analytics(input: $input) { series(interval: HOUR) { start ${FIGURES} } } }` },
  { name: 'heatmap', grouping: 'heatmap', document: `query ($input: AnalyticsInput!) { analytics(input: $input) { heatmap { weekday hour conversationsOpened messagesInbound messagesOutbound } } }` },
  { name: 'agents', grouping: 'agent', document: `query ($input: AnalyticsInput!) { analytics(input: $input) { agents { agentId agent { id name } ${FIGURES} } } }` },
  { name: 'departments', grouping: 'department', document: `query ($input: AnalyticsInput!) { analytics(input: $input) { departments { department { id name } ${FIGURES} } } }` },
  { name: 'business numbers', grouping: 'phoneNumber', document: `query ($input: AnalyticsInput!) { analytics(input: $input) { phoneNumbers { phoneNumberId ${FIGURES} } } }` },
  {
    name: "the Analytics page's whole query",
    grouping: 'dashboard',
    document: `query ($input: AnalyticsInput!) { analytics(input: $input) {
      ${FIGURES}
      series(interval: DAY) { start ${VOLUMES} }
      heatmap { weekday hour conversationsOpened messagesInbound messagesOutbound }
      agents { agentId agent { id name } ${FIGURES} }
      departments { department { id name } ${FIGURES} } } }`,
  },
];

export interface QueryLatency {
  query: string;
  range: string;
  runs: number;
  p50: number;
  p95: number;
  /** From raw rows: the definitions over the range's rows once (scanMs), then this query's grouping. */
  raw?: { ms: number; scanMs: number; groupMs: number; compared: number; differing: string[] };
}

async function graphql(apiUrl: string, key: string, document: string, variables: unknown): Promise<{ ms: number; data: Record<string, unknown> }> {
  const t0 = performance.now();
  const res = await request(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = (await res.body.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  const ms = performance.now() - t0;
  if (res.statusCode !== 200 || body.errors?.length) throw new Error(`analytics query failed (${res.statusCode}): ${body.errors?.map((e) => e.message).join('; ')}`);
  return { ms, data: body.data! };
}

/**
 * p50 and p95 of `runs` sequential requests of each query (after a warm-up), for each range; with `raw`,
 * the raw-rows computation of the same figures `rawRuns` times, and every figure compared.
 */
export async function benchAnalyticsQueries(
  { apiUrl, key, owner, tenant, now, runs, raw }: { apiUrl: string; key: string; owner: Sql; tenant: BenchTenant; now: Date; runs: number; raw: boolean },
  print: (result: QueryLatency) => void,
): Promise<QueryLatency[]> {
  // The dashboard's presets (web/src/lib/analytics/range.ts), for a manager in the tenant's zone: whole
  // days up to the end of today — the last 30 days, and this month with the eleven before it.
  const [bounds] = await owner<{ last30: Date; year: Date; tomorrow: Date }[]>`
    select date_subtract(date_trunc('day', ${now}::timestamptz, ${tenant.timeZone}), interval '29 days', ${tenant.timeZone}) as last30,
           date_subtract(date_trunc('month', ${now}::timestamptz, ${tenant.timeZone}), interval '11 months', ${tenant.timeZone}) as year,
           date_add(date_trunc('day', ${now}::timestamptz, ${tenant.timeZone}), interval '1 day', ${tenant.timeZone}) as tomorrow`;
  const to = bounds!.tomorrow;
  const ranges = [
    { name: '30 days', from: bounds!.last30 },
    { name: '12 months', from: bounds!.year },
  ];
  const results: QueryLatency[] = [];
  for (const range of ranges) {
    const input = { from: range.from.toISOString(), to: to.toISOString() };
    const rawRows = raw ? await rawContributions(owner, tenant, range.from, to) : null;
    try {
      for (const query of ANALYTICS_QUERIES) {
        // An hourly series is at most three months long (MAX_SERIES_BUCKETS): not asked over a year.
        if (query.grouping === 'hour' && range.name === '12 months') continue;
        let answer: Record<string, unknown> = {};
        for (let i = 0; i < 3; i++) answer = (await graphql(apiUrl, key, query.document, { input })).data;
        const times: number[] = [];
        for (let i = 0; i < runs; i++) times.push((await graphql(apiUrl, key, query.document, { input })).ms);
        times.sort((a, b) => a - b);
        const result: QueryLatency = { query: query.name, range: range.name, runs, p50: percentile(times, 50), p95: percentile(times, 95) };
        if (rawRows && query.grouping !== 'dashboard') {
          const t0 = performance.now();
          const rows = await rawRows.group(query.grouping);
          const groupMs = performance.now() - t0;
          result.raw = { ms: rawRows.scanMs + groupMs, scanMs: rawRows.scanMs, groupMs, ...compare(query.grouping, answer, rows) };
        }
        results.push(result);
        print(result);
      }
    } finally {
      await rawRows?.release();
    }
  }
  return results;
}

interface RawRow {
  key: string | null;
  conversationsOpened: number;
  conversationsResolved: number;
  messagesInbound: number;
  messagesOutbound: number;
  firstResponseCount: number;
  firstResponseMedian: number | null;
  firstResponseP90: number | null;
  firstResponseMean: number | null;
  replyCount: number;
  replyMedian: number | null;
  replyP90: number | null;
  replyMean: number | null;
  resolutionCount: number;
  resolutionMedian: number | null;
  resolutionP90: number | null;
  resolutionMean: number | null;
}

/**
 * The figures from the raw rows: analytics_contributions (the definitions) over every conversation of the
 * range, kept in a temporary table, then aggregated per query with exact nearest-rank percentiles
 * (percentile_disc) — no rollup read. Conversations are those whose life (opening to last message or
 * resolution) meets the range; an event counts when its quarter hour does, as the rollups count it.
 */
async function rawContributions(owner: Sql, tenant: BenchTenant, from: Date, to: Date) {
  const conn = await owner.reserve();
  await conn`select set_config('app.tenant_id', ${tenant.id}, false)`;
  const t0 = performance.now();
  await conn`
    create temporary table raw_contributions as
    select c.* from analytics_contributions(array(
             select id from conversations
              where tenant_id = app_tenant_id() and created_at < ${to}
                and greatest(last_message_at, resolved_at) >= ${from}::timestamptz - interval '1 day')) c
     where c.quarter >= ${from.getTime() / 1000} and c.quarter < ${to.getTime() / 1000}`;
  const scanMs = performance.now() - t0;
  const zone = tenant.timeZone;
  return {
    scanMs,
    group(grouping: Grouping): Promise<RawRow[]> {
      const key =
        grouping === 'totals' ? conn`null::text`
        : grouping === 'day' || grouping === 'hour' ? conn`extract(epoch from date_trunc(${grouping}, to_timestamp(c.quarter), ${zone}))::bigint::text`
        : grouping === 'heatmap' ? conn`(extract(isodow from to_timestamp(c.quarter) at time zone ${zone}) * 100 + extract(hour from to_timestamp(c.quarter) at time zone ${zone}))::int::text`
        : grouping === 'agent' ? conn`c.agent_id::text`
        : grouping === 'department' ? conn`c.department_id::text`
        : conn`c.phone_number_id`;
      const stats = (metric: string) => conn`
        count(*) filter (where c.metric = ${metric})::int as ${conn(`${metric}_count`)},
        percentile_disc(0.5) within group (order by c.value) filter (where c.metric = ${metric}) as ${conn(`${metric}_median`)},
        percentile_disc(0.9) within group (order by c.value) filter (where c.metric = ${metric}) as ${conn(`${metric}_p90`)},
        avg(c.value) filter (where c.metric = ${metric}) as ${conn(`${metric}_mean`)}`;
      return conn<RawRow[]>`
        select ${key} as key,
               coalesce(sum(c.value) filter (where c.metric = 'opened'), 0)::int as conversations_opened,
               coalesce(sum(c.value) filter (where c.metric = 'resolved'), 0)::int as conversations_resolved,
               coalesce(sum(c.value) filter (where c.metric = 'inbound'), 0)::int as messages_inbound,
               coalesce(sum(c.value) filter (where c.metric in ('agent', 'bot', 'template', 'business_app', 'api')), 0)::int as messages_outbound,
               ${stats('first_response')}, ${stats('reply')}, ${stats('resolution')}
          from raw_contributions c
         group by 1`;
    },
    async release() {
      await conn`drop table raw_contributions`;
      conn.release();
    },
  };
}

/** Every figure of the GraphQL answer against the raw rows': counts exactly, percentiles within the stated error. */
function compare(grouping: Grouping, answer: Record<string, unknown>, rows: RawRow[]): { compared: number; differing: string[] } {
  const analytics = answer.analytics as Record<string, unknown>;
  const rawByKey = new Map(rows.map((r) => [r.key, r]));
  const entries: [string | null, Record<string, unknown>][] =
    grouping === 'totals' ? [[null, analytics]]
    : grouping === 'day' || grouping === 'hour' ? (analytics.series as { start: string }[]).map((b) => [String(new Date(b.start).getTime() / 1000), b])
    : grouping === 'heatmap' ? (analytics.heatmap as { weekday: number; hour: number }[]).map((c) => [String(c.weekday * 100 + c.hour), c])
    : grouping === 'agent' ? (analytics.agents as { agentId: string | null }[]).map((a) => [a.agentId ? idOf(a.agentId) : null, a])
    : grouping === 'department' ? (analytics.departments as { department: { id: string } | null }[]).map((d) => [d.department ? idOf(d.department.id) : null, d])
    : (analytics.phoneNumbers as { phoneNumberId: string }[]).map((p) => [p.phoneNumberId, p]);
  let compared = 0;
  const differing: string[] = [];
  const check = (where: string, ours: unknown, theirs: number | null, tolerance: number) => {
    if (ours === undefined) return;
    compared++;
    const a = ours as number | null;
    const ok = a === null || theirs === null ? a === theirs || (a === 0 && theirs === null) : Math.abs(a - theirs) <= tolerance * Math.max(Math.abs(theirs), 1e-9);
    if (!ok) differing.push(`${where}: ${a} against ${theirs}`);
  };
  const empty: RawRow = {
    key: null, conversationsOpened: 0, conversationsResolved: 0, messagesInbound: 0, messagesOutbound: 0,
    firstResponseCount: 0, firstResponseMedian: null, firstResponseP90: null, firstResponseMean: null,
    replyCount: 0, replyMedian: null, replyP90: null, replyMean: null,
    resolutionCount: 0, resolutionMedian: null, resolutionP90: null, resolutionMean: null,
  };
  const seen = new Set<string | null>();
  for (const [key, figures] of entries) {
    seen.add(key);
    const r = rawByKey.get(key) ?? empty;
    const at = `${grouping} ${key ?? 'none'}`;
    for (const v of ['conversationsOpened', 'conversationsResolved', 'messagesInbound', 'messagesOutbound'] as const) check(`${at} ${v}`, figures[v], r[v], 0);
    for (const [field, prefix] of [['firstResponseTime', 'firstResponse'], ['replyTime', 'reply'], ['resolutionTime', 'resolution']] as const) {
      const stats = figures[field] as { count: number; median: number | null; p90: number | null; mean: number | null } | undefined;
      if (!stats) continue;
      check(`${at} ${field}.count`, stats.count, r[`${prefix}Count`], 0);
      check(`${at} ${field}.median`, stats.median, r[`${prefix}Median`], RELATIVE_ERROR);
      check(`${at} ${field}.p90`, stats.p90, r[`${prefix}P90`], RELATIVE_ERROR);
      check(`${at} ${field}.mean`, stats.mean, r[`${prefix}Mean`], 1e-9);
    }
  }
  // Activity the raw rows show that the answer left out.
  for (const r of rows) {
    if (!seen.has(r.key) && (r.conversationsOpened || r.messagesInbound || r.messagesOutbound || r.conversationsResolved)) {
      compared++;
      differing.push(`${grouping} ${r.key ?? 'none'}: missing from the answer`);
    }
  }
  return { compared, differing };
}

/** A global id's own id (base64 of `Type:id`). */
function idOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');
}

/**
 * Live latency: a webhook from a new customer posted to /ingest every `everyMs` opens a conversation, so
 * the tenant's queue grows by one; the time from posting it (ingest commits before answering) to the
 * `liveQueueChanged` event that counts it, for each, over a real graphql-ws socket.
 */
export async function benchLiveQueue(
  { apiUrl, key, count, everyMs, postNewCustomer }: { apiUrl: string; key: string; count: number; everyMs: number; postNewCustomer: (i: number) => Promise<void> },
): Promise<{ latencies: number[]; missed: number }> {
  const client = createClient({ url: apiUrl.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, lazy: false, retryAttempts: 0 });
  let waiting = -1;
  const watchers: { atLeast: number; resolve: (at: number) => void }[] = [];
  const first = new Promise<void>((resolve) => {
    client.subscribe<{ liveQueueChanged: { waiting: number } }>(
      { query: 'subscription { liveQueueChanged { waiting } }' },
      {
        next: ({ data }) => {
          const at = performance.now();
          waiting = data!.liveQueueChanged.waiting;
          resolve();
          for (const w of [...watchers]) if (waiting >= w.atLeast) (watchers.splice(watchers.indexOf(w), 1), w.resolve(at));
        },
        error: () => {},
        complete: () => {},
      },
    );
  });
  // The subscription answers with the queue as it is when it starts: listening is observable.
  await first;
  const latencies: number[] = [];
  let missed = 0;
  // One webhook at a time, paced, so each event answers its own webhook.
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const heard = new Promise<number>((resolve) => watchers.push({ atLeast: waiting + 1, resolve }));
    await postNewCustomer(i);
    const at = await Promise.race([heard, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    if (at === null) missed++;
    else latencies.push(at - t0);
    const rest = everyMs - (performance.now() - t0);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  await client.dispose();
  return { latencies, missed };
}
