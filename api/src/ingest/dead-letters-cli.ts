// `pnpm dead-letters list` shows what the edge could not deliver (never the bodies: they hold customer
// data); `pnpm dead-letters replay [id …]` feeds them through ingest again. Connects as the app role.
import { connect } from '@switchboard/db/connect';
import { appRoleUrl } from '@switchboard/db/migrate';
import { mediaDownloadAttempts } from '../config.ts';
import { pendingDeadLetters, replayDeadLetters } from './replay-dead-letters.ts';

const url =
  process.env.APP_DATABASE_URL ??
  (process.env.DATABASE_URL && process.env.APP_DB_PASSWORD ? appRoleUrl(process.env.DATABASE_URL, process.env.APP_DB_PASSWORD) : undefined);
if (!url) {
  console.error('dead-letters needs APP_DATABASE_URL (or DATABASE_URL and APP_DB_PASSWORD)');
  process.exit(2);
}
const sql = connect(url, { max: 2, applicationName: 'switchboard-dead-letters' });
const [command = 'list', ...ids] = process.argv.slice(2);
try {
  if (command === 'list') {
    const letters = await pendingDeadLetters(sql);
    for (const l of letters) {
      console.log([l.id, l.createdAt.toISOString(), `${Buffer.byteLength(l.body)} bytes`, `${l.attempts} attempts`, l.reason].join('  '));
    }
    console.log(`${letters.length} dead letter(s) waiting for replay`);
  } else if (command === 'replay') {
    const report = await replayDeadLetters(sql, { ids: ids.length ? ids : undefined, mediaDownloadAttempts: mediaDownloadAttempts(process.env) });
    console.log(`replayed ${report.replayed.length}, unreadable ${report.unreadable.length}, failed ${report.failed.length}`);
    for (const id of report.unreadable) console.log(`unreadable (left in place): ${id}`);
    if (report.failed.length) process.exitCode = 1;
  } else {
    console.error('usage: dead-letters list | replay [id …]');
    process.exitCode = 2;
  }
} finally {
  await sql.end();
}
