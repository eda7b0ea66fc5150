// The erasure ledger (db/migrations/00034_privacy_requests.sql): salted hashes of the phone numbers,
// business-scoped ids and wamids an erasure removed. Ingest asks it about every batch, so a webhook
// Meta retries after the erasure, a dead letter replayed or a message in a restored backup cannot bring
// an erased person back. An identity blocks only what happened up to its erasure: a customer who writes
// again afterwards starts a new, legitimate conversation. A wamid blocks always.
import { randomBytes } from 'node:crypto';
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withPlatform, withTenant } from '@switchboard/db/tenant';
import type { BlobStore } from '../media/blob-store.ts';
import { eraseContact } from './erase-contact.ts';

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

// ---- kept apart from the database ---------------------------------------------------------------
// A backup of the database taken before an erasure still holds the erased person, and its own copy of
// the ledger does not know about the erasure. So every erasure also writes the tenant's whole ledger
// (its salt and the salted hashes: nothing that names anyone) to the blob store, which backups of the
// database do not restore. After a restore, replayErasureLedger puts those entries back and erases
// again everyone and every message they name. Erasures run one at a time (the job queue "privacy"),
// so rewriting the tenant's file whole never loses an entry.

export const ledgerBlobKey = (tenantId: string) => `erasure-ledger/${tenantId}.json`;

interface LedgerFile {
  tenantId: string;
  salt: string;
  entries: { hash: string; kind: LedgerKind; erasedAt: string; requestId: string | null }[];
}

/** Writes the tenant's ledger to the blob store (inside the erasure's transaction, before it commits). */
export async function writeLedgerFile(tx: TransactionSql, blobs: BlobStore, tenantId: string): Promise<void> {
  const [salt] = await tx<{ salt: Buffer }[]>`select salt from erasure_salts where tenant_id = ${tenantId}`;
  if (!salt) return;
  const entries = await tx<{ hash: Buffer; kind: LedgerKind; erasedAt: Date; requestId: string | null }[]>`
    select hash, kind, erased_at, request_id from erasure_ledger where tenant_id = ${tenantId} order by erased_at, hash`;
  const file: LedgerFile = {
    tenantId,
    salt: salt.salt.toString('base64'),
    entries: entries.map((e) => ({ hash: e.hash.toString('base64'), kind: e.kind, erasedAt: e.erasedAt.toISOString(), requestId: e.requestId })),
  };
  await blobs.put(ledgerBlobKey(tenantId), new TextEncoder().encode(JSON.stringify(file)), { contentType: 'application/json' });
}

export interface LedgerReplay {
  tenants: number;
  entries: number;
  contactsErased: number;
  messagesRemoved: number;
}

/**
 * After restoring a backup: for every tenant in the database, puts its ledger file's entries back and
 * erases every contact whose phone number or business-scoped id, and every message whose wamid, the
 * ledger names. Run it before the api takes traffic again (docs/privacy.md, backups).
 */
export async function replayErasureLedger(sql: Sql, blobs: BlobStore): Promise<LedgerReplay> {
  const report: LedgerReplay = { tenants: 0, entries: 0, contactsErased: 0, messagesRemoved: 0 };
  const tenants = await withPlatform(sql, (tx) => tx<{ id: string }[]>`select id from tenants order by id`);
  for (const { id: tenantId } of tenants) {
    const blob = await blobs.get(ledgerBlobKey(tenantId));
    if (!blob) continue;
    const file = JSON.parse(new TextDecoder().decode(blob.bytes)) as LedgerFile;
    report.tenants += 1;
    report.entries += file.entries.length;
    const { contacts, messages } = await withTenant(sql, tenantId, async (tx) => {
      await tx`insert into erasure_salts (tenant_id, salt) values (${tenantId}, ${Buffer.from(file.salt, 'base64')}) on conflict (tenant_id) do nothing`;
      await tx`
        insert into erasure_ledger (tenant_id, hash, kind, erased_at, request_id)
        select ${tenantId}, decode(x.hash, 'base64'), x.kind, x.erased_at, x.request_id
          from unnest(${file.entries.map((e) => e.hash)}::text[], ${file.entries.map((e) => e.kind)}::text[],
                      ${file.entries.map((e) => e.erasedAt)}::timestamptz[], ${file.entries.map((e) => e.requestId)}::uuid[]) as x(hash, kind, erased_at, request_id)
        on conflict (tenant_id, hash) do update set erased_at = greatest(erasure_ledger.erased_at, excluded.erased_at)`;
      const named = await tx<{ id: string }[]>`
        select c.id from contacts c
         where c.tenant_id = app_tenant_id() and c.erased_at is null
           and exists (select 1 from erasure_ledger l
                        where l.tenant_id = c.tenant_id and l.kind in ('wa_id', 'user_id')
                          and l.hash in (erasure_hash(c.tenant_id, c.wa_id), erasure_hash(c.tenant_id, c.user_id), erasure_hash(c.tenant_id, c.parent_user_id)))`;
      let erased = 0;
      for (const { id } of named) if (await eraseContact(tx, tenantId, id, { requestId: null, restoring: true })) erased += 1;
      const gone = await tx`
        delete from messages m
         where m.tenant_id = app_tenant_id()
           and exists (select 1 from erasure_ledger l where l.tenant_id = m.tenant_id and l.kind = 'wamid' and l.hash = erasure_hash(m.tenant_id, m.wamid))`;
      return { contacts: erased, messages: gone.count };
    });
    report.contactsErased += contacts;
    report.messagesRemoved += messages;
  }
  return report;
}
