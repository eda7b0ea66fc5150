// Key rotation for sealed Meta access tokens: every token not under the current key is opened with the
// key that sealed it and sealed again under the current one. Safe to run while the api is serving.
import type { Sql } from '@switchboard/db/connect';
import { accessTokenAad, findTokensNotUnderKey, updateSealedToken, type RowCursor } from './sealed-token-repository.ts';
import { VaultError, type Vault, type VaultErrorCode } from './vault.ts';

export interface RotationReport {
  resealed: number;
  /** Rows whose token changed between read and write; their new value was left as written. */
  changedConcurrently: number;
  /** Rows that could not be opened (key not configured, or data altered); left untouched. */
  unreadable: Array<{ tenantId: string; id: string; reason: VaultErrorCode }>;
}

export interface RotationOptions {
  batchSize?: number;
  /** Called after each batch with the running totals (counts only, never token values). */
  onProgress?: (report: RotationReport) => void;
}

export async function rotateSealedTokens(
  sql: Sql,
  vault: Vault,
  { batchSize = 200, onProgress }: RotationOptions = {},
): Promise<RotationReport> {
  const report: RotationReport = { resealed: 0, changedConcurrently: 0, unreadable: [] };
  // Walk in key order rather than re-querying from the start, so unreadable rows are visited once.
  let after: RowCursor | undefined;
  for (;;) {
    const rows = await findTokensNotUnderKey(sql, vault.currentKeyId, batchSize, after);
    for (const row of rows) {
      const aad = accessTokenAad(row.tenantId, row.id);
      let sealed: string;
      try {
        sealed = vault.seal(vault.open(row.accessTokenSealed, aad), aad);
      } catch (error) {
        if (!(error instanceof VaultError)) throw error;
        report.unreadable.push({ tenantId: row.tenantId, id: row.id, reason: error.code });
        continue;
      }
      const updated = await updateSealedToken(sql, {
        tenantId: row.tenantId,
        id: row.id,
        expectedSealed: row.accessTokenSealed,
        sealed,
        keyId: vault.currentKeyId,
      });
      if (updated) report.resealed += 1;
      else report.changedConcurrently += 1;
    }
    onProgress?.(report);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return report;
    after = { tenantId: last.tenantId, id: last.id };
  }
}
