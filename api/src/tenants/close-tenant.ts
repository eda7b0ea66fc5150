// An operator closes a tenant: from then on its people and keys only read (and export), webhooks for it
// are dropped, and after the grace period (1–90 days, 90 unless said) the purge sweep removes all its
// data (purge-closed-tenants.ts). During the grace period an operator may reopen it. Both are written
// to the tenant's own audit log in the transaction that makes the change.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { setScope, withPlatform } from '@switchboard/db/tenant';
import { recordChange, type AuditSource } from '../audit/audit-source.ts';
import type { DomainResult } from '../schema/errors.ts';
import type { TenantRecord } from './tenant-repository.ts';

export const DEFAULT_GRACE_DAYS = 90;
export const MAX_GRACE_DAYS = 90;

const columns = (tx: TransactionSql) => tx`id, name, created_at, closed_at, purge_after, purged_at`;

export async function closeTenant(
  sql: Sql,
  tenantId: string,
  { graceDays = DEFAULT_GRACE_DAYS, audit, now = new Date() }: { graceDays?: number | null; audit: Omit<AuditSource, 'tenantId'>; now?: Date },
): Promise<DomainResult<TenantRecord>> {
  const grace = graceDays ?? DEFAULT_GRACE_DAYS;
  if (!Number.isInteger(grace) || grace < 1 || grace > MAX_GRACE_DAYS) {
    return { ok: false, code: 'INVALID_INPUT', field: 'graceDays', message: `The grace period is 1 to ${MAX_GRACE_DAYS} days.` };
  }
  return withPlatform(sql, async (tx) => {
    // The platform scope finds the tenant; its own scope lets the audit entry into its log.
    await setScope(tx, { tenantId });
    const [current] = await tx<TenantRecord[]>`select ${columns(tx)} from tenants where id = ${tenantId} for update`;
    if (!current) return { ok: false, code: 'NOT_FOUND', message: 'Tenant was not found.' };
    if (current.closedAt) return { ok: false, code: 'ALREADY_CLOSED', message: 'This tenant is already closed.' };
    const operatorId = audit.actor.kind === 'operator' ? audit.actor.id : null;
    const [closed] = await tx<TenantRecord[]>`
      update tenants
         set closed_at = ${now}, purge_after = ${now}::timestamptz + make_interval(days => ${grace}::int), closed_by = ${operatorId}
       where id = ${tenantId}
      returning ${columns(tx)}`;
    await recordChange(tx, { ...audit, tenantId }, {
      action: 'tenant.closed',
      target: { kind: 'tenant', id: tenantId },
      detail: { graceDays: grace, purgeAfter: closed!.purgeAfter!.toISOString() },
    });
    return { ok: true, value: closed! };
  });
}

export async function reopenTenant(
  sql: Sql,
  tenantId: string,
  { audit, now = new Date() }: { audit: Omit<AuditSource, 'tenantId'>; now?: Date },
): Promise<DomainResult<TenantRecord>> {
  return withPlatform(sql, async (tx) => {
    // The platform scope finds the tenant; its own scope lets the audit entry into its log.
    await setScope(tx, { tenantId });
    const [current] = await tx<TenantRecord[]>`select ${columns(tx)} from tenants where id = ${tenantId} for update`;
    if (!current) return { ok: false, code: 'NOT_FOUND', message: 'Tenant was not found.' };
    if (current.purgedAt) return { ok: false, code: 'PURGED', message: 'This tenant was purged after its grace period; nothing is left to reopen.' };
    if (!current.closedAt) return { ok: false, code: 'NOT_CLOSED', message: 'This tenant is open.' };
    if (current.purgeAfter! <= now) return { ok: false, code: 'GRACE_OVER', message: 'The grace period is over; the tenant is being purged.' };
    const [reopened] = await tx<TenantRecord[]>`
      update tenants set closed_at = null, purge_after = null, closed_by = null where id = ${tenantId} returning ${columns(tx)}`;
    await recordChange(tx, { ...audit, tenantId }, {
      action: 'tenant.reopened',
      target: { kind: 'tenant', id: tenantId },
      detail: { closedAt: current.closedAt.toISOString() },
    });
    return { ok: true, value: reopened! };
  });
}
