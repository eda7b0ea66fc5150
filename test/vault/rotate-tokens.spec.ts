// Rotating the key that seals Meta access tokens: tokens sealed under key A are re-sealed under key B
// (with A still configured as a previous key), every row then carries B's key id and opens to the same
// token, an api that knows only B works with them, and rows no configured key can open are reported and
// left alone. Both through the rotation function and through `pnpm vault:rotate` itself. Two-factor
// (TOTP) secrets, sealed by the same vault, rotate with them, and their people keep signing in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '@switchboard/db/embedded';
import { seedTenant } from '@switchboard/db/seed';
import { storeAccountToken } from '@switchboard/api/tenants/account-token';
import { totpAad } from '@switchboard/api/auth/two-factor';
import { rotateSealedTokens, rotateTotpSecrets } from '@switchboard/api/vault/rotate-tokens';
import { accessTokenAad } from '@switchboard/api/vault/sealed-token-repository';
import { createVault, parseVaultKeys, VaultError, type Vault } from '@switchboard/api/vault/vault';
import { devAccessToken, type Sandbox } from '../meta-sandbox/server.ts';
import { startSandbox } from '../support/sandbox.ts';
import { seedTemplates } from '../meta-sandbox/seed-templates.ts';
import { DEV_TENANT, graphql, logIn, owner, resetDatabase, runApiCli, seedDevTenant, seedUser, startApi } from '../support/stack.ts';
import { totpCode } from '../support/totp.ts';

const KEY_A = `keyA:${Buffer.alloc(32, 1).toString('base64')}`;
const KEY_B = `keyB:${Buffer.alloc(32, 2).toString('base64')}`;
const KEY_C = `keyC:${Buffer.alloc(32, 3).toString('base64')}`;

function vaultOf(current: string, previous?: string): Vault {
  const keys = parseVaultKeys(current, previous);
  if (!keys.ok) throw new Error(keys.problem);
  return createVault(keys.keys);
}

const underA = vaultOf(KEY_A);
const underB = vaultOf(KEY_B, KEY_A);
const onlyB = vaultOf(KEY_B);

interface Row {
  tenantId: string;
  id: string;
  wabaId: string;
  accessTokenSealed: string;
  accessTokenKeyId: string;
}

const rows = () =>
  owner()<Row[]>`
    select tenant_id, id, waba_id, access_token_sealed, access_token_key_id from whatsapp_accounts
     where access_token_sealed is not null order by waba_id`;

/** The dev tenant (the sandbox's dev WABA and token) and four more, all sealed under A; one under C. */
async function sealTokens(): Promise<{ devTenantId: string; tokens: Map<string, string>; strayWabaId: string }> {
  const tokens = new Map<string, string>();
  const { tenantId: devTenantId } = await seedDevTenant();
  await owner().begin((tx) => storeAccountToken(tx, underA, { tenantId: devTenantId, wabaId: DEV_TENANT.wabaId, token: devAccessToken }));
  tokens.set(DEV_TENANT.wabaId, devAccessToken);
  for (let n = 1; n <= 4; n += 1) {
    const wabaId = `51000000000000${n}`;
    const { tenantId } = await seedTenant(owner(), { name: `Tenant ${n}`, wabaId, phoneNumberId: `52000000000000${n}`, displayPhoneNumber: `1555000000${n}` });
    const token = `EAAtokenOfTenant${n}${'x'.repeat(40)}`;
    await owner().begin((tx) => storeAccountToken(tx, underA, { tenantId, wabaId, token }));
    tokens.set(wabaId, token);
  }
  const strayWabaId = '590000000000001';
  const { tenantId } = await seedTenant(owner(), { name: 'Stray', wabaId: strayWabaId, phoneNumberId: '590000000000002', displayPhoneNumber: '15550000009' });
  await owner().begin((tx) => storeAccountToken(tx, vaultOf(KEY_C), { tenantId, wabaId: strayWabaId, token: 'EAAsealedUnderAKeyNobodyHas' }));
  return { devTenantId, tokens, strayWabaId };
}

function unknownKey(vault: Vault, row: Row): VaultError | undefined {
  try {
    vault.open(row.accessTokenSealed, accessTokenAad(row.tenantId, row.id));
    return undefined;
  } catch (error) {
    return error as VaultError;
  }
}

let sandbox: Sandbox;
let sandboxUrl: string;

beforeAll(async () => {
  const port = await freePort();
  sandboxUrl = `http://127.0.0.1:${port}`;
  sandbox = await startSandbox({
    port,
  });
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(resetDatabase);

describe('rotating the vault key of sealed Meta tokens', () => {
  it('re-seals every token under the new key id, to the same plaintext, for an api that knows only the new key', async () => {
    const { devTenantId, tokens, strayWabaId } = await sealTokens();
    expect((await rows()).map((r) => r.accessTokenKeyId)).toEqual(['keyA', 'keyA', 'keyA', 'keyA', 'keyA', 'keyC']);

    const progress: number[] = [];
    const report = await rotateSealedTokens(owner(), underB, { batchSize: 2, onProgress: (p) => progress.push(p.resealed) });
    const stray = (await rows()).find((r) => r.wabaId === strayWabaId)!;
    expect(report).toEqual({ resealed: 5, changedConcurrently: 0, unreadable: [{ tenantId: stray.tenantId, id: stray.id, reason: 'unknown-key' }] });
    // Six rows in batches of two, each walked once (the unreadable row is not revisited), then an empty read.
    expect(progress).toHaveLength(4);
    expect(progress.at(-1)).toBe(5);

    const after = await rows();
    for (const row of after.filter((r) => r.wabaId !== strayWabaId)) {
      expect(row.accessTokenKeyId).toBe('keyB');
      expect(row.accessTokenSealed).toMatch(/^v1\.keyB\./);
      expect(row.accessTokenSealed).not.toContain(tokens.get(row.wabaId));
      expect(onlyB.open(row.accessTokenSealed, accessTokenAad(row.tenantId, row.id))).toBe(tokens.get(row.wabaId));
      expect(unknownKey(underA, row)?.code).toBe('unknown-key');
    }
    // What no configured key could open is left exactly as it was.
    expect(after.find((r) => r.wabaId === strayWabaId)).toEqual(stray);
    expect(stray.accessTokenKeyId).toBe('keyC');

    // Running it again finds nothing more to do.
    expect(await rotateSealedTokens(owner(), underB)).toEqual({ resealed: 0, changedConcurrently: 0, unreadable: [{ tenantId: stray.tenantId, id: stray.id, reason: 'unknown-key' }] });

    // An api holding only key B opens the rotated token and calls Meta with it.
    const api = await startApi({ vaultKey: KEY_B, vaultPreviousKeys: '', metaGraphUrl: sandboxUrl, instanceId: 'vault-rotation', runJobs: false });
    try {
      const admin = await seedUser(devTenantId, { email: 'admin@acme.test', role: 'admin' });
      const session = await logIn(api.url, admin.email, admin.password);
      const synced = await graphql(api.url, session, 'mutation { syncTemplates }');
      expect(synced).toEqual({ status: 200, data: { syncTemplates: seedTemplates.length } });
    } finally {
      await api.stop();
    }
  });

  it('runs as `pnpm vault:rotate`, reporting counts and the rows it could not open', async () => {
    const { tokens, strayWabaId } = await sealTokens();
    const stray = (await rows()).find((r) => r.wabaId === strayWabaId)!;

    const first = await rotateCli({ VAULT_KEY: KEY_B, VAULT_PREVIOUS_KEYS: KEY_A });
    expect(first.code).toBe(1);
    expect(first.stdout.split('\n').filter(Boolean)).toEqual([
      're-sealed 5 so far',
      're-sealed 5 token(s) under key "keyB"; 0 changed while rotating (left as written); 1 unreadable',
      `unreadable (unknown-key): whatsapp_accounts tenant ${stray.tenantId} id ${stray.id}`,
      're-sealed 0 two-factor secret(s) under key "keyB"; 0 changed while rotating (left as written); 0 unreadable',
    ]);
    expect(first.stderr).toContain('add the key that sealed them to VAULT_PREVIOUS_KEYS');
    for (const token of tokens.values()) expect(first.stdout + first.stderr).not.toContain(token);

    // With the stray row's key added as a previous key, everything ends under B.
    const second = await rotateCli({ VAULT_KEY: KEY_B, VAULT_PREVIOUS_KEYS: `${KEY_A},${KEY_C}` });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('re-sealed 1 token(s) under key "keyB"; 0 changed while rotating (left as written); 0 unreadable');
    expect((await rows()).map((r) => r.accessTokenKeyId)).toEqual(['keyB', 'keyB', 'keyB', 'keyB', 'keyB', 'keyB']);

    // A malformed key is refused before anything is touched.
    const refused = await rotateCli({ VAULT_KEY: 'keyD:short' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('vault:rotate: VAULT_KEY key "keyD" is not valid base64\n');
  });
});

describe('rotating the vault key of two-factor secrets', () => {
  it('re-seals them under the new key, and their people sign in with their app against an api that knows only the new key', async () => {
    const { tenantId } = await seedDevTenant();
    const people = await Promise.all(['ana', 'bo'].map((name) => seedUser(tenantId, { email: `${name}@acme.test` })));
    const secrets = ['JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'KRUGS4ZANFZSAYJAONSWG4TFOQQQ2345'];
    for (const [i, person] of people.entries()) {
      await owner()`
        insert into user_totp (tenant_id, user_id, secret_sealed, secret_key_id, enabled_at)
        values (${tenantId}, ${person.id}, ${underA.seal(secrets[i]!, totpAad(tenantId, person.id))}, 'keyA', now())`;
    }
    expect(await rotateTotpSecrets(owner(), underB, { batchSize: 1 })).toEqual({ resealed: 2, changedConcurrently: 0, unreadable: [] });
    const stored = await owner()<{ userId: string; secretSealed: string; secretKeyId: string }[]>`select user_id, secret_sealed, secret_key_id from user_totp`;
    for (const row of stored) {
      expect(row.secretKeyId).toBe('keyB');
      expect(onlyB.open(row.secretSealed, totpAad(tenantId, row.userId))).toBe(secrets[people.findIndex((p) => p.id === row.userId)]);
    }
    expect(await rotateTotpSecrets(owner(), underB)).toEqual({ resealed: 0, changedConcurrently: 0, unreadable: [] });

    const api = await startApi({ vaultKey: KEY_B, vaultPreviousKeys: '', instanceId: 'vault-rotation-totp', runJobs: false });
    try {
      const session = await logIn(api.url, people[0]!.email, people[0]!.password, await totpCode(secrets[0]!));
      expect((await graphql(api.url, session, '{ me { totpEnabled } }')).data).toEqual({ me: { totpEnabled: true } });
    } finally {
      await api.stop();
    }
  });
});

/** The command as an operator runs it, against the test database as its owner. */
const rotateCli = (env: Record<string, string>) => runApiCli('src/vault/rotate-cli.ts', env);
