// `node bench/profile-ingest.ts` (from test/): where ingest spends its time — batch latency, throughput at
// concurrency 4, and the top statements by total time from pg_stat_statements. A tool, not part of pnpm bench.
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
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: false, settings: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'] });
const owner = connect(pg.ownerUrl);
await migrate(owner);
await setAppRolePassword(owner, 'x');
await seedTenant(owner, BENCH_TENANT);
const app = connect(appRoleUrl(pg.ownerUrl, 'x'), { max: 4 });
let c = 0;
const batch = () => Array.from({ length: 100 }, (_, i) => ({ id: String(i), body: webhookBody({ customer: c++ % 2000 }).body }));
for (let round = 0; round < 30; round++) await ingestBatch(app, batch());
await owner`analyze`;
await owner`create extension if not exists pg_stat_statements`;
await owner`select pg_stat_statements_reset()`;

let t0 = performance.now();
for (let i = 0; i < 20; i++) await ingestBatch(app, batch());
console.log('sequential ms/batch', ((performance.now() - t0) / 20).toFixed(1));

t0 = performance.now();
await Promise.all(Array.from({ length: 4 }, async () => { for (let i = 0; i < 10; i++) await ingestBatch(app, batch()); }));
console.log('concurrency 4: msg/s', (4000 / ((performance.now() - t0) / 1000)).toFixed(0));
const top = await owner`select calls, round(total_exec_time::numeric, 1) as ms, round((total_exec_time / calls)::numeric, 3) as per_call, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) as q from pg_stat_statements order by total_exec_time desc limit 14`;
for (const r of top) console.log(String(r.ms).padStart(8), String(r.calls).padStart(6), String(r.perCall).padStart(8), r.q);
await app.end(); await owner.end(); await pg.stop();
