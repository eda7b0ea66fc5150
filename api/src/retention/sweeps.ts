// The retention sweeps: per tenant, delete what its policy no longer allows keeping. They run as a
// graphile-worker cron job (jobs/worker.ts) and take `now` as an argument, so tests run them against
// real Postgres on a controlled clock.
//
// Small batches in short transactions: each statement removes at most `batch` rows, rows another
// transaction holds are skipped (SKIP LOCKED) and picked up by the next run, so ingest never waits on
// a sweep for more than one short statement.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withPlatform, withTenant } from '@switchboard/db/tenant';
import { recordAudit } from '../audit/audit-repository.ts';
import { purgeStaffMember } from '../users/purge-staff.ts';
import { sweepTenantExports } from '../tenants/export-tenant.ts';
import { sweepAnalyticsExports, sweepAnalyticsRollups } from '../analytics/export.ts';
import { purgeClosedTenants } from '../tenants/purge-closed-tenants.ts';

export interface SweepOptions {
  /** The sweep's clock: data older than now − the policy's period goes. */
  now: Date;
  /** Rows per statement. */
  batch?: number;
}

export interface RetentionCounts {
  conversations: number;
  messages: number;
  media: number;
  rawWebhooks: number;
  deadLetters: number;
  auditEvents: number;
  staff: number;
  /** Privacy exports past their expiry (their files go through delete_media_blob jobs). */
  exports: number;
  /** Tenant exports past the export period (tenants/export-tenant.ts). */
  tenantExports: number;
  /** Analytics CSV exports past their link's expiry (analytics/export.ts). */
  analyticsExports: number;
  /** Analytics rollups older than the policy's analyticsMonths. */
  analyticsRollups: number;
}

const emptyCounts = (): RetentionCounts => ({ conversations: 0, messages: 0, media: 0, rawWebhooks: 0, deadLetters: 0, auditEvents: 0, staff: 0, exports: 0, tenantExports: 0, analyticsExports: 0, analyticsRollups: 0 });

/** `now` less one of the tenant's periods, computed by Postgres from the policy in force. */
const cutoff = (tx: TransactionSql, now: Date, field: 'messages_days' | 'dead_letter_days' | 'staff_purge_days') =>
  tx`(${now}::timestamptz - make_interval(days => (retention_policy_of(app_tenant_id())).${tx(field)}))`;

/** Conversations picked per round of the message sweep. */
const CONVERSATIONS_PER_ROUND = 50;

/**
 * Messages and media of conversations whose last activity (the latest message, or any change to the
 * conversation) is older than messagesDays — and then the conversation itself, with its notes, labels
 * and events: an emptied conversation has nothing left to show. The contact stays (its consent and
 * opt-out history are kept; erasure removes contacts). Media files go through delete_media_blob jobs
 * added in the same transaction as their rows. Also media uploaded but never sent, and edits or
 * revokes whose original never arrived, once older than messagesDays.
 */
export async function sweepMessages(sql: Sql, tenantId: string, { now, batch = 500 }: SweepOptions): Promise<Pick<RetentionCounts, 'conversations' | 'messages' | 'media'>> {
  const counts = { conversations: 0, messages: 0, media: 0 };
  const expired = (tx: TransactionSql) => tx`greatest(c.last_message_at, c.updated_at) < ${cutoff(tx, now, 'messages_days')}`;
  for (;;) {
    const ids = (await withTenant(sql, tenantId, (tx) => tx<{ id: string }[]>`
      select c.id from conversations c
       where c.tenant_id = app_tenant_id() and ${expired(tx)}
       order by c.last_message_at, c.id
       limit ${CONVERSATIONS_PER_ROUND}`)).map((r) => r.id);
    if (ids.length === 0) break;
    for (;;) {
      // The conversation's expiry is checked again in every batch: one that came back to life keeps
      // what it has left.
      const [gone] = await withTenant(sql, tenantId, (tx) => tx<{ messages: number; media: number }[]>`
        with doomed as (
          select m.id, m.wamid from messages m
            join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
           where m.tenant_id = app_tenant_id() and m.conversation_id = any(${ids}::uuid[]) and ${expired(tx)}
           limit ${batch}
             for update of m skip locked
        ), gone_media as (
          delete from media d using doomed
           where d.tenant_id = app_tenant_id() and d.message_id = doomed.id
          returning d.blob_key
        ), gone_statuses as (
          delete from status_events s using doomed
           where s.tenant_id = app_tenant_id() and s.wamid = doomed.wamid
        ), gone_revisions as (
          delete from message_revisions r using doomed
           where r.tenant_id = app_tenant_id() and r.original_wamid = doomed.wamid
        ), gone_messages as (
          delete from messages m using doomed
           where m.tenant_id = app_tenant_id() and m.id = doomed.id
          returning m.id
        ), blob_jobs as (
          select graphile_worker.add_job('delete_media_blob', json_build_object('key', g.blob_key), max_attempts => 25)
            from gone_media g where g.blob_key is not null
        )
        select (select count(*) from gone_messages)::int as messages, (select count(*) from gone_media)::int as media,
               (select count(*) from blob_jobs)::int as jobs`);
      counts.messages += gone!.messages;
      counts.media += gone!.media;
      if (gone!.messages < batch) break;
    }
    const removed = await withTenant(sql, tenantId, async (tx) => {
      const emptied = (await tx<{ id: string }[]>`
        select c.id from conversations c
         where c.tenant_id = app_tenant_id() and c.id = any(${ids}::uuid[]) and ${expired(tx)}
           and not exists (select 1 from messages m where m.tenant_id = c.tenant_id and m.conversation_id = c.id)
           for update of c skip locked`).map((r) => r.id);
      if (emptied.length === 0) return 0;
      await tx`delete from conversation_events where tenant_id = app_tenant_id() and conversation_id = any(${emptied}::uuid[])`;
      await tx`delete from conversation_notes where tenant_id = app_tenant_id() and conversation_id = any(${emptied}::uuid[])`;
      await tx`delete from conversation_labels where tenant_id = app_tenant_id() and conversation_id = any(${emptied}::uuid[])`;
      return (await tx`delete from conversations where tenant_id = app_tenant_id() and id = any(${emptied}::uuid[]) returning id`).length;
    });
    counts.conversations += removed;
    // Those left were busy or came back to life: the next run looks again.
    if (removed === 0) break;
  }
  for (;;) {
    const [gone] = await withTenant(sql, tenantId, (tx) => tx<{ media: number }[]>`
      with gone_media as (
        delete from media d
         where d.tenant_id = app_tenant_id()
           and d.id in (select u.id from media u
                         where u.tenant_id = app_tenant_id() and u.message_id is null
                           and u.created_at < ${cutoff(tx, now, 'messages_days')}
                         limit ${batch} for update skip locked)
        returning d.blob_key
      ), blob_jobs as (
        select graphile_worker.add_job('delete_media_blob', json_build_object('key', g.blob_key), max_attempts => 25)
          from gone_media g where g.blob_key is not null
      )
      select (select count(*) from gone_media)::int as media, (select count(*) from blob_jobs)::int as jobs`);
    counts.media += gone!.media;
    if (gone!.media < batch) break;
  }
  await withTenant(sql, tenantId, (tx) => tx`
    delete from message_revisions r
     where r.tenant_id = app_tenant_id() and r.applied_at is null and r.created_at < ${cutoff(tx, now, 'messages_days')}`);
  return counts;
}

/**
 * Raw webhook copies older than the tenant's rawWebhookDays, or than the platform's ceiling
 * (RAW_WEBHOOK_RETENTION_DAYS) when that is shorter.
 */
export async function sweepRawWebhooks(sql: Sql, tenantId: string, { now, batch = 500, ceilingDays }: SweepOptions & { ceilingDays: number }): Promise<number> {
  let total = 0;
  for (;;) {
    const gone = await withTenant(sql, tenantId, (tx) => tx`
      delete from webhook_events w
       where w.tenant_id = app_tenant_id()
         and w.payload_sha256 in (
           select e.payload_sha256 from webhook_events e
            where e.tenant_id = app_tenant_id()
              and e.received_at < ${now}::timestamptz - make_interval(days => least((retention_policy_of(app_tenant_id())).raw_webhook_days, ${ceilingDays}::int))
            limit ${batch} for update skip locked)
      returning 1`);
    total += gone.length;
    if (gone.length < batch) return total;
  }
}

/** Audit entries past the tenant's auditDays, through the one function allowed to delete them (00041). */
export async function sweepAuditEvents(sql: Sql, tenantId: string, { now, batch = 500 }: SweepOptions): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await withTenant(sql, tenantId, (tx) => tx<{ n: string }[]>`select purge_expired_audit_events(${now}, ${batch}) as n`);
    const n = Number(row!.n);
    total += n;
    if (n < batch) return total;
  }
}

/** People deactivated longer ago than the tenant's staffPurgeDays: purged, one short transaction each. */
export async function sweepDeactivatedStaff(sql: Sql, tenantId: string, { now, batch = 500 }: SweepOptions): Promise<number> {
  const due = await withTenant(sql, tenantId, (tx) => tx<{ id: string }[]>`
    select id from users
     where tenant_id = app_tenant_id() and purged_at is null and deactivated_at < ${cutoff(tx, now, 'staff_purge_days')}
     order by deactivated_at limit ${batch}`);
  let purged = 0;
  for (const { id } of due) {
    const outcome = await withTenant(sql, tenantId, (tx) => purgeStaffMember(tx, tenantId, id));
    if (outcome.purged && !outcome.alreadyPurged) purged++;
  }
  return purged;
}

/**
 * Dead letters belong to no tenant: each is kept as long as the shortest deadLetterDays of the tenants
 * its body speaks for, or `defaultDays` when it names none (00041). Answers how many went, per tenant
 * (the key '' for those of no tenant). Unroutable webhook copies (no tenant either) go after four
 * times the raw-webhook ceiling, as before.
 */
export async function sweepDeadLetters(
  sql: Sql,
  { now, batch = 500, defaultDays = 30, ceilingDays = 7 }: SweepOptions & { defaultDays?: number; ceilingDays?: number },
): Promise<Map<string, number>> {
  const perTenant = new Map<string, number>();
  for (;;) {
    const rows = await sql<{ tenantId: string | null; purged: string }[]>`select tenant_id, purged from purge_expired_dead_letters(${now}, ${defaultDays}, ${batch})`;
    // A letter of several tenants counts for each of them.
    for (const row of rows) perTenant.set(row.tenantId ?? '', (perTenant.get(row.tenantId ?? '') ?? 0) + Number(row.purged));
    if (rows.length === 0) break;
  }
  for (;;) {
    const gone = await withPlatform(sql, (tx) => tx`
      delete from unroutable_events
       where id in (select id from unroutable_events
                     where received_at < ${now}::timestamptz - make_interval(days => ${ceilingDays * 4}::int)
                     limit ${batch} for update skip locked)
      returning 1`);
    if (gone.length < batch) break;
  }
  return perTenant;
}

export interface RetentionRunOptions extends SweepOptions {
  /** RAW_WEBHOOK_RETENTION_DAYS: no tenant keeps raw copies longer. */
  rawWebhookCeilingDays: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/**
 * One run of every sweep over every tenant. A tenant whose run deleted anything gets one audit entry,
 * retention.swept by Switchboard, with the counts. A failure in one tenant is logged and the others go
 * on; the next run tries it again.
 */
/**
 * Privacy exports past their expiry (set from the policy's exportDays when each was made): the row is
 * marked deleted and its file removed by a delete_media_blob job added in the same transaction.
 */
export async function sweepExpiredExports(sql: Sql, tenantId: string, { now, batch = 500 }: SweepOptions): Promise<number> {
  const [gone] = await withTenant(sql, tenantId, (tx) => tx<{ n: number }[]>`
    with expired as (
      update privacy_exports x set deleted_at = now()
       where x.tenant_id = app_tenant_id()
         and x.id in (select e.id from privacy_exports e
                       where e.tenant_id = app_tenant_id() and e.deleted_at is null and e.expires_at <= ${now}
                       limit ${batch} for update skip locked)
      returning x.blob_key
    ), jobs as (
      select graphile_worker.add_job('delete_media_blob', json_build_object('key', e.blob_key), max_attempts => 25) from expired e
    )
    select (select count(*) from expired)::int as n, (select count(*) from jobs)::int as jobs`);
  return gone!.n;
}

export async function runRetentionSweeps(sql: Sql, { now, batch, rawWebhookCeilingDays, log }: RetentionRunOptions): Promise<Map<string, RetentionCounts>> {
  const results = new Map<string, RetentionCounts>();
  let deadLetters = new Map<string, number>();
  try {
    deadLetters = await sweepDeadLetters(sql, { now, batch, ceilingDays: rawWebhookCeilingDays });
  } catch (error) {
    log('error', 'retention: dead-letter sweep failed', { error: (error as Error)?.name });
  }
  // Closed tenants past their grace period go first, whole (tenants/purge-closed-tenants.ts).
  await purgeClosedTenants(sql, { now, log }).catch((error: unknown) => log('error', 'retention: closed-tenant purge failed', { error: (error as Error)?.name }));
  const tenants = (await sql<{ id: string }[]>`select retention_tenants() as id`).map((r) => r.id);
  for (const tenantId of tenants) {
    const counts = emptyCounts();
    counts.deadLetters = deadLetters.get(tenantId) ?? 0;
    try {
      Object.assign(counts, await sweepMessages(sql, tenantId, { now, batch }));
      counts.rawWebhooks = await sweepRawWebhooks(sql, tenantId, { now, batch, ceilingDays: rawWebhookCeilingDays });
      counts.staff = await sweepDeactivatedStaff(sql, tenantId, { now, batch });
      counts.auditEvents = await sweepAuditEvents(sql, tenantId, { now, batch });
      counts.exports = await sweepExpiredExports(sql, tenantId, { now, batch });
      counts.tenantExports = await sweepTenantExports(sql, tenantId, { now });
      counts.analyticsExports = await sweepAnalyticsExports(sql, tenantId, { now });
      counts.analyticsRollups = await sweepAnalyticsRollups(sql, tenantId, { now, batch });
    } catch (error) {
      log('error', 'retention: tenant sweep failed', { tenantId, error: (error as Error)?.name });
    }
    results.set(tenantId, counts);
    if (Object.values(counts).some((n) => n > 0)) {
      await withTenant(sql, tenantId, (tx) => recordAudit(tx, tenantId, { action: 'retention.swept', actor: { kind: 'system' }, detail: { ...counts, now: now.toISOString() } }));
      log('info', 'retention swept', { tenantId, ...counts });
    }
  }
  return results;
}
