// Partner API keys: `Authorization: Bearer <key>`. Keys are stored as SHA-256 hashes; the lookup runs
// as a SECURITY DEFINER routine because no tenant is known until the key is.
import type { Sql } from '@switchboard/db/connect';
import { hashToken } from '@switchboard/db/tokens';
import type { KeyScope, Viewer } from '../context.ts';

export const KEY_SCOPES: readonly KeyScope[] = ['read', 'send', 'admin'];

export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '');
  return match ? match[1]! : null;
}

export async function authenticateApiKey(sql: Sql, key: string | null): Promise<Viewer | null> {
  if (!key || key.length > 200 || !key.startsWith('sb_')) return null;
  const [row] = await sql<{ tenantId: string; keyId: string; scopes: string[] }[]>`
    select * from authenticate_api_key(${hashToken(key)})`;
  if (!row) return null;
  const scopes = row.scopes.filter((s): s is KeyScope => (KEY_SCOPES as string[]).includes(s));
  return { kind: 'apiKey', tenantId: row.tenantId, apiKeyId: row.keyId, scopes };
}
