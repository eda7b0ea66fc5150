// The vault key every test and benchmark api runs with, and sealing a WABA's business token under it as
// onboarding does. Free of vitest, so plain scripts (bench/) can use it too.
import type { TransactionSql } from '@switchboard/db/connect';
import { storeAccountToken } from '@switchboard/api/tenants/account-token';
import { createVault, parseVaultKeys } from '@switchboard/api/vault/vault';

export const TEST_VAULT_KEY = 'test1:' + Buffer.alloc(32, 7).toString('base64');

export async function sealAccountToken(tx: TransactionSql, account: { tenantId: string; wabaId: string; token: string }): Promise<void> {
  const keys = parseVaultKeys(TEST_VAULT_KEY);
  if (!keys.ok) throw new Error(keys.problem);
  await storeAccountToken(tx, createVault(keys.keys), account);
}
