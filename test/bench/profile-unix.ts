// Ad-hoc profiling of ingest batches, step by step (not part of pnpm bench).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '@switchboard/db/connect';
import { startEmbeddedPostgres } from '@switchboard/db/embedded';
import { appRoleUrl, migrate, setAppRolePassword } from '@switchboard/db/migrate';
import { seedTenant } from '@switchboard/db/seed';
import { ingestBatch } from '@switchboard/api/ingest/ingest-batch';
import { BENCH_TENANT, webhookBody } from './webhooks.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'prof-'));
const sock = await mkdtemp('/tmp/s-'); (await import('node:fs')).chmodSync(sock, 0o777);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: false });
const owner = connect(pg.ownerUrl);
await migrate(owner);
await setAppRolePassword(owner, 'x');
await seedTenant(owner, BENCH_TENANT);
const app = connect(process.env.UNIX ? appRoleUrl(pg.ownerUrl, 'x') + `?host=${encodeURIComponent(sock)}` : appRoleUrl(pg.ownerUrl, 'x'), { max: 4 });
let c = 0;
const batch = () => Array.from({ length: 100 }, (_, i) => ({ id: String(i), body: webhookBody({ customer: c++ % 2000 }).body }));
for (let round = 0; round < 30; round++) await ingestBatch(app, batch());
await owner`analyze`;

let t0 = performance.now();
for (let i = 0; i < 20; i++) await ingestBatch(app, batch());
console.log('sequential ms/batch', ((performance.now() - t0) / 20).toFixed(1));

t0 = performance.now();
await Promise.all(Array.from({ length: 4 }, async () => { for (let i = 0; i < 10; i++) await ingestBatch(app, batch()); }));
console.log('concurrency 4: msg/s', (4000 / ((performance.now() - t0) / 1000)).toFixed(0));
await app.end(); await owner.end(); await pg.stop();
