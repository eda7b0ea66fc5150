// Sealed TOTP secrets on user_totp (two-factor sign-in), as the rotation command reads and rewrites them.
// Like sealed-token-repository.ts it runs as the migration owner, naming each row by its full key.
import type { Sql } from '@switchboard/db/connect';
import type { RowCursor } from './sealed-token-repository.ts';

export interface SealedSecret {
  tenantId: string;
  id: string;
  sealed: string;
}

/** Rows whose secret is sealed under another key, in key order, after `after`; `id` is the person's. */
export function findTotpSecretsNotUnderKey(sql: Sql, keyId: string, limit: number, after?: RowCursor): Promise<SealedSecret[]> {
  return sql<SealedSecret[]>`
    select tenant_id, user_id as id, secret_sealed as sealed
      from user_totp
     where secret_key_id is distinct from ${keyId}
       ${after ? sql`and (tenant_id, user_id) > (${after.tenantId}::uuid, ${after.id}::uuid)` : sql``}
     order by tenant_id, user_id
     limit ${limit}`;
}

/** Compare-and-set, as for Meta tokens: a secret replaced meanwhile (a new enrolment) is left as written. */
export async function updateSealedTotpSecret(
  sql: Sql,
  row: { tenantId: string; id: string; expectedSealed: string; sealed: string; keyId: string },
): Promise<boolean> {
  const result = await sql`
    update user_totp set secret_sealed = ${row.sealed}, secret_key_id = ${row.keyId}
     where tenant_id = ${row.tenantId} and user_id = ${row.id} and secret_sealed = ${row.expectedSealed}`;
  return result.count === 1;
}
