// Meta access tokens at rest: AES-256-GCM with a random 96-bit IV per seal, a key id in every sealed
// value so keys can rotate, and additional authenticated data naming the row the value belongs to, so
// a sealed token copied into another row (another tenant's account) fails to open.
// Sealed format: `v1.<keyId>.<iv base64url>.<ciphertext‖tag base64url>`, plain ASCII for a text column.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
// Key ids sit between the dots of the sealed format and in env values, so they keep to a safe alphabet.
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A key and its id. The secret is a KeyObject so it never prints or serialises by accident. */
export interface VaultKey {
  readonly id: string;
  readonly secret: KeyObject;
}

export interface VaultKeys {
  /** Seals everything new. */
  readonly current: VaultKey;
  /** Only open what was sealed before a rotation. */
  readonly previous: readonly VaultKey[];
}

export type ParsedVaultKeys = { ok: true; keys: VaultKeys } | { ok: false; problem: string };

export type VaultErrorCode = 'malformed' | 'unknown-key' | 'unauthentic';

/** Why a sealed value did not open. The message never carries plaintext, ciphertext or key material. */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface Vault {
  readonly currentKeyId: string;
  /** Seals under the current key; `aad` names the row, e.g. `whatsapp_account:<tenantId>:<accountId>`. */
  seal(plaintext: string, aad: string): string;
  /** Throws VaultError when the key is unknown, the value was tampered with or `aad` differs. */
  open(sealed: string, aad: string): string;
  keyIdOf(sealed: string): string;
  /** True when the value was sealed under a key other than the current one. */
  needsRotation(sealed: string): boolean;
}

/**
 * Reads `VAULT_KEY` (`<keyId>:<base64 of 32 bytes>`) and `VAULT_PREVIOUS_KEYS` (a comma-separated list
 * of the same). Problems name the variable and key id, never the key.
 */
export function parseVaultKeys(current: string | undefined, previous?: string): ParsedVaultKeys {
  if (current === undefined || current.trim() === '') {
    return { ok: false, problem: 'VAULT_KEY is missing; generate one with `pnpm vault:generate-key`' };
  }
  const parsedCurrent = parseKey('VAULT_KEY', current.trim());
  if (!parsedCurrent.ok) return parsedCurrent;

  const previousKeys: VaultKey[] = [];
  const seen = new Set([parsedCurrent.key.id]);
  const entries = (previous ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const parsed = parseKey('VAULT_PREVIOUS_KEYS', entry);
    if (!parsed.ok) return parsed;
    if (seen.has(parsed.key.id)) {
      return { ok: false, problem: `VAULT_PREVIOUS_KEYS repeats key id "${parsed.key.id}"; every key needs its own id` };
    }
    seen.add(parsed.key.id);
    previousKeys.push(parsed.key);
  }
  return { ok: true, keys: { current: parsedCurrent.key, previous: previousKeys } };
}

function parseKey(variable: string, value: string): { ok: true; key: VaultKey } | { ok: false; problem: string } {
  const colon = value.indexOf(':');
  if (colon < 0) return { ok: false, problem: `${variable} must look like <keyId>:<base64 of 32 bytes>` };
  const id = value.slice(0, colon);
  const encoded = value.slice(colon + 1);
  if (!KEY_ID.test(id)) {
    return { ok: false, problem: `${variable} has a key id that is not 1–64 letters, digits, "_" or "-"` };
  }
  if (!BASE64.test(encoded) || encoded === '') {
    return { ok: false, problem: `${variable} key "${id}" is not valid base64` };
  }
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== KEY_BYTES) {
    return { ok: false, problem: `${variable} key "${id}" is ${bytes.length} bytes; it must be exactly ${KEY_BYTES}` };
  }
  const secret = createSecretKey(bytes);
  bytes.fill(0);
  return { ok: true, key: { id, secret } };
}

/** A fresh `VAULT_KEY` value: `<id>:<base64 of 32 random bytes>`. */
export function generateVaultKey(id: string): string {
  if (!KEY_ID.test(id)) throw new TypeError('a vault key id is 1–64 letters, digits, "_" or "-"');
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

export function createVault(keys: VaultKeys): Vault {
  const byId = new Map<string, KeyObject>();
  for (const key of [keys.current, ...keys.previous]) {
    if (byId.has(key.id)) throw new TypeError(`vault key id "${key.id}" is used twice`);
    byId.set(key.id, key.secret);
  }
  const currentKeyId = keys.current.id;

  return {
    currentKeyId,

    seal(plaintext, aad) {
      requireAad(aad);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.current.secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(authenticatedData(currentKeyId, aad));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [VERSION, currentKeyId, iv.toString('base64url'), body.toString('base64url')].join('.');
    },

    open(sealed, aad) {
      requireAad(aad);
      const { keyId, iv, body } = parseSealed(sealed);
      const secret = byId.get(keyId);
      if (!secret) {
        throw new VaultError('unknown-key', `sealed value uses key "${keyId}", which is neither VAULT_KEY nor in VAULT_PREVIOUS_KEYS`);
      }
      const decipher = createDecipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(authenticatedData(keyId, aad));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        const plaintext = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
        return plaintext.toString('utf8');
      } catch {
        throw new VaultError('unauthentic', 'sealed value failed authentication: it was altered, or sealed for another row');
      }
    },

    keyIdOf(sealed) {
      return parseSealed(sealed).keyId;
    },

    needsRotation(sealed) {
      return parseSealed(sealed).keyId !== currentKeyId;
    },
  };
}

function requireAad(aad: string): void {
  // Without a row binding, a sealed token could be moved between tenants unnoticed.
  if (aad === '') throw new TypeError('vault: aad must name the row the value belongs to');
}

// The version and key id are authenticated too, so the header cannot be rewritten without detection.
function authenticatedData(keyId: string, aad: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${aad}`, 'utf8');
}

function parseSealed(sealed: string): { keyId: string; iv: Buffer; body: Buffer } {
  const parts = sealed.split('.');
  const [version, keyId, iv, body] = parts;
  if (parts.length !== 4 || version !== VERSION || keyId === undefined || !KEY_ID.test(keyId)) {
    throw new VaultError('malformed', `sealed value is not in the ${VERSION}.<keyId>.<iv>.<data> format`);
  }
  if (iv === undefined || body === undefined || !BASE64URL.test(iv) || !BASE64URL.test(body)) {
    throw new VaultError('malformed', 'sealed value has iv or data that is not base64url');
  }
  const ivBytes = Buffer.from(iv, 'base64url');
  const bodyBytes = Buffer.from(body, 'base64url');
  if (ivBytes.length !== IV_BYTES || bodyBytes.length < TAG_BYTES) {
    throw new VaultError('malformed', 'sealed value has an iv or data of the wrong length');
  }
  return { keyId, iv: ivBytes, body: bodyBytes };
}
