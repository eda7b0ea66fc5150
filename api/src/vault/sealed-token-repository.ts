// Sealed Meta access tokens on whatsapp_accounts, as the rotation command reads and rewrites them. It
// runs as the migration owner (every tenant at once), so each statement names the row by its full key.
import type { Sql } from '@switchboard/db/connect';

export interface SealedToken {
  tenantId: string;
  id: string;
  accessTokenSealed: string;
  accessTokenKeyId: string | null;
}

/** The additional authenticated data that binds a sealed token to its account row. */
export function accessTokenAad(tenantId: string, accountId: string): string {
  return `whatsapp_account:${tenantId}:${accountId}`;
}

export interface RowCursor {
  tenantId: string;
  id: string;
}

/** Rows whose token is sealed under another key (or no recorded key), in key order, after `after`. */
export async function findTokensNotUnderKey(sql: Sql, keyId: string, limit: number, after?: RowCursor): Promise<SealedToken[]> {
  return sql<SealedToken[]>`
    select tenant_id, id, access_token_sealed, access_token_key_id
      from whatsapp_accounts
     where access_token_sealed is not null
       and access_token_key_id is distinct from ${keyId}
       ${after ? sql`and (tenant_id, id) > (${after.tenantId}::uuid, ${after.id}::uuid)` : sql``}
     order by tenant_id, id
     limit ${limit}`;
}

/**
 * Compare-and-set: writes the new sealed value only while the row still holds `expectedSealed`, so a
 * token saved concurrently (a reconnect, a refreshed token) is never overwritten with an older one.
 * Returns whether the row was updated.
 */
export async function updateSealedToken(
  sql: Sql,
  row: { tenantId: string; id: string; expectedSealed: string; sealed: string; keyId: string },
): Promise<boolean> {
  const result = await sql`
    update whatsapp_accounts
       set access_token_sealed = ${row.sealed},
           access_token_key_id = ${row.keyId}
     where tenant_id = ${row.tenantId}
       and id = ${row.id}
       and access_token_sealed = ${row.expectedSealed}`;
  return result.count === 1;
}
