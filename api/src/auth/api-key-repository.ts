// Partner keys of the caller's tenant. Only a hash of a key is ever written; the listing shows a
// prefix and the last four characters so people can tell keys apart.
import type { TransactionSql } from '@switchboard/db/connect';
import type { KeyScope } from '../context.ts';

export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: KeyScope[];
  prefix: string;
  lastFour: string | null;
  createdAt: Date;
  createdBy: string | null;
  createdByKey: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const columns = (tx: TransactionSql) =>
  tx`id, name, scopes, prefix, last_four, created_at, created_by, created_by_key, last_used_at, revoked_at`;

export function listApiKeys(tx: TransactionSql, { includeRevoked }: { includeRevoked: boolean }): Promise<ApiKeyRecord[]> {
  return tx<ApiKeyRecord[]>`
    select ${columns(tx)} from api_keys
     where tenant_id = app_tenant_id() ${includeRevoked ? tx`` : tx`and revoked_at is null`}
     order by created_at desc, id`;
}

export function findApiKeysByIds(tx: TransactionSql, ids: string[]): Promise<ApiKeyRecord[]> {
  return tx<ApiKeyRecord[]>`select ${columns(tx)} from api_keys where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}

export async function countActiveApiKeys(tx: TransactionSql): Promise<number> {
  const [row] = await tx<{ count: number }[]>`
    select count(*)::int as count from api_keys where tenant_id = app_tenant_id() and revoked_at is null`;
  return row!.count;
}

export async function insertApiKey(
  tx: TransactionSql,
  key: { name: string; scopes: KeyScope[]; prefix: string; lastFour: string; keyHash: string; createdBy: string | null; createdByKey: string | null },
): Promise<ApiKeyRecord> {
  const [row] = await tx<ApiKeyRecord[]>`
    insert into api_keys (tenant_id, name, scopes, prefix, last_four, key_hash, created_by, created_by_key)
    values (app_tenant_id(), ${key.name}, ${key.scopes}, ${key.prefix}, ${key.lastFour}, ${key.keyHash},
            ${key.createdBy}, ${key.createdByKey})
    returning ${columns(tx)}`;
  return row!;
}

export async function updateApiKeyScopes(tx: TransactionSql, id: string, scopes: KeyScope[]): Promise<ApiKeyRecord | null> {
  const [row] = await tx<ApiKeyRecord[]>`
    update api_keys set scopes = ${scopes}
     where tenant_id = app_tenant_id() and id = ${id} and revoked_at is null
    returning ${columns(tx)}`;
  return row ?? null;
}

/** Revokes the key and every key made from it, however deep; answers the ids newly revoked. */
export async function revokeApiKeyTree(tx: TransactionSql, id: string): Promise<string[]> {
  const rows = await tx<{ id: string }[]>`
    with recursive tree as (
      select id from api_keys where tenant_id = app_tenant_id() and id = ${id}
      union
      select k.id from api_keys k join tree on k.created_by_key = tree.id where k.tenant_id = app_tenant_id()
    )
    update api_keys set revoked_at = now()
     where tenant_id = app_tenant_id() and id in (select id from tree) and revoked_at is null
    returning id`;
  return rows.map((r) => r.id);
}
