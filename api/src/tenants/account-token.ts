// A WABA's business token, sealed at rest by the vault and opened only in the process that uses it.
import type { TransactionSql } from '@switchboard/db/connect';
import { accessTokenAad } from '../vault/sealed-token-repository.ts';
import type { Vault } from '../vault/vault.ts';

export async function storeAccountToken(tx: TransactionSql, vault: Vault, { tenantId, wabaId, token }: { tenantId: string; wabaId: string; token: string }): Promise<void> {
  const [account] = await tx<{ id: string }[]>`select id from whatsapp_accounts where tenant_id = ${tenantId} and waba_id = ${wabaId}`;
  if (!account) throw new Error('unknown WhatsApp account');
  const sealed = vault.seal(token, accessTokenAad(tenantId, account.id));
  await tx`
    update whatsapp_accounts set access_token_sealed = ${sealed}, access_token_key_id = ${vault.keyIdOf(sealed)}, updated_at = now()
     where tenant_id = ${tenantId} and id = ${account.id}`;
}

/** Opened tokens are kept briefly in memory so a busy number does not decrypt on every send. */
export function createTokenCache(vault: Vault, { ttlMs = 60_000 } = {}) {
  const cache = new Map<string, { token: string; sealed: string; until: number }>();
  return {
    open(tenantId: string, accountId: string, sealed: string): string {
      const hit = cache.get(accountId);
      if (hit && hit.sealed === sealed && hit.until > Date.now()) return hit.token;
      const token = vault.open(sealed, accessTokenAad(tenantId, accountId));
      cache.set(accountId, { token, sealed, until: Date.now() + ttlMs });
      return token;
    },
  };
}
