// An admin changing their tenant's own settings: its name, the time zone its analytics count days,
// hours and weekdays in (a change re-buckets the rollups: trigger tenants_analytics_zone), and whether
// everyone must sign in with two factors. All are checked before anything is written, and the change is
// audited: which fields, and the old and new values of the zone and the requirement (never the name).
import type { TransactionSql } from '@switchboard/db/connect';
import { recordAudit, type AuditEntry } from '../audit/audit-repository.ts';
import type { DomainResult } from '../schema/errors.ts';
import { findCurrentTenant, type TenantRecord } from './tenant-repository.ts';

export const TENANT_NAME_MAX = 120;

export interface TenantPatch {
  name?: string | null;
  timeZone?: string | null;
  requireTwoFactor?: boolean | null;
}

export async function updateTenant(
  tx: TransactionSql,
  { tenantId, patch, actor, address }: { tenantId: string; patch: TenantPatch; actor: AuditEntry['actor']; address?: string | null },
): Promise<DomainResult<TenantRecord>> {
  const name = patch.name?.trim();
  if (name !== undefined && (name.length < 1 || name.length > TENANT_NAME_MAX)) {
    return { ok: false, code: 'INVALID_INPUT', field: 'name', message: `A name needs 1 to ${TENANT_NAME_MAX} characters.` };
  }
  const timeZone = patch.timeZone ?? undefined;
  // Postgres does the counting in this zone, so Postgres's list of zones decides.
  if (timeZone !== undefined) {
    const [known] = await tx`select 1 from pg_timezone_names where name = ${timeZone}`;
    if (!known) return { ok: false, code: 'INVALID_INPUT', field: 'timeZone', message: `"${timeZone}" is not an IANA time zone, e.g. Europe/Madrid.` };
  }
  const old = await findCurrentTenant(tx);
  if (!old) return { ok: false, code: 'NOT_FOUND', message: 'Tenant was not found.' };
  const next = { name: name ?? old.name, timeZone: timeZone ?? old.timeZone, requireTwoFactor: patch.requireTwoFactor ?? old.requireTwoFactor };
  const fields = (['name', 'timeZone', 'requireTwoFactor'] as const).filter((field) => next[field] !== old[field]);
  if (fields.length === 0) return { ok: true, value: old };
  await tx`
    update tenants set name = ${next.name}, time_zone = ${next.timeZone}, require_two_factor = ${next.requireTwoFactor}
     where id = app_tenant_id()`;
  const values = fields.filter((field) => field !== 'name');
  await recordAudit(tx, tenantId, {
    action: 'tenant.updated',
    actor,
    address,
    target: { kind: 'tenant', id: tenantId },
    // Which fields changed, and the old and new values of the zone and the requirement; not the name
    // itself (a sole trader's business may carry their own name, and audit details hold no names).
    detail: {
      fields,
      ...(values.length > 0
        ? { old: Object.fromEntries(values.map((f) => [f, old[f]])), new: Object.fromEntries(values.map((f) => [f, next[f]])) }
        : {}),
    },
  });
  return { ok: true, value: { ...old, ...next } };
}
