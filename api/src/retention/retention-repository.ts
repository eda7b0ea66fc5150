// A tenant's retention policy (db/migrations/00040_retention_policies.sql): how long each kind of data
// is kept. Runs inside the caller's tenant scope; the defaults live in SQL (retention_policy_of).
import type { TransactionSql } from '@switchboard/db/connect';

export interface RetentionPolicy {
  /** Messages and media, after a conversation's last activity. */
  messagesDays: number;
  /** Raw webhook copies. */
  rawWebhookDays: number;
  deadLetterDays: number;
  /** Deactivated staff are purged this long after deactivation. */
  staffPurgeDays: number;
  /** Privacy exports' download links. */
  exportDays: number;
  auditDays: number;
  /** Anonymous analytics rollups. */
  analyticsMonths: number;
}

export type RetentionField = keyof RetentionPolicy;

/** Each field's bounds, inclusive; the database's CHECKs say the same (00040). */
export const RETENTION_BOUNDS: Record<RetentionField, { min: number; max: number }> = {
  messagesDays: { min: 1, max: 3650 },
  rawWebhookDays: { min: 1, max: 7 },
  deadLetterDays: { min: 1, max: 90 },
  staffPurgeDays: { min: 1, max: 30 },
  exportDays: { min: 1, max: 30 },
  auditDays: { min: 30, max: 2555 },
  analyticsMonths: { min: 1, max: 24 },
};

export const RETENTION_FIELDS = Object.keys(RETENTION_BOUNDS) as RetentionField[];

/** The policy in force for the transaction's tenant: its own, or the defaults. */
export async function getRetentionPolicy(tx: TransactionSql): Promise<RetentionPolicy> {
  const [row] = await tx<RetentionPolicy[]>`
    select messages_days, raw_webhook_days, dead_letter_days, staff_purge_days, export_days, audit_days, analytics_months
      from retention_policy_of(app_tenant_id())`;
  return row!;
}

export async function saveRetentionPolicy(tx: TransactionSql, policy: RetentionPolicy, updatedBy: string | null): Promise<RetentionPolicy> {
  const [row] = await tx<RetentionPolicy[]>`
    insert into retention_policies (tenant_id, messages_days, raw_webhook_days, dead_letter_days, staff_purge_days,
                                    export_days, audit_days, analytics_months, updated_by)
    values (app_tenant_id(), ${policy.messagesDays}, ${policy.rawWebhookDays}, ${policy.deadLetterDays}, ${policy.staffPurgeDays},
            ${policy.exportDays}, ${policy.auditDays}, ${policy.analyticsMonths}, ${updatedBy})
    on conflict (tenant_id) do update set
      messages_days = excluded.messages_days, raw_webhook_days = excluded.raw_webhook_days,
      dead_letter_days = excluded.dead_letter_days, staff_purge_days = excluded.staff_purge_days,
      export_days = excluded.export_days, audit_days = excluded.audit_days,
      analytics_months = excluded.analytics_months, updated_by = excluded.updated_by, updated_at = now()
    returning messages_days, raw_webhook_days, dead_letter_days, staff_purge_days, export_days, audit_days, analytics_months`;
  return row!;
}
