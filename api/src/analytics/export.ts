// CSV exports of analytics (exportAnalytics): built from the rollups and the per-conversation figures —
// never from messages — written to the blob store and served at /analytics-exports/<id> for EXPORT_MINUTES.
// UTF-8 with a byte-order mark, so spreadsheets open it as UTF-8. Columns: docs/analytics.md#exports.
import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { stringify } from 'csv-stringify/sync';
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { recordChange, type AuditSource } from '../audit/audit-source.ts';
import type { BlobStore } from '../media/blob-store.ts';
import { FORMER_AGENT } from '../users/purge-staff.ts';
import { quarterRange, readBreakdown, readSeries, type AnalyticsRange, type Figures, type Interval } from './report.ts';

export type AnalyticsReport = 'conversations' | 'agents' | 'departments' | 'series';

/** How long an export's link works; then the retention sweep deletes the file. */
export const EXPORT_MINUTES = 15;
/** Conversations read per query while writing a CONVERSATIONS export. */
const PAGE = 5_000;

export const CONVERSATION_COLUMNS = [
  'conversation_id', 'opened_at', 'first_response_at', 'resolved_at', 'status', 'department', 'agent', 'business_number',
  'first_response_seconds', 'resolution_seconds', 'replies', 'mean_reply_seconds',
] as const;

const FIGURE_COLUMNS = [
  'conversations_opened', 'conversations_resolved', 'messages_inbound', 'messages_outbound',
  'outbound_agent', 'outbound_bot', 'outbound_template', 'outbound_business_app', 'outbound_api',
  ...(['first_response', 'reply', 'resolution'] as const).flatMap((d) => [`${d}_count`, `${d}_median_seconds`, `${d}_p90_seconds`, `${d}_mean_seconds`]),
] as const;

export const BREAKDOWN_COLUMNS = { agents: ['agent_id', 'agent', ...FIGURE_COLUMNS], departments: ['department_id', 'department', ...FIGURE_COLUMNS] } as const;
export const SERIES_COLUMNS = ['start', ...FIGURE_COLUMNS] as const;

export interface AnalyticsExportRecord {
  id: string;
  report: AnalyticsReport;
  byteSize: number;
  rows: number;
  expiresAt: Date;
}

type Cell = string | number | null;

function figureCells(f: Figures): Cell[] {
  const stats = [f.firstResponseTime, f.replyTime, f.resolutionTime].flatMap((s) => [s.count, s.median, s.p90, s.mean]);
  const o = f.outbound;
  return [f.conversationsOpened, f.conversationsResolved, f.messagesInbound, f.messagesOutbound, o.agent, o.bot, o.template, o.businessApp, o.api, ...stats];
}

/** `2026-11-02T00:00:00-05:00`: an instant as the wall clock of `timeZone` reads it, with its offset. */
export function isoInZone(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName!.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/**
 * Names are typed by people: one that starts like a spreadsheet formula (= + - @, tab, return) gets a
 * leading apostrophe, so a spreadsheet shows it instead of running it (CSV injection).
 */
export const safeText = (text: string | null) => (text && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
const csv = (rows: Cell[][], columns: readonly string[] | null, first: boolean) =>
  stringify(rows, { bom: first, header: first && !!columns, columns: columns ? [...columns] : undefined, cast: { number: (n) => String(n) } });

/** The CSV of one report over the range. */
export async function buildReport(tx: TransactionSql, range: AnalyticsRange, report: AnalyticsReport, { interval = 'day', tenantZone }: { interval?: Interval; tenantZone: string }): Promise<{ csv: string; rows: number }> {
  if (report === 'series') {
    const buckets = await readSeries(tx, range, interval, { tenantZone });
    return { csv: csv(buckets.map((b) => [isoInZone(b.start, range.timeZone), ...figureCells(b)]), SERIES_COLUMNS, true), rows: buckets.length };
  }
  if (report === 'agents' || report === 'departments') {
    const rows = await readBreakdown(tx, range, report === 'agents' ? 'agent' : 'department');
    const ids = rows.map((r) => r.id).filter((id): id is string => !!id);
    const names = new Map(
      (report === 'agents'
        ? await tx<{ id: string; name: string }[]>`select id, case when purged_at is not null then ${FORMER_AGENT} else name end as name from users where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`
        : await tx<{ id: string; name: string }[]>`select id, name from departments where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`
      ).map((r) => [r.id, r.name]),
    );
    const type = report === 'agents' ? 'User' : 'Department';
    const lines = rows
      .map((r): Cell[] => [r.id ? encodeGlobalID(type, r.id) : null, r.id ? safeText(names.get(r.id) ?? null) : null, ...figureCells(r)])
      .sort((a, b) => String(a[1] ?? '').localeCompare(String(b[1] ?? '')));
    return { csv: csv(lines, BREAKDOWN_COLUMNS[report], true), rows: lines.length };
  }
  // One row per conversation opened in the range, oldest first, read a page at a time.
  const { from, to } = quarterRange(range.from, range.to);
  let out = csv([], CONVERSATION_COLUMNS, true);
  let rows = 0;
  let after: { openedAt: Date; id: string } | null = null;
  for (;;) {
    const page: {
      id: string; openedAt: Date; firstResponseAt: Date | null; resolvedAt: Date | null; status: string; department: string | null;
      agent: string | null; number: string; firstResponseSeconds: number | null; resolutionSeconds: number | null; replyCount: number; replySecondsSum: number;
    }[] = await tx`
      select c.id, m.opened_at, m.first_response_at, case when c.status = 'resolved' then c.resolved_at end as resolved_at, c.status,
             d.name as department, case when u.purged_at is not null then ${FORMER_AGENT} else u.name end as agent,
             coalesce(p.display_phone_number, c.phone_number_id) as number,
             m.first_response_seconds, m.resolution_seconds, m.reply_count, m.reply_seconds_sum
        from conversation_metrics m
        join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
        left join departments d on d.tenant_id = c.tenant_id and d.id = c.department_id
        left join users u on u.tenant_id = c.tenant_id and u.id = c.assignee_id
        left join phone_numbers p on p.tenant_id = c.tenant_id and p.phone_number_id = c.phone_number_id
       where m.tenant_id = app_tenant_id() and m.opened_at >= ${from} and m.opened_at < ${to}
         ${range.departmentId ? tx`and c.department_id = ${range.departmentId}::uuid` : tx``}
         ${range.agentId ? tx`and c.assignee_id = ${range.agentId}::uuid` : tx``}
         ${range.phoneNumberId ? tx`and c.phone_number_id = ${range.phoneNumberId}` : tx``}
         ${after ? tx`and (m.opened_at, m.conversation_id) > (${after.openedAt}, ${after.id}::uuid)` : tx``}
       order by m.opened_at, m.conversation_id
       limit ${PAGE}`;
    out += csv(
      page.map((r) => [
        encodeGlobalID('Conversation', r.id), iso(r.openedAt), iso(r.firstResponseAt), iso(r.resolvedAt), r.status, safeText(r.department), safeText(r.agent), r.number,
        r.firstResponseSeconds, r.resolutionSeconds, r.replyCount, r.replyCount > 0 ? r.replySecondsSum / r.replyCount : null,
      ]),
      null,
      false,
    );
    rows += page.length;
    if (page.length < PAGE) return { csv: out, rows };
    after = { openedAt: page.at(-1)!.openedAt, id: page.at(-1)!.id };
  }
}

/** Builds a report, stores it, records it (analytics.exported) and returns where to fetch it. */
export async function exportAnalytics(
  sql: Sql,
  blobs: BlobStore,
  { range, report, interval, tenantZone, audit, readAs }: { range: AnalyticsRange; report: AnalyticsReport; interval?: Interval; tenantZone: string; audit: AuditSource; readAs: <T>(fn: (tx: TransactionSql) => Promise<T>) => Promise<T> },
): Promise<AnalyticsExportRecord> {
  const { csv: text, rows } = await readAs((tx) => buildReport(tx, range, report, { interval, tenantZone }));
  const bytes = Buffer.from(text, 'utf8');
  const id = randomUUID();
  const blobKey = `analytics-exports/${audit.tenantId}/${id}.csv`;
  await blobs.put(blobKey, bytes, { contentType: 'text/csv; charset=utf-8' });
  const expiresAt = new Date(Date.now() + EXPORT_MINUTES * 60_000);
  const actor = audit.actor as { kind: 'user' | 'api_key'; id: string };
  await withTenant(sql, audit.tenantId, async (tx) => {
    await tx`
      insert into analytics_exports (tenant_id, id, report, blob_key, byte_size, rows, actor_kind, actor_id, expires_at)
      values (${audit.tenantId}, ${id}, ${report}, ${blobKey}, ${bytes.byteLength}, ${rows}, ${actor.kind}, ${actor.id}, ${expiresAt})`;
    await recordChange(tx, audit, { action: 'analytics.exported', target: { kind: 'analytics_export', id }, detail: { report, rows, byteSize: bytes.byteLength } });
  });
  return { id, report, byteSize: bytes.byteLength, rows, expiresAt };
}

/** A live (unexpired) export of the transaction's tenant. */
export async function findLiveAnalyticsExport(tx: TransactionSql, id: string): Promise<{ blobKey: string; byteSize: number; report: AnalyticsReport } | null> {
  const [row] = await tx<{ blobKey: string; byteSize: number; report: AnalyticsReport }[]>`
    select blob_key, byte_size, report from analytics_exports where tenant_id = app_tenant_id() and id = ${id} and expires_at > now()`;
  return row ?? null;
}

/** Deletes expired exports of a tenant: the rows now, the files through delete_media_blob jobs. */
export async function sweepAnalyticsExports(sql: Sql, tenantId: string, { now }: { now: Date }): Promise<number> {
  const [row] = await withTenant(sql, tenantId, (tx) => tx<{ n: number }[]>`
    with gone as (
      delete from analytics_exports where tenant_id = app_tenant_id() and expires_at <= ${now} returning blob_key
    ), jobs as (
      select graphile_worker.add_job('delete_media_blob', json_build_object('key', g.blob_key), max_attempts => 25) from gone g
    )
    select (select count(*) from gone)::int as n, (select count(*) from jobs)::int as jobs`);
  return row?.n ?? 0;
}

/** Deletes a tenant's rollups whose period ended before its policy's analyticsMonths, `batch` rows per statement. */
export async function sweepAnalyticsRollups(sql: Sql, tenantId: string, { now, batch = 500 }: { now: Date; batch?: number }): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await withTenant(sql, tenantId, (tx) => tx<{ n: number }[]>`
      with cutoff as (
        select ${now}::timestamptz - make_interval(months => (retention_policy_of(app_tenant_id())).analytics_months) as at,
               (select time_zone from tenants where id = app_tenant_id()) as zone
      ), gone as (
        -- Whole periods only: a month row goes once the month has ended before the cutoff, never while
        -- days of it are still kept (a report would read that month as nothing).
        delete from analytics_rollups r
         where r.ctid in (select x.ctid from analytics_rollups x, cutoff c
                           where x.tenant_id = app_tenant_id() and x.start < c.at
                             and case x.grain when 'quarter' then x.start + interval '15 minutes'
                                              when 'hour' then x.start + interval '1 hour'
                                              when 'day' then date_add(x.start, interval '1 day', c.zone)
                                              else date_add(x.start, interval '1 month', c.zone) end <= c.at
                           limit ${batch} for update skip locked)
        returning 1)
      select count(*)::int as n from gone`);
    total += row!.n;
    if (row!.n < batch) return total;
  }
}
