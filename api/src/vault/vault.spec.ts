import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createVault, generateVaultKey, parseVaultKeys, VaultError, type Vault, type VaultKeys } from './vault.ts';

const token = 'EAAGm0PX4ZCpsBAKZCZCZC-a-long-lived-business-token';
const aad = 'whatsapp_account:6f1c0a9e-4c1b-4f7e-9a57-0d4f5e0c1a11:0b6a3c1e-2d4f-4b8a-9c7d-1e2f3a4b5c6d';
const otherRowAad = 'whatsapp_account:6f1c0a9e-4c1b-4f7e-9a57-0d4f5e0c1a11:9f8e7d6c-5b4a-4321-8765-43210fedcba9';

function keyValue(id: string, bytes = 32): string {
  return `${id}:${randomBytes(bytes).toString('base64')}`;
}

function keysFrom(current: string, previous?: string): VaultKeys {
  const parsed = parseVaultKeys(current, previous);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.keys;
}

function openError(vault: Vault, sealed: string, rowAad = aad): VaultError {
  try {
    vault.open(sealed, rowAad);
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected open to fail');
}

describe('vault', () => {
  describe('parseVaultKeys', () => {
    it('reads the current key and a comma-separated list of previous keys', () => {
      const parsed = parseVaultKeys(keyValue('k2'), ` ${keyValue('k1')} , ${keyValue('k0')} `);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.keys.current.id).toBe('k2');
      expect(parsed.keys.previous.map((key) => key.id)).toEqual(['k1', 'k0']);
      expect(parsed.keys.current.secret.symmetricKeySize).toBe(32);
    });

    it('reports a missing VAULT_KEY', () => {
      expect(parseVaultKeys(undefined)).toEqual({ ok: false, problem: 'VAULT_KEY is missing; generate one with `pnpm vault:generate-key`' });
      expect(parseVaultKeys('  ')).toEqual({ ok: false, problem: 'VAULT_KEY is missing; generate one with `pnpm vault:generate-key`' });
    });

    it('reports a value without a key id', () => {
      expect(parseVaultKeys(randomBytes(32).toString('base64'))).toEqual({
        ok: false,
        problem: 'VAULT_KEY must look like <keyId>:<base64 of 32 bytes>',
      });
    });

    it('reports a key id outside the safe alphabet', () => {
      expect(parseVaultKeys(keyValue('k.1'))).toEqual({
        ok: false,
        problem: 'VAULT_KEY has a key id that is not 1–64 letters, digits, "_" or "-"',
      });
    });

    it('reports bad base64 without echoing it', () => {
      const parsed = parseVaultKeys('k1:not*base64!');
      expect(parsed).toEqual({ ok: false, problem: 'VAULT_KEY key "k1" is not valid base64' });
    });

    it('reports a key of the wrong length without echoing it', () => {
      const value = keyValue('k1', 16);
      const parsed = parseVaultKeys(value);
      expect(parsed).toEqual({ ok: false, problem: 'VAULT_KEY key "k1" is 16 bytes; it must be exactly 32' });
      expect(JSON.stringify(parsed)).not.toContain(value.slice(3));
    });

    it('reports a problem in a previous key by its variable', () => {
      expect(parseVaultKeys(keyValue('k2'), `${keyValue('k1')},k0:abc`)).toEqual({
        ok: false,
        problem: 'VAULT_PREVIOUS_KEYS key "k0" is not valid base64',
      });
    });

    it('reports a key id used twice', () => {
      expect(parseVaultKeys(keyValue('k1'), keyValue('k1'))).toEqual({
        ok: false,
        problem: 'VAULT_PREVIOUS_KEYS repeats key id "k1"; every key needs its own id',
      });
      expect(parseVaultKeys(keyValue('k2'), `${keyValue('k1')},${keyValue('k1')}`)).toEqual({
        ok: false,
        problem: 'VAULT_PREVIOUS_KEYS repeats key id "k1"; every key needs its own id',
      });
    });

    it('keeps key material out of inspection and JSON', () => {
      const value = keyValue('k1');
      const keys = keysFrom(value);
      const material = value.slice(3);
      expect(inspect(keys, { depth: 10 })).not.toContain(material);
      expect(JSON.stringify(keys)).not.toContain(material);
    });
  });

  describe('generateVaultKey', () => {
    it('makes a value that parses as a 32-byte key under the given id', () => {
      const value = generateVaultKey('k20260512');
      expect(value).toMatch(/^k20260512:[A-Za-z0-9+/]{43}=$/);
      const parsed = parseVaultKeys(value);
      expect(parsed.ok && parsed.keys.current.id).toBe('k20260512');
    });

    it('makes a different key every time', () => {
      expect(generateVaultKey('k1')).not.toBe(generateVaultKey('k1'));
    });

    it('refuses an id that could not be parsed back', () => {
      expect(() => generateVaultKey('k:1')).toThrow(TypeError);
    });
  });

  describe('seal and open', () => {
    const vault = createVault(keysFrom(keyValue('k1')));

    it('opens what it sealed for the same row', () => {
      expect(vault.open(vault.seal(token, aad), aad)).toBe(token);
    });

    it('round-trips text beyond ASCII and the empty string', () => {
      expect(vault.open(vault.seal('ключ-🔑', aad), aad)).toBe('ключ-🔑');
      expect(vault.open(vault.seal('', aad), aad)).toBe('');
    });

    it('writes v1.<keyId>.<12-byte iv>.<ciphertext and 16-byte tag> in base64url', () => {
      const sealed = vault.seal(token, aad);
      const [version, keyId, iv, body] = sealed.split('.');
      expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect([version, keyId]).toEqual(['v1', 'k1']);
      expect(Buffer.from(iv ?? '', 'base64url').length).toBe(12);
      expect(Buffer.from(body ?? '', 'base64url').length).toBe(Buffer.byteLength(token) + 16);
      expect(sealed).not.toContain(token);
    });

    it('uses a fresh iv for every seal', () => {
      const sealed = new Set(Array.from({ length: 50 }, () => vault.seal(token, aad)));
      expect(sealed.size).toBe(50);
    });

    it('refuses an empty aad, which would bind the value to no row', () => {
      expect(() => vault.seal(token, '')).toThrow(TypeError);
      expect(() => vault.open(vault.seal(token, aad), '')).toThrow(TypeError);
    });
  });

  describe('refusing to open', () => {
    const vault = createVault(keysFrom(keyValue('k1')));

    it('fails a value copied to another row', () => {
      const error = openError(vault, vault.seal(token, aad), otherRowAad);
      expect(error.code).toBe('unauthentic');
      expect(error.message).toBe('sealed value failed authentication: it was altered, or sealed for another row');
    });

    it('fails a value whose ciphertext was altered', () => {
      const [version, keyId, iv, body = ''] = vault.seal(token, aad).split('.');
      const bytes = Buffer.from(body, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      expect(openError(vault, [version, keyId, iv, bytes.toString('base64url')].join('.')).code).toBe('unauthentic');
    });

    it('fails a value whose tag was truncated', () => {
      const sealed = vault.seal(token, aad);
      const [version, keyId, iv, body = ''] = sealed.split('.');
      const truncated = Buffer.from(body, 'base64url').subarray(0, -4).toString('base64url');
      expect(openError(vault, [version, keyId, iv, truncated].join('.')).code).toBe('unauthentic');
    });

    it('fails a value whose key id was rewritten to another known key', () => {
      const two = createVault(keysFrom(keyValue('k2'), keyValue('k1')));
      const sealed = two.seal(token, aad).replace(/^v1\.k2\./, 'v1.k1.');
      expect(openError(two, sealed).code).toBe('unauthentic');
    });

    it('fails a value sealed under a key it does not hold, naming only the key id', () => {
      const other = createVault(keysFrom(keyValue('k9')));
      const error = openError(vault, other.seal(token, aad));
      expect(error.code).toBe('unknown-key');
      expect(error.message).toBe('sealed value uses key "k9", which is neither VAULT_KEY nor in VAULT_PREVIOUS_KEYS');
    });

    it('fails values that are not in the sealed format', () => {
      for (const sealed of ['', token, 'v2.k1.aaaa.bbbb', 'v1.k1.aaaa', 'v1.k1.a+b.cccc', 'v1.k1.AAAA.AAAA']) {
        expect(openError(vault, sealed).code).toBe('malformed');
      }
    });

    it('never puts the plaintext or sealed data in the error', () => {
      const sealed = vault.seal(token, aad);
      const error = openError(vault, sealed, otherRowAad);
      const shown = `${error.message} ${inspect(error)} ${JSON.stringify(error)}`;
      expect(shown).not.toContain(token);
      expect(shown).not.toContain(sealed.split('.')[3]);
    });
  });

  describe('rotation', () => {
    const oldKey = keyValue('k1');
    const before = createVault(keysFrom(oldKey));
    const after = createVault(keysFrom(keyValue('k2'), oldKey));

    it('opens values sealed under a previous key', () => {
      expect(after.open(before.seal(token, aad), aad)).toBe(token);
    });

    it('seals new values under the current key', () => {
      expect(after.currentKeyId).toBe('k2');
      expect(after.keyIdOf(after.seal(token, aad))).toBe('k2');
    });

    it('says which values need re-sealing', () => {
      expect(after.needsRotation(before.seal(token, aad))).toBe(true);
      expect(after.needsRotation(after.seal(token, aad))).toBe(false);
    });

    it('reads the key id without opening', () => {
      expect(after.keyIdOf(before.seal(token, aad))).toBe('k1');
      expect(() => after.keyIdOf('garbage')).toThrow(VaultError);
    });
  });

  describe('createVault', () => {
    it('refuses two keys with one id', () => {
      const keys = keysFrom(keyValue('k1'));
      expect(() => createVault({ current: keys.current, previous: [keys.current] })).toThrow('vault key id "k1" is used twice');
    });
  });
});
