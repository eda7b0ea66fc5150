// Key rotation for what the vault seals — Meta access tokens and two-factor (TOTP) secrets: every value
// not under the current key is opened with the key that sealed it and sealed again under the current one.
// Safe to run while the api is serving.
import type { Sql } from '@switchboard/db/connect';
import { totpAad } from '../auth/two-factor.ts';
import { accessTokenAad, findTokensNotUnderKey, updateSealedToken, type RowCursor } from './sealed-token-repository.ts';
import { findTotpSecretsNotUnderKey, updateSealedTotpSecret } from './sealed-totp-repository.ts';
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

/** One kind of sealed value: how to find rows not under a key, bind a row, and write a new value. */
interface SealedKind {
  find(sql: Sql, keyId: string, limit: number, after?: RowCursor): Promise<Array<{ tenantId: string; id: string; sealed: string }>>;
  aad(tenantId: string, id: string): string;
  update(sql: Sql, row: { tenantId: string; id: string; expectedSealed: string; sealed: string; keyId: string }): Promise<boolean>;
}

const META_TOKENS: SealedKind = {
  find: async (sql, keyId, limit, after) =>
    (await findTokensNotUnderKey(sql, keyId, limit, after)).map((r) => ({ tenantId: r.tenantId, id: r.id, sealed: r.accessTokenSealed })),
  aad: accessTokenAad,
  update: updateSealedToken,
};

const TOTP_SECRETS: SealedKind = { find: findTotpSecretsNotUnderKey, aad: totpAad, update: updateSealedTotpSecret };

export function rotateSealedTokens(sql: Sql, vault: Vault, options: RotationOptions = {}): Promise<RotationReport> {
  return rotate(META_TOKENS, sql, vault, options);
}

/** The same for two-factor secrets (user_totp); a report's `id` is the person's. */
export function rotateTotpSecrets(sql: Sql, vault: Vault, options: RotationOptions = {}): Promise<RotationReport> {
  return rotate(TOTP_SECRETS, sql, vault, options);
}

async function rotate(kind: SealedKind, sql: Sql, vault: Vault, { batchSize = 200, onProgress }: RotationOptions): Promise<RotationReport> {
  const report: RotationReport = { resealed: 0, changedConcurrently: 0, unreadable: [] };
  // Walk in key order rather than re-querying from the start, so unreadable rows are visited once.
  let after: RowCursor | undefined;
  for (;;) {
    const rows = await kind.find(sql, vault.currentKeyId, batchSize, after);
    for (const row of rows) {
      const aad = kind.aad(row.tenantId, row.id);
      let sealed: string;
      try {
        sealed = vault.seal(vault.open(row.sealed, aad), aad);
      } catch (error) {
        if (!(error instanceof VaultError)) throw error;
        report.unreadable.push({ tenantId: row.tenantId, id: row.id, reason: error.code });
        continue;
      }
      const updated = await kind.update(sql, { tenantId: row.tenantId, id: row.id, expectedSealed: row.sealed, sealed, keyId: vault.currentKeyId });
      if (updated) report.resealed += 1;
      else report.changedConcurrently += 1;
    }
    onProgress?.(report);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return report;
    after = { tenantId: last.tenantId, id: last.id };
  }
}
