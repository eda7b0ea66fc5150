// `pnpm vault:generate-key [id]`: prints a fresh VAULT_KEY value. The id defaults to today's date, so
// keys sort by age; pass one to make two keys on the same day.
import { generateVaultKey } from './vault.ts';

const id = process.argv[2] ?? `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
try {
  console.log(generateVaultKey(id));
} catch (error) {
  console.error(`vault:generate-key: ${(error as Error).message}`);
  process.exitCode = 2;
}
