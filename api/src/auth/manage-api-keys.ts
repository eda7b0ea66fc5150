// Admin work on partner keys: create (the secret leaves here once, to be shown once), change scopes,
// revoke. An admin person may give any scopes. A key with the admin scope may manage keys only within
// its own scopes: it cannot mint, raise or revoke a key holding a scope it lacks, and the keys it makes
// are recorded as its children, which are revoked with it.
import type { TransactionSql } from '@switchboard/db/connect';
import { generateApiKey, hashToken } from '@switchboard/db/tokens';
import type { KeyScope } from '../context.ts';
import { KEY_SCOPES } from './api-key.ts';
import {
  countActiveApiKeys,
  findApiKeysByIds,
  insertApiKey,
  revokeApiKeyTree,
  updateApiKeyScopes,
  type ApiKeyRecord,
} from './api-key-repository.ts';

/** Who manages keys: an admin person, or a partner key with the admin scope. */
export type KeyManager = { kind: 'user'; userId: string } | { kind: 'apiKey'; apiKeyId: string; scopes: readonly KeyScope[] };

export type KeyResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: 'INVALID_INPUT'; field: string; message: string }
  | { ok: false; code: 'NOT_FOUND' | 'SCOPE_NOT_HELD' | 'REVOKED' | 'TOO_MANY_KEYS'; message: string };

/** Enough for every integration a tenant runs; a bound on what a leaked admin key could mint. */
export const MAX_ACTIVE_KEYS = 100;
const NAME_MAX = 100;

const notFound = { ok: false, code: 'NOT_FOUND', message: 'API key was not found.' } as const;

function normaliseScopes(scopes: readonly string[]): KeyResult<KeyScope[]> {
  if (scopes.length === 0) return { ok: false, code: 'INVALID_INPUT', field: 'scopes', message: 'Give the key at least one scope: read, send or admin.' };
  const unknown = scopes.find((s) => !(KEY_SCOPES as readonly string[]).includes(s));
  if (unknown !== undefined) return { ok: false, code: 'INVALID_INPUT', field: 'scopes', message: `"${unknown}" is not a scope; scopes are read, send and admin.` };
  return { ok: true, value: KEY_SCOPES.filter((s) => scopes.includes(s)) };
}

function scopesNotHeld(manager: KeyManager, scopes: readonly KeyScope[]): KeyScope[] {
  return manager.kind === 'user' ? [] : scopes.filter((s) => !manager.scopes.includes(s));
}

export async function createApiKey(
  tx: TransactionSql,
  manager: KeyManager,
  input: { name: string; scopes: readonly string[] },
): Promise<KeyResult<{ apiKey: ApiKeyRecord; secret: string }>> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > NAME_MAX) return { ok: false, code: 'INVALID_INPUT', field: 'name', message: `Key names need 1 to ${NAME_MAX} characters.` };
  const scopes = normaliseScopes(input.scopes);
  if (!scopes.ok) return scopes;
  const lacking = scopesNotHeld(manager, scopes.value);
  if (lacking.length > 0)
    return { ok: false, code: 'INVALID_INPUT', field: 'scopes', message: `A key can only give scopes it has itself; this one lacks: ${lacking.join(', ')}.` };
  if ((await countActiveApiKeys(tx)) >= MAX_ACTIVE_KEYS)
    return { ok: false, code: 'TOO_MANY_KEYS', message: `A tenant can have at most ${MAX_ACTIVE_KEYS} active keys; revoke one first.` };
  const secret = generateApiKey();
  const apiKey = await insertApiKey(tx, {
    name,
    scopes: scopes.value,
    prefix: secret.slice(0, 12),
    lastFour: secret.slice(-4),
    keyHash: hashToken(secret),
    createdBy: manager.kind === 'user' ? manager.userId : null,
    createdByKey: manager.kind === 'apiKey' ? manager.apiKeyId : null,
  });
  return { ok: true, value: { apiKey, secret } };
}

export async function changeApiKeyScopes(tx: TransactionSql, manager: KeyManager, id: string, scopes: readonly string[]): Promise<KeyResult<ApiKeyRecord>> {
  const wanted = normaliseScopes(scopes);
  if (!wanted.ok) return wanted;
  const [key] = await findApiKeysByIds(tx, [id]);
  if (!key) return notFound;
  if (key.revokedAt) return { ok: false, code: 'REVOKED', message: 'This key is revoked; create a new one instead.' };
  // Both what the key has and what it would get: a key may neither raise nor cut down a stronger key.
  const lacking = scopesNotHeld(manager, [...new Set([...key.scopes, ...wanted.value])]);
  if (lacking.length > 0) return { ok: false, code: 'SCOPE_NOT_HELD', message: `Only an admin, or a key that has these scopes too, can do this: ${lacking.join(', ')}.` };
  const updated = await updateApiKeyScopes(tx, id, wanted.value);
  return updated ? { ok: true, value: updated } : notFound;
}

/** Idempotent: revoking a revoked key answers it unchanged. `revoked`: the keys this call revoked (it and those it made). */
export async function revokeApiKey(tx: TransactionSql, manager: KeyManager, id: string): Promise<KeyResult<{ apiKey: ApiKeyRecord; revoked: string[] }>> {
  const [key] = await findApiKeysByIds(tx, [id]);
  if (!key) return notFound;
  const lacking = manager.kind === 'apiKey' && manager.apiKeyId !== id ? scopesNotHeld(manager, key.scopes) : [];
  if (lacking.length > 0) return { ok: false, code: 'SCOPE_NOT_HELD', message: `Only an admin, or a key that has these scopes too, can do this: ${lacking.join(', ')}.` };
  const revoked = await revokeApiKeyTree(tx, id);
  const [apiKey] = await findApiKeysByIds(tx, [id]);
  return { ok: true, value: { apiKey: apiKey!, revoked } };
}
