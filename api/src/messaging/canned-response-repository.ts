// SQL for canned responses: saved replies an agent inserts by shortcut (unique per tenant).
import type { TransactionSql } from '@switchboard/db/connect';
import { isUniqueViolation } from '@switchboard/db/errors';

export interface CannedResponseRecord {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type CannedResponseWrite = { ok: true; cannedResponse: CannedResponseRecord } | { ok: false; reason: 'not_found' | 'shortcut_taken' };

const columns = (tx: TransactionSql) => tx`id, shortcut, title, body, created_by, created_at, updated_at`;


export function findCannedResponsesByIds(tx: TransactionSql, ids: string[]): Promise<CannedResponseRecord[]> {
  return tx<CannedResponseRecord[]>`
    select ${columns(tx)} from canned_responses where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}

/**
 * By shortcut. `search` matches a shortcut that starts with it, or a title or body that contains it,
 * ignoring case (plain string functions, so `%` and `_` in a search are not wildcards).
 */
export function listCannedResponses(
  tx: TransactionSql,
  { search, offset, limit }: { search: string | null; offset: number; limit: number },
): Promise<CannedResponseRecord[]> {
  const needle = search?.toLowerCase() ?? null;
  return tx<CannedResponseRecord[]>`
    select ${columns(tx)} from canned_responses
     where tenant_id = app_tenant_id()
       ${needle ? tx`and (starts_with(shortcut, ${needle}) or strpos(lower(title), ${needle}) > 0 or strpos(lower(body), ${needle}) > 0)` : tx``}
     order by shortcut
     offset ${offset} limit ${limit}`;
}

export async function insertCannedResponse(
  tx: TransactionSql,
  input: { shortcut: string; title: string; body: string; createdBy: string | null },
): Promise<CannedResponseWrite> {
  const [row] = await tx<CannedResponseRecord[]>`
    insert into canned_responses (tenant_id, shortcut, title, body, created_by)
    values (app_tenant_id(), ${input.shortcut}, ${input.title}, ${input.body}, ${input.createdBy})
    on conflict do nothing
    returning ${columns(tx)}`;
  return row ? { ok: true, cannedResponse: row } : { ok: false, reason: 'shortcut_taken' };
}

export async function updateCannedResponse(
  tx: TransactionSql,
  id: string,
  patch: { shortcut: string | null; title: string | null; body: string | null },
): Promise<CannedResponseWrite> {
  try {
    // A savepoint, so a shortcut clash ends this statement only and can be answered as a value.
    const [row] = await tx.savepoint(
      (sp) => sp<CannedResponseRecord[]>`
        update canned_responses
           set shortcut = coalesce(${patch.shortcut}, shortcut), title = coalesce(${patch.title}, title),
               body = coalesce(${patch.body}, body), updated_at = now()
         where tenant_id = app_tenant_id() and id = ${id}
        returning ${columns(sp)}`,
    );
    return row ? { ok: true, cannedResponse: row } : { ok: false, reason: 'not_found' };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'shortcut_taken' };
    throw error;
  }
}

export async function deleteCannedResponse(tx: TransactionSql, id: string): Promise<boolean> {
  const deleted = await tx`delete from canned_responses where tenant_id = app_tenant_id() and id = ${id} returning id`;
  return deleted.length > 0;
}
