// SQL for the audit log (db/migrations/00033_audit_events.sql): entries are only ever added and read,
// newest first. They hold ids, never names or message text; labels are read when an entry is shown.
import { isIP } from 'node:net';
import type { TransactionSql } from '@switchboard/db/connect';

export type AuditActorKind = 'user' | 'api_key' | 'operator' | 'system' | 'customer' | 'anonymous';

export interface AuditEntry {
  /** Dotted and stable: session.signed_in, session.sign_in_failed, … (docs/security.md). */
  action: string;
  actor: { kind: AuditActorKind; id?: string | null };
  target?: { kind: string; id: string } | null;
  /** The client's address; anything that is not an IP address is stored as none. */
  address?: string | null;
  /** Ids, counts and reasons only: no personal data. */
  detail?: Record<string, unknown>;
}

export interface AuditEventRecord {
  id: string;
  at: Date;
  action: string;
  actorKind: AuditActorKind;
  actorId: string | null;
  targetKind: string | null;
  targetId: string | null;
  address: string | null;
}

export interface AuditLogFilter {
  actorId?: string;
  action?: string;
  since?: Date;
  until?: Date;
}

export async function recordAudit(tx: TransactionSql, tenantId: string, entry: AuditEntry): Promise<void> {
  const address = entry.address && isIP(entry.address) ? entry.address : null;
  await tx`
    insert into audit_events (tenant_id, action, actor_kind, actor_id, target_kind, target_id, address, detail)
    values (${tenantId}, ${entry.action}, ${entry.actor.kind}, ${entry.actor.id ?? null}, ${entry.target?.kind ?? null},
            ${entry.target?.id ?? null}, ${address}, ${tx.json((entry.detail ?? {}) as never)})`;
}

const columns = (tx: TransactionSql) => tx`id, at, action, actor_kind, actor_id, target_kind, target_id, host(address) as address`;

// Cursors carry milliseconds while now() has microseconds: order and compare on the truncated value.
const position = (tx: TransactionSql) => tx`(date_trunc('milliseconds', at), id)`;

export function findAuditEventsByIds(tx: TransactionSql, ids: string[]): Promise<AuditEventRecord[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx<AuditEventRecord[]>`select ${columns(tx)} from audit_events where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}

/** A page of the log, newest first, after `after` (the last entry of the previous page). */
export function listAuditEvents(
  tx: TransactionSql,
  { after, limit, filter }: { after: { at: Date; id: string } | null; limit: number; filter: AuditLogFilter },
): Promise<AuditEventRecord[]> {
  return tx<AuditEventRecord[]>`
    select ${columns(tx)} from audit_events
     where tenant_id = app_tenant_id()
       ${after ? tx`and ${position(tx)} < (${after.at}, ${after.id}::uuid)` : tx``}
       ${filter.actorId ? tx`and actor_id = ${filter.actorId}` : tx``}
       ${filter.action ? tx`and action = ${filter.action}` : tx``}
       ${filter.since ? tx`and at >= ${filter.since}` : tx``}
       ${filter.until ? tx`and at < ${filter.until}` : tx``}
     order by ${position(tx)} desc
     limit ${limit}`;
}
