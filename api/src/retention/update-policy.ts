// Changing a tenant's retention policy: every field within its bounds, the old and new values in the
// audit log (retention.updated). Fields left out keep their current value.
import type { TransactionSql } from '@switchboard/db/connect';
import { recordAudit, type AuditEntry } from '../audit/audit-repository.ts';
import type { DomainResult } from '../schema/errors.ts';
import { getRetentionPolicy, RETENTION_BOUNDS, RETENTION_FIELDS, saveRetentionPolicy, type RetentionPolicy } from './retention-repository.ts';

export type RetentionPatch = { [K in keyof RetentionPolicy]?: number | null };

/** The first field out of bounds, as the error the schema shows, or null when all are acceptable. */
export function checkRetentionBounds(patch: RetentionPatch): { field: keyof RetentionPolicy; message: string } | null {
  for (const field of RETENTION_FIELDS) {
    const value = patch[field];
    if (value == null) continue;
    const { min, max } = RETENTION_BOUNDS[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      return { field, message: `${field} must be a whole number from ${min} to ${max}.` };
    }
  }
  return null;
}

export async function updateRetentionPolicy(
  tx: TransactionSql,
  { tenantId, patch, actor, address }: { tenantId: string; patch: RetentionPatch; actor: AuditEntry['actor']; address?: string | null },
): Promise<DomainResult<RetentionPolicy>> {
  const problem = checkRetentionBounds(patch);
  if (problem) return { ok: false, code: 'INVALID_INPUT', ...problem };
  // Serialises concurrent changes, so each audit entry's "old" is what the change really replaced.
  await tx`select pg_advisory_xact_lock(hashtextextended('retention:' || app_tenant_id()::text, 0))`;
  const old = await getRetentionPolicy(tx);
  const next = { ...old };
  for (const field of RETENTION_FIELDS) next[field] = patch[field] ?? old[field];
  const saved = await saveRetentionPolicy(tx, next, actor.kind === 'user' ? (actor.id ?? null) : null);
  await recordAudit(tx, tenantId, { action: 'retention.updated', actor, address, target: { kind: 'retention_policy', id: tenantId }, detail: { old, new: saved } });
  return { ok: true, value: saved };
}
