// `pnpm db:migrate`: migrates DATABASE_URL (the owner role). Exits non-zero on failure.
import { connect } from './connect.ts';
import { migrate, setAppRolePassword } from './migrate.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:migrate needs DATABASE_URL (the migration owner)');
  process.exit(2);
}
const sql = connect(url, { max: 1, applicationName: 'switchboard-migrate' });
try {
  const applied = await migrate(sql);
  if (process.env.APP_DB_PASSWORD) await setAppRolePassword(sql, process.env.APP_DB_PASSWORD);
  console.log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await sql.end();
}
