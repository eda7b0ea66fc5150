// `pnpm --filter @switchboard/api operator:create`: adds a platform operator (who creates tenants), or
// sets a new password for an existing one. Reads OPERATOR_EMAIL, OPERATOR_NAME and OPERATOR_PASSWORD
// from the environment, never from arguments (which other users of the machine can see), and connects
// as the migration owner (DATABASE_URL): operators belong to no tenant.
import { connect } from '@switchboard/db/connect';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { saveOperator } from './operator-repository.ts';

const url = process.env.DATABASE_URL;
const email = process.env.OPERATOR_EMAIL?.trim().toLowerCase() ?? '';
const name = process.env.OPERATOR_NAME?.trim() || email.split('@')[0] || '';
const password = process.env.OPERATOR_PASSWORD ?? '';
const problems = [
  !url && 'DATABASE_URL is missing (the migration owner)',
  !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && 'OPERATOR_EMAIL must be an email address',
  passwordProblem(password) && `OPERATOR_PASSWORD: ${passwordProblem(password)}`,
].filter((problem) => typeof problem === 'string');
if (!url || problems.length) {
  for (const problem of problems) console.error(`operator:create: ${problem}`);
  process.exit(2);
}

const sql = connect(url, { max: 1, applicationName: 'switchboard-operator-create' });
try {
  const saved = await saveOperator(sql, { email, name, passwordHash: await hashPassword(password) });
  if (saved.ok) console.log(`${saved.created ? 'created' : 'updated'} operator ${email} (${saved.operatorId})`);
  else {
    console.error(`operator:create: ${saved.problem}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`operator:create: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await sql.end();
}
