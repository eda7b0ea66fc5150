// Reports read from the rollups only (db/migrations/00060, 00063): never from messages. A range is cut
// into the largest periods that fit it — whole months, days and hours of the tenant's time zone, then
// quarter hours at the edges — so a year is at most about twelve month rows, sixty day rows, fifty hours
// and eight quarters per key, whatever the tenant's size. Definitions: docs/analytics.md.
import type { Fragment, TransactionSql } from '@switchboard/db/connect';
import { durationStats, MergedHistogram, type DurationStats } from './histogram.ts';

export const QUARTER_MS = 15 * 60 * 1000;
/** The most buckets a series answers: two years by day, three months by hour. */
export const MAX_SERIES_BUCKETS = 2_232;

export interface AnalyticsRange {
  /** Rounded down to the quarter hour. */
  from: Date;
  /** Rounded up to the quarter hour. */
  to: Date;
  /** The zone days, hours and weekdays are read in (a valid IANA name). */
  timeZone: string;
  departmentId?: string | null;
  agentId?: string | null;
  phoneNumberId?: string | null;
}

export interface OutboundVolumes {
  agent: number;
  bot: number;
  template: number;
  businessApp: number;
  api: number;
}

export interface Figures {
  conversationsOpened: number;
  conversationsResolved: number;
  messagesInbound: number;
  messagesOutbound: number;
  outbound: OutboundVolumes;
  firstResponseTime: DurationStats;
  replyTime: DurationStats;
  resolutionTime: DurationStats;
}

/** Rounds a range out to whole quarter hours: the rollups' resolution. */
export function quarterRange(from: Date, to: Date): { from: Date; to: Date } {
  return {
    from: new Date(Math.floor(from.getTime() / QUARTER_MS) * QUARTER_MS),
    to: new Date(Math.ceil(to.getTime() / QUARTER_MS) * QUARTER_MS),
  };
}

interface RollupRow {
  key: string | null;
  conversationsOpened: number;
  conversationsResolved: number;
  messagesInbound: number;
  messagesAgent: number;
  messagesBot: number;
  messagesTemplate: number;
  messagesBusinessApp: number;
  messagesApi: number;
  firstResponseCount: number;
  firstResponseSum: number;
  replyCount: number;
  replySum: number;
  resolutionCount: number;
  resolutionSum: number;
}

/** Sums rollup rows and merges their histograms. */
class Accumulator {
  private counts = { opened: 0, resolved: 0, inbound: 0, agent: 0, bot: 0, template: 0, businessApp: 0, api: 0 };
  private durations = {
    firstResponse: { count: 0, sum: 0, hist: new MergedHistogram() },
    reply: { count: 0, sum: 0, hist: new MergedHistogram() },
    resolution: { count: 0, sum: 0, hist: new MergedHistogram() },
  };

  private readonly histograms: boolean;

  constructor(histograms: boolean) {
    this.histograms = histograms;
  }

  add(row: GroupedRow): void {
    const c = this.counts;
    c.opened += row.conversationsOpened;
    c.resolved += row.conversationsResolved;
    c.inbound += row.messagesInbound;
    c.agent += row.messagesAgent;
    c.bot += row.messagesBot;
    c.template += row.messagesTemplate;
    c.businessApp += row.messagesBusinessApp;
    c.api += row.messagesApi;
    const d = this.durations;
    d.firstResponse.count += row.firstResponseCount;
    d.firstResponse.sum += row.firstResponseSum;
    d.reply.count += row.replyCount;
    d.reply.sum += row.replySum;
    d.resolution.count += row.resolutionCount;
    d.resolution.sum += row.resolutionSum;
    if (this.histograms) {
      if (row.firstResponseHists) d.firstResponse.hist.addText(row.firstResponseHists);
      if (row.replyHists) d.reply.hist.addText(row.replyHists);
      if (row.resolutionHists) d.resolution.hist.addText(row.resolutionHists);
    }
  }

  figures(): Figures {
    const c = this.counts;
    const d = this.durations;
    const stats = (x: { count: number; sum: number; hist: MergedHistogram }) => durationStats(x.count, x.sum, this.histograms ? x.hist : null);
    return {
      conversationsOpened: c.opened,
      conversationsResolved: c.resolved,
      messagesInbound: c.inbound,
      messagesOutbound: c.agent + c.bot + c.template + c.businessApp + c.api,
      outbound: { agent: c.agent, bot: c.bot, template: c.template, businessApp: c.businessApp, api: c.api },
      firstResponseTime: stats(d.firstResponse),
      replyTime: stats(d.reply),
      resolutionTime: stats(d.resolution),
    };
  }
}

/**
 * The largest grain a query may read: months and days for totals and breakdowns, days for a daily
 * series, hours for an hourly one and the heatmap (each in the tenant's zone), else quarters.
 */
type Coarsest = 'month' | 'day' | 'hour' | 'quarter';

/**
 * The rows a query reads: the tenant as a whole ('all') when nothing is filtered or broken down; a single
 * dimension's rows when the filters and the breakdown name only that one; else the combinations ('each').
 */
function scopeFor(range: AnalyticsRange, breakdown: Dimension | null): 'all' | 'each' | 'department' | 'agent' | 'number' {
  const dimensions = new Set<Dimension>();
  if (range.departmentId) dimensions.add('department');
  if (range.agentId) dimensions.add('agent');
  if (range.phoneNumberId) dimensions.add('phoneNumber');
  if (breakdown) dimensions.add(breakdown);
  if (dimensions.size === 0) return 'all';
  if (dimensions.size > 1) return 'each';
  return DIMENSION_SCOPE[[...dimensions][0]!];
}

/**
 * The rollup rows covering [from, to) exactly: whole months, days and hours of the tenant's zone inside
 * it, and quarters for the rest. `key` groups them (a series bucket or a breakdown's id); `scope` is
 * chosen by scopeFor.
 */
async function readRows(
  tx: TransactionSql,
  range: AnalyticsRange,
  { coarsest, key, histograms, breakdown }: { coarsest: Coarsest; key: Fragment | null; histograms: boolean; breakdown: Dimension | null },
): Promise<GroupedRow[]> {
  const { from, to } = quarterRange(range.from, range.to);
  const scope = scopeFor(range, breakdown);
  // The boundaries, in the tenant's zone, each pair inside the one before: [h1, h2) whole hours,
  // [d1, d2) whole days, [m1, m2) whole months. A pair with nothing inside collapses onto the end of
  // the pair around it.
  const [b] = await tx<{ h1: Date; h2: Date; d1: Date; d2: Date; m1: Date; m2: Date }[]>`
    with z as (select time_zone as zone from tenants where id = app_tenant_id()),
    hours as (
      select date_trunc('hour', ${from}::timestamptz + interval '1 hour' - interval '1 microsecond', z.zone) as h1,
             date_trunc('hour', ${to}::timestamptz, z.zone) as h2, z.zone
        from z),
    whole_hours as (select case when h1 < h2 then h1 else ${to}::timestamptz end as h1,
                           case when h1 < h2 then h2 else ${to}::timestamptz end as h2, zone from hours),
    days as (
      select h1, h2,
             case when date_trunc('day', h1, zone) = h1 then h1 else date_add(date_trunc('day', h1, zone), interval '1 day', zone) end as d1,
             date_trunc('day', h2, zone) as d2, zone
        from whole_hours),
    whole_days as (select h1, h2, case when d1 < d2 then d1 else h2 end as d1, case when d1 < d2 then d2 else h2 end as d2, zone from days),
    months as (
      select h1, h2, d1, d2,
             case when date_trunc('month', d1, zone) = d1 then d1 else date_add(date_trunc('month', d1, zone), interval '1 month', zone) end as m1,
             date_trunc('month', d2, zone) as m2
        from whole_days)
    select h1, h2, d1, d2, case when m1 < m2 then m1 else d2 end as m1, case when m1 < m2 then m2 else d2 end as m2 from months`;
  // A finer coarsest grain collapses the coarser pairs: no months (days instead), and so on down.
  const [h1, h2] = coarsest === 'quarter' ? [to, to] : [b!.h1, b!.h2];
  const [d1, d2] = coarsest === 'quarter' || coarsest === 'hour' ? [h2, h2] : [b!.d1, b!.d2];
  const [m1, m2] = coarsest === 'month' ? [b!.m1, b!.m2] : [d2, d2];
  const dims = tx`
    ${range.departmentId ? tx`and r.department_id = ${range.departmentId}::uuid` : tx``}
    ${range.agentId ? tx`and r.agent_id = ${range.agentId}::uuid` : tx``}
    ${range.phoneNumberId ? tx`and r.phone_number_id = ${range.phoneNumberId}` : tx``}`;
  const periods = tx`((r.grain = 'month' and r.start >= ${m1} and r.start < ${m2})
          or (r.grain = 'day' and ((r.start >= ${d1} and r.start < ${m1}) or (r.start >= ${m2} and r.start < ${d2})))
          or (r.grain = 'hour' and ((r.start >= ${h1} and r.start < ${d1}) or (r.start >= ${d2} and r.start < ${h2})))
          or (r.grain = 'quarter' and ((r.start >= ${from} and r.start < ${h1}) or (r.start >= ${h2} and r.start < ${to}))))`;
  // Summed per key in SQL; histograms come back as the non-empty ones' text joined by commas, parsed and
  // merged here. (Not jsonb_agg: it re-reads every histogram into one jsonb value as it goes, and took
  // 250 ms where string_agg takes 35, on a year's breakdown of the benchmark's data.)
  const rows = await tx<GroupedRow[]>`
    select ${key ?? tx`null`}::text as key,
           sum(r.conversations_opened)::int as conversations_opened, sum(r.conversations_resolved)::int as conversations_resolved,
           sum(r.messages_inbound)::int as messages_inbound, sum(r.messages_agent)::int as messages_agent,
           sum(r.messages_bot)::int as messages_bot, sum(r.messages_template)::int as messages_template,
           sum(r.messages_business_app)::int as messages_business_app, sum(r.messages_api)::int as messages_api,
           sum(r.first_response_count)::int as first_response_count, sum(r.first_response_sum)::float8 as first_response_sum,
           sum(r.reply_count)::int as reply_count, sum(r.reply_sum)::float8 as reply_sum,
           sum(r.resolution_count)::int as resolution_count, sum(r.resolution_sum)::float8 as resolution_sum
           ${histograms
             ? tx`, string_agg(r.first_response_hist::text, ',') filter (where r.first_response_count <> 0) as first_response_hists,
                  string_agg(r.reply_hist::text, ',') filter (where r.reply_count <> 0) as reply_hists,
                  string_agg(r.resolution_hist::text, ',') filter (where r.resolution_count <> 0) as resolution_hists`
             : tx``}
      from analytics_rollups r
     where r.tenant_id = app_tenant_id() and r.scope = ${scope} and ${periods} ${dims}
     group by 1`;
  return rows;
}

interface GroupedRow extends RollupRow {
  /** Stored histograms as text, joined by commas. */
  firstResponseHists?: string | null;
  replyHists?: string | null;
  resolutionHists?: string | null;
}

function accumulate(rows: GroupedRow[], histograms: boolean): Map<string | null, Accumulator> {
  const byKey = new Map<string | null, Accumulator>();
  for (const row of rows) {
    let acc = byKey.get(row.key);
    if (!acc) byKey.set(row.key, (acc = new Accumulator(histograms)));
    acc.add(row);
  }
  return byKey;
}

/** The figures of the whole range (with the filters). */
export async function readTotals(tx: TransactionSql, range: AnalyticsRange, { histograms = true } = {}): Promise<Figures> {
  const rows = await readRows(tx, range, { coarsest: 'month', key: null, histograms, breakdown: null });
  return (accumulate(rows, histograms).get(null) ?? new Accumulator(histograms)).figures();
}

export type Interval = 'hour' | 'day';

/** The bucket starts of a series: every hour or day of the query's zone that meets [from, to). */
export async function seriesStarts(tx: TransactionSql, range: AnalyticsRange, interval: Interval): Promise<Date[]> {
  const { from, to } = quarterRange(range.from, range.to);
  const rows = await tx<{ start: Date }[]>`
    select s as start
      from generate_series(date_trunc(${interval}, ${from}::timestamptz, ${range.timeZone}), ${to}::timestamptz - interval '1 microsecond',
                           ${interval === 'hour' ? '1 hour' : '1 day'}::interval, ${range.timeZone}) as s
     limit ${MAX_SERIES_BUCKETS + 1}`;
  return rows.map((r) => r.start);
}

/**
 * Figures per hour or day of the query's zone. Daily series in the tenant's own zone read day rows;
 * hourly ones, and days of another zone, read quarters.
 */
export async function readSeries(
  tx: TransactionSql,
  range: AnalyticsRange,
  interval: Interval,
  { histograms = true, tenantZone }: { histograms?: boolean; tenantZone: string },
): Promise<(Figures & { start: Date })[]> {
  const starts = await seriesStarts(tx, range, interval);
  const coarsest: Coarsest = range.timeZone !== tenantZone ? 'quarter' : interval === 'day' ? 'day' : 'hour';
  const key = tx`extract(epoch from date_trunc(${interval}, r.start, ${range.timeZone}))::bigint`;
  const byKey = accumulate(await readRows(tx, range, { coarsest, key, histograms, breakdown: null }), histograms);
  return starts.map((start) => ({ start, ...(byKey.get(String(start.getTime() / 1000)) ?? new Accumulator(histograms)).figures() }));
}

export interface HeatmapCell {
  /** ISO weekday: 1 = Monday … 7 = Sunday, in the query's zone. */
  weekday: number;
  hour: number;
  conversationsOpened: number;
  messagesInbound: number;
  messagesOutbound: number;
}

/** Volumes by weekday and hour of the query's zone: all 168 cells, from hours in the tenant's zone, else quarters. */
export async function readHeatmap(tx: TransactionSql, range: AnalyticsRange, { tenantZone }: { tenantZone: string }): Promise<HeatmapCell[]> {
  const key = tx`(extract(isodow from r.start at time zone ${range.timeZone}) * 100 + extract(hour from r.start at time zone ${range.timeZone}))::int`;
  const coarsest: Coarsest = range.timeZone === tenantZone ? 'hour' : 'quarter';
  const byKey = accumulate(await readRows(tx, range, { coarsest, key, histograms: false, breakdown: null }), false);
  const cells: HeatmapCell[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const f = byKey.get(String(weekday * 100 + hour))?.figures();
      cells.push({ weekday, hour, conversationsOpened: f?.conversationsOpened ?? 0, messagesInbound: f?.messagesInbound ?? 0, messagesOutbound: f?.messagesOutbound ?? 0 });
    }
  }
  return cells;
}

export type Dimension = 'agent' | 'department' | 'phoneNumber';

const DIMENSION_COLUMN: Record<Dimension, string> = { agent: 'agent_id', department: 'department_id', phoneNumber: 'phone_number_id' };
const DIMENSION_SCOPE = { agent: 'agent', department: 'department', phoneNumber: 'number' } as const satisfies Record<Dimension, string>;

/**
 * Figures per agent, department or number (null: unassigned, no department). Only rows with some
 * activity in the range are returned.
 */
export async function readBreakdown(
  tx: TransactionSql,
  range: AnalyticsRange,
  dimension: Dimension,
  { histograms = true } = {},
): Promise<(Figures & { id: string | null })[]> {
  const key = tx`r.${tx(DIMENSION_COLUMN[dimension])}`;
  const byKey = accumulate(await readRows(tx, range, { coarsest: 'month', key, histograms, breakdown: dimension }), histograms);
  return [...byKey]
    .map(([id, acc]) => ({ id, ...acc.figures() }))
    .filter((f) => f.conversationsOpened || f.conversationsResolved || f.messagesInbound || f.messagesOutbound || f.firstResponseTime.count || f.replyTime.count || f.resolutionTime.count);
}
