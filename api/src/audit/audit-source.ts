// Who an audit entry says acted, in which tenant and from where: the caller of a GraphQL operation. Admin
// changes record themselves with `recordChange` inside the transaction that makes the change, so a change
// and its entry are committed together or not at all.
import type { TransactionSql } from '@switchboard/db/connect';
import type { Context } from '../context.ts';
import { recordAudit, type AuditActorKind, type AuditEntry } from './audit-repository.ts';

export interface AuditSource {
  tenantId: string;
  actor: { kind: AuditActorKind; id: string | null };
  /** The client's IP address; null on a socket. */
  address: string | null;
}

/**
 * The caller as an audit actor. Operators act in a tenant they name, so theirs needs `tenantId`; people
 * and keys act in their own tenant.
 */
export function auditSource(ctx: Pick<Context, 'viewer' | 'http'>, tenantId?: string): AuditSource {
  const viewer = ctx.viewer;
  const address = ctx.http?.clientAddress ?? null;
  if (!viewer) throw new Error('an audited change needs a caller');
  if (viewer.kind === 'operator') {
    if (!tenantId) throw new Error('an operator acts in a tenant it names');
    return { tenantId, actor: { kind: 'operator', id: viewer.operatorId }, address };
  }
  const actor = viewer.kind === 'user' ? ({ kind: 'user', id: viewer.userId } as const) : ({ kind: 'api_key', id: viewer.apiKeyId } as const);
  return { tenantId: viewer.tenantId, actor, address };
}

/** One entry for a change, written in the change's own transaction. */
export function recordChange(tx: TransactionSql, source: AuditSource, entry: Omit<AuditEntry, 'actor' | 'address'>): Promise<void> {
  return recordAudit(tx, source.tenantId, { ...entry, actor: source.actor, address: source.address });
}

/** `{ from, to }` for each field whose value changed; empty when nothing did. Values must not be personal data. */
export function changedFields<T extends object, K extends keyof T & string>(before: T, after: T, fields: readonly K[]): Partial<Record<K, { from: unknown; to: unknown }>> {
  const changed: Partial<Record<K, { from: unknown; to: unknown }>> = {};
  for (const field of fields) {
    const from = before[field];
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changed[field] = { from: from ?? null, to: to ?? null };
  }
  return changed;
}
