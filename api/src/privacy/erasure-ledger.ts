// The erasure ledger (db/migrations/00034_privacy_requests.sql): salted hashes of the phone numbers,
// business-scoped ids and wamids an erasure removed. Ingest asks it about every batch, so a webhook
// Meta retries after the erasure, a dead letter replayed or a message in a restored backup cannot bring
// an erased person back. An identity blocks only what happened up to its erasure: a customer who writes
// again afterwards starts a new, legitimate conversation. A wamid blocks always.
import { randomBytes } from 'node:crypto';
import type { TransactionSql } from '@switchboard/db/connect';

export type LedgerKind = 'wa_id' | 'user_id' | 'wamid';

export interface LedgerEntry {
  kind: LedgerKind;
  value: string;
}

/** Gives the tenant its salt the first time it erases anything; a salt never changes. */
export async function ensureSalt(tx: TransactionSql, tenantId: string): Promise<void> {
  await tx`insert into erasure_salts (tenant_id, salt) values (${tenantId}, ${randomBytes(32)}) on conflict (tenant_id) do nothing`;
}

export async function recordErasures(tx: TransactionSql, tenantId: string, entries: LedgerEntry[], { erasedAt, requestId }: { erasedAt: Date; requestId: string | null }): Promise<number> {
  if (entries.length === 0) return 0;
  await ensureSalt(tx, tenantId);
  const result = await tx`
    insert into erasure_ledger (tenant_id, hash, kind, erased_at, request_id)
    select ${tenantId}, erasure_hash(${tenantId}, x.value), x.kind, ${erasedAt}, ${requestId}
      from unnest(${entries.map((e) => e.value)}::text[], ${entries.map((e) => e.kind)}::text[]) as x(value, kind)
    on conflict (tenant_id, hash) do update set erased_at = greatest(erasure_ledger.erased_at, excluded.erased_at)`;
  return result.count;
}

/** Something a delivery names: a wamid (blocked whenever erased), or an identity at a time. */
export interface LedgerProbe {
  value: string;
  /** When the delivery says it happened; null for wamids. */
  at: Date | null;
}

/** The probes the ledger blocks, by value. Runs in the tenant's scope. */
export async function blockedByLedger(tx: TransactionSql, probes: LedgerProbe[]): Promise<Set<string>> {
  if (probes.length === 0) return new Set();
  const rows = await tx<{ value: string }[]>`
    select distinct x.value
      from unnest(${probes.map((p) => p.value)}::text[], ${probes.map((p) => p.at?.toISOString() ?? null)}::timestamptz[]) as x(value, at)
      join erasure_ledger l on l.tenant_id = app_tenant_id() and l.hash = erasure_hash(app_tenant_id(), x.value)
     where x.at is null or x.at <= l.erased_at`;
  return new Set(rows.map((r) => r.value));
}
