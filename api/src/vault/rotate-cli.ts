// `pnpm vault:rotate`: re-seals every Meta access token and every two-factor secret not under VAULT_KEY.
// Run it after moving the old key into VAULT_PREVIOUS_KEYS and deploying; once it reports no unreadable
// rows, the old key can go.
// Connects as the migration owner (DATABASE_URL): rotation spans every tenant.
import { connect } from '@switchboard/db/connect';
import { rotateSealedTokens, rotateTotpSecrets } from './rotate-tokens.ts';
import { createVault, parseVaultKeys } from './vault.ts';

const url = process.env.DATABASE_URL;
const keys = parseVaultKeys(process.env.VAULT_KEY, process.env.VAULT_PREVIOUS_KEYS);
const problems = [!url && 'DATABASE_URL is missing (the migration owner, which sees every tenant)', !keys.ok && keys.problem].filter(
  (problem) => typeof problem === 'string',
);
if (!url || !keys.ok) {
  for (const problem of problems) console.error(`vault:rotate: ${problem}`);
  process.exit(2);
}

const vault = createVault(keys.keys);
const sql = connect(url, { max: 1, applicationName: 'switchboard-vault-rotate' });
try {
  const report = await rotateSealedTokens(sql, vault, {
    onProgress: (progress) => console.log(`re-sealed ${progress.resealed} so far`),
  });
  console.log(
    `re-sealed ${report.resealed} token(s) under key "${vault.currentKeyId}"; ` +
      `${report.changedConcurrently} changed while rotating (left as written); ${report.unreadable.length} unreadable`,
  );
  for (const row of report.unreadable) console.log(`unreadable (${row.reason}): whatsapp_accounts tenant ${row.tenantId} id ${row.id}`);
  if (report.unreadable.length) {
    console.error('vault:rotate: some tokens could not be opened; add the key that sealed them to VAULT_PREVIOUS_KEYS, or reconnect those accounts');
    process.exitCode = 1;
  }
  const secrets = await rotateTotpSecrets(sql, vault);
  console.log(
    `re-sealed ${secrets.resealed} two-factor secret(s) under key "${vault.currentKeyId}"; ` +
      `${secrets.changedConcurrently} changed while rotating (left as written); ${secrets.unreadable.length} unreadable`,
  );
  for (const row of secrets.unreadable) console.log(`unreadable (${row.reason}): user_totp tenant ${row.tenantId} user ${row.id}`);
  if (secrets.unreadable.length) {
    console.error('vault:rotate: some two-factor secrets could not be opened; add the key that sealed them to VAULT_PREVIOUS_KEYS, or have those people enrol again');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`vault:rotate: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await sql.end();
}
