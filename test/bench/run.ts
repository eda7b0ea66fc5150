// `./switchboard bench`: the figures issue 2 asks for, measured on this machine and printed.
//   1. edge: signed webhook POSTs through the running Worker (wrangler dev, then workerd alone) — p50/p99 at
//      steady rates (the target), then requests/s and latency with senders posting as fast as answered
//   2. ingest: messages/s through /ingest into Postgres, against raw multi-row inserts of the message rows
//      alone measured under the same conditions (same processes alive, jobs settled, same table state)
//   3. end to end: webhook POST at the edge → graphql-ws event, p50/p99 at a steady 200 messages/s
//   4. outbound: messages/s one api process sends to the Meta sandbox (answering after a Meta-like
//      latency) across 50 numbers with status webhooks flowing back, as production runs (the headline),
//      then without them; and the highest rate any number reached in a sliding one-second window
//   5. analytics: a million conversations and ten million messages across 100 tenants written and folded
//      into the rollups (timed); every dashboard query on the largest tenant over 30 days and 12 months,
//      p50/p95, beside the same figures from raw rows; the live queue's latency from an ingest commit;
//      ingest's throughput with the rollups on and off (analytics.ts, analytics-data.ts)
//   6. dashboard: in headless Chromium, the inbox route's JavaScript gzipped, the first inbox render with
//      1,000 conversations, opening a 10,000-message conversation, and the DOM while scrolling back
//      through it (dashboard.ts)
// Load is generated up front so the generator's own CPU stays out of the measured phases as far as it
// can on a 2-core machine; the CPU each part used (its whole process tree) is printed beside each figure,
// with what the rest of the machine used. The whole output, headed by the machine's facts, is saved to
// bench/results/<date-time>.txt (results.ts).
// Options: BENCH_SECONDS (default 15) sets the length of every measured phase; BENCH_ONLY=edge|ingest|e2e|outbound
// runs one part (or several, comma-separated: edge, ingest, e2e, outbound, analytics, dashboard);
// BENCH_ANALYTICS_SCALE (default 1) shrinks the analytics data; BENCH_ANALYTICS_RUNS (40) requests per
// query; BENCH_ANALYTICS_RAW=off skips the raw-rows comparison; BENCH_DASHBOARD_RUNS (10) page loads and openings measured; BENCH_OUTBOUND_STATUSES=off skips the outbound run with status webhooks; BENCH_PG_WAITS=1
// prints what Postgres waited on during ingest and outbound; SANDBOX_SEND_LATENCY_MS (default 150-300)
// how long the sandbox takes to answer a send; BENCH_RESULTS_DIR where the output is saved (bench/results).
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';
import { loadConfig } from '@switchboard/api/config';
import { signIngest } from '@switchboard/api/ingest/ingest-signature';
import { connect } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { signMetaBody } from '../meta-sandbox/sign.ts';
import { coresUsed, cpuSnapshot, type CoresUsed } from './cpu.ts';
import { closedLoop, openLoop, summarise } from './load.ts';
import type { RunningEdge } from '../support/edge.ts';
import { closingFacts, machineBusyCores, machineFacts, recordOutput, saveResults } from './results.ts';
import { BENCH_APP_SECRET, BENCH_INGEST_SECRET, BENCH_PG_SHARED_BUFFERS, BENCH_SEND_LATENCY_MS, startBenchStack, type BenchStack } from './stack.ts';
import { BENCH_TENANT, webhookBody } from './webhooks.ts';
import { benchOutbound, prepareOutbound } from './outbound.ts';
import { analyticsShape, generateAnalyticsData } from './analytics-data.ts';
import { benchAnalyticsQueries, benchLiveQueue } from './analytics.ts';
import { foldAll } from '@switchboard/api/analytics/folder';
import { benchDashboard, type DashboardFigures } from './dashboard.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CUSTOMERS = 2_000;
/** Steady webhook rates the edge's latency is measured at: a busy tenant, and the end-to-end phase's load. */
const EDGE_STEADY_RATES = [100, 200];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Runs a measured phase and adds the cores each part of the stack (and the rest of the machine) used meanwhile. */
async function measured<T>(stack: BenchStack, run: () => Promise<T>): Promise<T & { cores: CoresUsed }> {
  const before = cpuSnapshot(stack.cpuParts());
  const result = await run();
  return { ...result, cores: coresUsed(before, cpuSnapshot(stack.cpuParts())) };
}

function signedBodies(count: number, shape: { messages?: number; customers?: number } = {}) {
  let customer = 0;
  return Array.from({ length: count }, () => {
    const { body, wamids } = webhookBody({ customer: customer % CUSTOMERS, ...shape });
    customer += shape.customers ?? 1;
    return { body, wamids, signature: signMetaBody(BENCH_APP_SECRET, body) };
  });
}

/** Messages the edge accepted (answered 200) and the api has not yet been seen to store: see waitStored. */
const acceptedByEdge = new Set<string>();

// Posts with undici's request API rather than fetch: the generator shares the two cores with the edge.
async function postToEdge(edge: RunningEdge, { body, signature, wamids }: { body: string; signature: string; wamids: string[] }) {
  const res = await request(`${edge.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
  });
  await res.body.dump();
  if (res.statusCode !== 200) throw new Error(`edge answered ${res.statusCode}`);
  for (const wamid of wamids) acceptedByEdge.add(wamid);
}

/**
 * Waits until every message the edge accepted is stored (the queue has drained into the api), so the
 * next phase does not measure this one's leftovers; prints how long that took.
 */
async function waitStored(stack: BenchStack, after: string): Promise<void> {
  const t0 = performance.now();
  const wamids = [...acceptedByEdge];
  acceptedByEdge.clear();
  const stored = async () => Number((await stack.owner`select count(*)::int as n from messages where wamid = any(${wamids})`)[0]!.n);
  let count = await stored();
  while (count < wamids.length && performance.now() - t0 < 180_000) {
    await new Promise((r) => setTimeout(r, 100));
    count = await stored();
  }
  const missing = wamids.length - count;
  console.log(`   (messages accepted by ${after}: ${fmt(wamids.length)} — ${missing ? `${fmt(missing)} still not stored after 180 s` : `all stored ${fmt((performance.now() - t0) / 1000, 1)} s after the phase ended`})`);
}

/** Capacity: `concurrency` senders each posting again as soon as the last answer came. */
async function benchEdge(stack: BenchStack, edge: RunningEdge, concurrency: number) {
  const bodies = signedBodies(3_000);
  await closedLoop(concurrency, 2_000, (i) => postToEdge(edge, bodies[i % bodies.length]!));
  return measured(stack, async () => {
    const run = await closedLoop(concurrency, SECONDS * 1000, (i) => postToEdge(edge, bodies[(i + 500) % bodies.length]!));
    return { concurrency, requestsPerSecond: run.latencies.length / run.seconds, ...summarise(run.latencies), failures: run.failures };
  });
}

/**
 * Latency as Meta sees it: webhooks posted at a steady rate whatever the answers are doing (Meta does not
 * wait for one delivery before the next), so a slow answer shows in the figures instead of slowing the load.
 */
async function benchEdgeSteady(stack: BenchStack, edge: RunningEdge, ratePerSecond: number) {
  const bodies = signedBodies(ratePerSecond * (SECONDS + 2));
  const latencies: number[] = [];
  let measuring = false;
  const send = async (i: number) => {
    const t0 = performance.now();
    await postToEdge(edge, bodies[i % bodies.length]!);
    if (measuring) latencies.push(performance.now() - t0);
  };
  await openLoop(ratePerSecond, 2_000, send);
  return measured(stack, async () => {
    measuring = true;
    const run = await openLoop(ratePerSecond, SECONDS * 1000, (i) => send(i + 2 * ratePerSecond));
    return { ratePerSecond, requestsPerSecond: latencies.length / run.seconds, ...summarise(latencies), failures: run.failures };
  });
}

const INGEST_BATCH = 100;

/** Queue batches as the edge forwards them: INGEST_BATCH webhook bodies each, one message per body. */
function ingestPayloads(count: number): string[] {
  let customer = 0;
  return Array.from({ length: count }, () =>
    JSON.stringify({
      events: Array.from({ length: INGEST_BATCH }, (_, i) => ({
        id: `q-${i}`,
        body: webhookBody({ customer: customer++ % CUSTOMERS }).body,
        receivedAt: new Date().toISOString(),
        attempts: 1,
      })),
    }),
  );
}

async function postIngest(apiUrl: string, payload: string): Promise<void> {
  const res = await request(`${apiUrl}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchboard-signature': signIngest(BENCH_INGEST_SECRET, payload) },
    body: payload,
  });
  const json = (await res.body.json()) as { results: { status: string }[] };
  if (json.results.some((r) => r.status !== 'committed')) throw new Error('batch not committed');
}

/** Every customer gets a contact and an open conversation before anything is measured, as on a live tenant. */
async function warmIngest(stack: BenchStack): Promise<void> {
  const warm = ingestPayloads(Math.ceil((CUSTOMERS * 2) / INGEST_BATCH));
  let next = 0;
  await closedLoop(4, 60_000, async () => {
    const payload = warm[next++];
    if (payload) await postIngest(stack.apiUrl, payload);
    else await new Promise((r) => setTimeout(r, 5));
  }).catch(() => {});
  await stack.owner`analyze`;
}

/** Messages per second through /ingest with `concurrency` batches in flight, spread over the running api processes. */
async function benchIngest(stack: BenchStack, concurrency: number, apiUrls = stack.apiUrls) {
  const load = ingestPayloads(Math.ceil((9_000 * SECONDS) / INGEST_BATCH));
  const count = async () => Number((await stack.owner`select count(*)::int as n from messages`)[0]!.n);
  const before = await count();
  const waits = process.env.BENCH_PG_WAITS === '1' ? sampleWaits(stack) : null;
  let next = 0;
  const ingest = await measured(stack, async () => {
    const run = await closedLoop(concurrency, SECONDS * 1000, async () => {
      const payload = load[next];
      if (!payload) throw new Error('ran out of pre-generated batches');
      await postIngest(apiUrls[next++ % apiUrls.length]!, payload);
    });
    return { seconds: run.seconds, batchLatencyMs: summarise(run.latencies), failures: run.failures };
  });
  if (waits) console.log(`   what busy Postgres backends were doing (share of samples):\n${await waits()}`);
  return {
    messagesPerSecond: ((await count()) - before) / ingest.seconds,
    processes: apiUrls.length,
    concurrency,
    batchSize: INGEST_BATCH,
    batchLatencyMs: ingest.batchLatencyMs,
    cores: ingest.cores,
  };
}

/**
 * The ceiling ingest is compared with: the message rows ingest writes, as plain multi-row inserts by the
 * same role, same batch size and concurrency, one transaction per batch (the headline ratio); then, for
 * reference, the message rows together with their raw webhook copies. Measured under ingest's
 * conditions: the caller runs it with the same api processes alive (idle, their job workers polling)
 * and the jobs settled, and its rows are deleted and vacuumed away afterwards, so ingest then meets the
 * table as the baseline did.
 */
async function benchRawInserts(stack: BenchStack, concurrency: number) {
  const targets = await stack.owner<{ conversationId: string }[]>`
    select id as conversation_id from conversations limit ${CUSTOMERS}`;
  const sample = await stack.owner<{ type: string; text: string | null; content: unknown; context: unknown; errors: unknown; extra: unknown }[]>`
    select type, text, content, context, errors, extra from messages order by created_at desc limit ${INGEST_BATCH}`;
  const rawEvents = await stack.owner<{ wabaId: string; field: string; payload: unknown }[]>`
    select waba_id, field, payload from webhook_events order by received_at desc limit ${INGEST_BATCH}`;
  // The conditions, as read when the baseline starts: what runs beside it, and what work is waiting.
  const apiProcesses = stack.apiPids.length;
  const openJobs = await countOpenJobs(stack);
  const app = connect(stack.appUrl, { max: concurrency });
  let n = 0;
  const messageRows = () => {
    const rows = sample.map((m, i) => {
      const t = targets[(n + i) % targets.length]!;
      return {
        tenant_id: stack.tenantId, conversation_id: t.conversationId, phone_number_id: BENCH_TENANT.phoneNumberId,
        wamid: `wamid.raw.${concurrency}.${n}.${i}`, direction: 'inbound', type: m.type, text: m.text, content: m.content, context: m.context,
        status: 'received', errors: m.errors, extra: m.extra, sent_at: new Date(),
      };
    });
    n += INGEST_BATCH;
    return rows;
  };
  const messagesOnly = await measured(stack, () =>
    closedLoop(concurrency, SECONDS * 1000, async () => {
      const rows = messageRows();
      await withTenant(app, stack.tenantId, (tx) => tx`insert into messages ${tx(rows as never)}`);
    }),
  );
  const withCopies = await measured(stack, () =>
    closedLoop(concurrency, SECONDS * 1000, async () => {
      const rows = messageRows();
      const events = rawEvents.map((e, i) => ({
        tenant_id: stack.tenantId, waba_id: e.wabaId, field: e.field, payload: e.payload, payload_sha256: `raw-${concurrency}-${n}-${i}`, received_at: new Date(),
      }));
      await withTenant(app, stack.tenantId, (tx) => Promise.all([tx`insert into webhook_events ${tx(events as never)}`, tx`insert into messages ${tx(rows as never)}`]));
    }),
  );
  await app.end();
  await stack.owner`delete from messages where wamid like 'wamid.raw.%'`;
  await stack.owner`delete from webhook_events where payload_sha256 like 'raw-%'`;
  await stack.owner`vacuum analyze messages, webhook_events`;
  return {
    messageRowsPerSecond: (messagesOnly.latencies.length * INGEST_BATCH) / messagesOnly.seconds,
    eventAndMessageRowsPerSecond: (withCopies.latencies.length * INGEST_BATCH) / withCopies.seconds,
    failures: messagesOnly.failures + withCopies.failures,
    cores: messagesOnly.cores,
    apiProcesses,
    openJobs,
  };
}

/**
 * BENCH_PG_WAITS=1: samples pg_stat_activity every 10 ms while a phase runs; the returned function stops
 * and prints what the busy backends were doing — on CPU, or waiting (on a lock, the WAL, the client).
 */
function sampleWaits(stack: BenchStack): () => Promise<string> {
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await stack.owner<{ w: string; q: string }[]>`
        select coalesce(wait_event_type || ':' || wait_event, 'CPU') as w, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) as q
          from pg_stat_activity
         where backend_type = 'client backend' and state = 'active' and pid <> pg_backend_pid()`;
      samples++;
      for (const r of rows) counts.set(`${r.w.padEnd(28)} ${r.q}`, (counts.get(`${r.w.padEnd(28)} ${r.q}`) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, n]) => `   ${fmt((n / samples) * 100, 1).padStart(6)}%  ${k}`).join('\n');
  };
}

async function benchEndToEnd(stack: BenchStack, edge: RunningEdge, { messagesPerWebhook }: { messagesPerWebhook: number }) {
  const RATE = 200;
  const webhooksPerSecond = RATE / messagesPerWebhook;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  const client = createClient({
    url: stack.apiUrl.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${stack.apiKey}` },
    lazy: false,
  });
  await new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const dispose = client.subscribe<{ messageChanged: { wamid: string } }>(
    { query: 'subscription { messageChanged { wamid } }' },
    {
      next: ({ data }) => {
        const wamid = data?.messageChanged.wamid;
        if (wamid && probes.has(wamid)) return probeSeen();
        const t0 = wamid ? sentAt.get(wamid) : undefined;
        if (t0 === undefined) return;
        if (measuring) latencies.push(performance.now() - t0);
        sentAt.delete(wamid!);
      },
      error: () => {},
      complete: () => {},
    },
  );
  // Listening is observable: probe webhooks go through the edge until the subscriber receives one
  // (an event committed before the server attached the subscription is not delivered, so it may take
  // more than one).
  const probes = new Set<string>();
  let probeSeen!: () => void;
  const listening = new Promise<void>((resolve) => (probeSeen = resolve));
  let heard = false;
  void listening.then(() => (heard = true));
  for (let i = 0; !heard; i++) {
    if (i === 30) throw new Error('the end-to-end subscriber heard none of 30 probe webhooks');
    const probe = signedBodies(1)[0]!;
    for (const w of probe.wamids) probes.add(w);
    await postToEdge(edge, probe);
    await Promise.race([listening, new Promise((r) => setTimeout(r, 1_000))]);
  }
  const total = Math.ceil(webhooksPerSecond * (SECONDS + 4));
  const bodies = signedBodies(total, { messages: messagesPerWebhook, customers: messagesPerWebhook });
  let next = 0;
  const send = async () => {
    const item = bodies[next++]!;
    const t0 = performance.now();
    for (const w of item.wamids) sentAt.set(w, t0);
    await postToEdge(edge, item);
  };
  await openLoop(webhooksPerSecond, 3_000, send); // warm-up
  // The warm-up's events arrive before anything is measured (or 15 s pass).
  const warmDeadline = Date.now() + 15_000;
  while (sentAt.size > 0 && Date.now() < warmDeadline) await new Promise((r) => setTimeout(r, 50));
  sentAt.clear();
  const result = await measured(stack, async () => {
    measuring = true;
    const run = await openLoop(webhooksPerSecond, SECONDS * 1000, send);
    const deadline = Date.now() + 15_000;
    while (sentAt.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return { sent: run.sent * messagesPerWebhook, failures: run.failures };
  });
  const missing = sentAt.size;
  acceptedByEdge.clear(); // the subscriber saw them stored
  dispose();
  await client.dispose();
  return { rate: RATE, messagesPerWebhook, webhooksPerSecond, received: latencies.length, missing, ...summarise(latencies), ...result };
}

/** Jobs still to run (or to retry). */
async function countOpenJobs(stack: BenchStack): Promise<number> {
  return Number((await stack.owner`select count(*)::int as n from graphile_worker._private_jobs where attempts < max_attempts`)[0]!.n);
}

/**
 * Work a phase leaves behind (photo downloads queued by ingest) is finished before the next phase is
 * measured, so each figure is of its own load; how long that took is printed too.
 */
async function settleJobs(stack: BenchStack, after: string): Promise<void> {
  const t0 = performance.now();
  const open = () => countOpenJobs(stack);
  const queued = await open();
  if (queued === 0) return;
  if (process.env.RUN_JOBS === 'false') {
    console.log(`   (jobs left by ${after}: ${fmt(queued)} — photo downloads — not run: RUN_JOBS=false)`);
    return;
  }
  while ((await open()) > 0 && performance.now() - t0 < 180_000) await new Promise((r) => setTimeout(r, 250));
  const left = await open();
  console.log(`   (jobs left by ${after}: ${fmt(queued)} — photo downloads — ${left ? `${fmt(left)} still open after 180 s` : `done in ${fmt((performance.now() - t0) / 1000, 1)} s`})`);
}

/** The api's own setting for sends in flight (JOB_CONCURRENCY or its default), read the way the api reads it. */
const sendsInFlight = loadConfig(process.env, { databaseUrl: 'unused', ingestSecret: 'unused', vaultKey: 'unused' }).jobConcurrency;
const [latencyMin, latencyMax] = BENCH_SEND_LATENCY_MS.split('-').map(Number) as [number, number?];
const meanSendLatencyMs = (latencyMin + (latencyMax ?? latencyMin)) / 2;

/**
 * What an outbound rate could be at most, and which of those limits the run came near: Meta's answer
 * time with the sends a process keeps in flight, the numbers' own limits, and the machine's cores.
 */
function outboundLimits(outbound: Awaited<ReturnType<typeof benchOutbound>>): string {
  const latencyCeiling = meanSendLatencyMs > 0 ? sendsInFlight / (meanSendLatencyMs / 1000) : Infinity;
  const numbersCeiling = outbound.numbers * outbound.throughputPerNumber;
  const coresBusy = Object.values(outbound.cores.parts).reduce((sum, n) => sum + n, 0) + outbound.cores.rest;
  const rate = Number.isFinite(outbound.steadyMessagesPerSecond) ? outbound.steadyMessagesPerSecond : outbound.messagesPerSecond;
  const held: string[] = [];
  if (coresBusy >= 0.9 * cpus().length) {
    const top = [...Object.entries(outbound.cores.parts), ['the rest of the machine', outbound.cores.rest] as const].sort((a, b) => b[1] - a[1]).slice(0, 2);
    held.push(`the cores (${fmt(coresBusy, 2)} of ${cpus().length} busy, most by ${top.map(([name, n]) => `${name} ${fmt(n, 2)}`).join(' and ')})`);
  }
  if (rate >= 0.8 * latencyCeiling) held.push(`Meta's answer time: ${sendsInFlight} sends in flight wait ${fmt(meanSendLatencyMs)} ms each on average`);
  if (rate >= 0.8 * numbersCeiling) held.push('the numbers’ own limits');
  // Little's law: sends waiting on Meta = rate × time each waits. Far below the limit, the sender was
  // not waiting on Meta but on its own reads and writes.
  const waitingOnMeta = (rate * meanSendLatencyMs) / 1000;
  if (held.length === 0) {
    held.push(
      `the sender's own work: on average only ${fmt(waitingOnMeta)} of ${sendsInFlight} sends were waiting on Meta, so the rest waited inside the api and Postgres (BENCH_PG_WAITS=1 shows on what)`,
    );
  }
  return (
    `              ceilings: ${sendsInFlight} sends in flight ÷ ${fmt(meanSendLatencyMs)} ms per answer = ${Number.isFinite(latencyCeiling) ? fmt(latencyCeiling) : 'none'} msg/s; ` +
    `${outbound.numbers} numbers × ${outbound.throughputPerNumber}/s = ${fmt(numbersCeiling)} msg/s; ${cpus().length} cores, ${fmt(coresBusy, 2)} busy; ` +
    `${fmt(waitingOnMeta)} sends waiting on Meta on average\n` +
    `              held back by: ${held.join('; ')}`
  );
}

/** Waits until the folder has folded every marked conversation; returns the seconds it took. */
/**
 * Folds what is left with the folder's own code at full speed (foldAll — the api's folder may be waiting
 * out its pause between passes), until nothing is marked; returns the seconds it took.
 */
async function waitFolded(stack: BenchStack): Promise<number> {
  const t0 = performance.now();
  const app = connect(stack.appUrl, { max: 1 });
  try {
    await foldAll(app);
  } finally {
    await app.end();
  }
  const marked = async () => Number((await stack.owner`select count(*)::int as n from analytics_dirty`)[0]!.n);
  while ((await marked()) > 0) {
    if (performance.now() - t0 > 600_000) throw new Error('the analytics folder did not catch up in 10 minutes');
    await new Promise((r) => setTimeout(r, 50));
  }
  return (performance.now() - t0) / 1000;
}

/**
 * 5. analytics: the data (printed with the time it took), the dashboard's queries against raw rows, the
 * live queue's latency, and what the rollups cost ingest.
 */
async function benchAnalytics(stack: BenchStack, { warmed }: { warmed: boolean }) {
  const scale = Number(process.env.BENCH_ANALYTICS_SCALE ?? 1);
  const shape = analyticsShape(scale);
  const now = new Date();
  console.log(
    `5. analytics data: ${fmt(shape.conversations)} conversations and ${fmt(shape.conversations * shape.messagesPerConversation)} messages across ${shape.tenants} tenants, ` +
      `the largest holding ${fmt(shape.largestShare * 100)}%, over ${shape.days} days (BENCH_ANALYTICS_SCALE=${scale})`,
  );
  const data = await generateAnalyticsData(stack.ownerUrl, shape, { now, progress: console.log });
  const [sizes] = await stack.owner<{ messages: string; rollups: string; rollupRows: number; metrics: string }[]>`
    select pg_size_pretty(pg_total_relation_size('messages')) as messages, pg_size_pretty(pg_total_relation_size('analytics_rollups')) as rollups,
           (select count(*)::int from analytics_rollups) as rollup_rows, pg_size_pretty(pg_total_relation_size('conversation_metrics')) as metrics`;
  console.log(
    `              written in ${fmt(data.seconds.write)} s (${fmt(shape.conversations / data.seconds.write)} conversations/s, ${fmt(data.messages / data.seconds.write)} messages/s), analysed in ${fmt(data.seconds.analyse)} s; ` +
      `rollups built by the folder in ${fmt(data.seconds.fold)} s (${fmt(shape.conversations / data.seconds.fold)} conversations/s)\n` +
      `              on disk: messages ${sizes!.messages}; rollups ${sizes!.rollups} (${fmt(sizes!.rollupRows)} rows); conversation metrics ${sizes!.metrics}`,
  );
  const largest = data.tenants[0]!;
  const requests = Number(process.env.BENCH_ANALYTICS_RUNS ?? 40);
  const raw = process.env.BENCH_ANALYTICS_RAW !== 'off';
  console.log(
    `5. analytics queries on the largest tenant (${fmt(largest.conversations)} conversations, ${largest.agents.length} agents, ${largest.departments.length} departments, ${largest.numbers.length} numbers, ${largest.timeZone}), ` +
      `GraphQL over HTTP with a READ key, ${requests} runs each after 3 to warm up (target p95 ≤ 50 ms)` +
      (raw
        ? `;\n              beside each, the same figures from the raw rows — the definitions over the range's conversations and messages once, then grouped for the query with exact percentiles —` +
          `\n              their time as a multiple of the rollups' p50 (once + grouping), and every figure compared`
        : ''),
  );
  const queries = await benchAnalyticsQueries({ apiUrl: stack.apiUrl, key: data.largestKey, owner: stack.owner, tenant: largest, now, runs: requests, raw }, (q) => {
    const rawText = q.raw
      ? `   raw rows ${fmt(q.raw.ms)} ms (×${fmt(q.raw.ms / q.p50)}: ${fmt(q.raw.scanMs)} + ${fmt(q.raw.groupMs)}); ${q.raw.differing.length === 0 ? `all ${fmt(q.raw.compared)} figures agree` : `${q.raw.differing.length} of ${fmt(q.raw.compared)} figures differ: ${q.raw.differing.slice(0, 5).join('; ')}${q.raw.differing.length > 5 ? '; …' : ''}`}`
      : '';
    console.log(`   ${q.range.padEnd(9)} ${q.query.padEnd(38)} p50 ${fmt(q.p50, 1).padStart(6)} ms   p95 ${fmt(q.p95, 1).padStart(6)} ms${q.p95 > 50 ? ' (over target)' : ''}${rawText}`);
  });

  // Live latency on the bench tenant: each webhook from a new customer opens a conversation that joins
  // the queue.
  const live = await benchLiveQueue({
    apiUrl: stack.apiUrl,
    key: stack.apiKey,
    count: Math.max(20, SECONDS * 5),
    everyMs: 200,
    postNewCustomer: (i) =>
      postIngest(stack.apiUrl, JSON.stringify({ events: [{ id: `live-${i}`, body: webhookBody({ customer: 1_000_000 + i }).body, receivedAt: new Date().toISOString(), attempts: 1 }] })),
  });
  const liveSummary = summarise(live.latencies);
  console.log(
    `5. live queue: webhook posted to /ingest → liveQueueChanged counting it, ${liveSummary.count} webhooks 200 ms apart: p50 ${fmt(liveSummary.p50)} ms   p99 ${fmt(liveSummary.p99)} ms   max ${fmt(liveSummary.max)} ms` +
      `   (pushed within a second; ${live.missed} not heard within 5 s)`,
  );

  // What the rollups cost ingest: the same load through one api process folding (the default) and one
  // with ANALYTICS_ROLLUPS=off, taking turns so that neither meets a different database; each run starts
  // with nothing left to fold, and the folding a run leaves behind is done at once by the folder's code
  // (foldAll: the api's folder may be pausing between passes), timed and counted against it.
  if (!warmed) await warmIngest(stack);
  // BENCH_PG_STATEMENTS=1: the statements printed at the end are those of these runs alone, not of
  // building the data's rollups above.
  if (process.env.BENCH_PG_STATEMENTS === '1') await stack.owner`select pg_stat_statements_reset()`;
  const off = await stack.addApiInstance({ ANALYTICS_ROLLUPS: 'off' });
  const turns: { mode: 'on' | 'off'; messagesPerSecond: number; drain: number; effective: number; messages: number; cores: string }[] = [];
  try {
    // On, off, then off, on: a drift over the four runs (caches warming, autovacuum after the data was
    // written) weighs on both modes alike instead of on whichever goes first.
    for (const round of [1, 2]) {
      for (const mode of round === 1 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        await settleJobs(stack, 'the previous run');
        await waitFolded(stack);
        const run = await benchIngest(stack, 4, [mode === 'on' ? stack.apiUrl : off.url]);
        const drain = await waitFolded(stack);
        const messages = run.messagesPerSecond * SECONDS;
        turns.push({ mode, messagesPerSecond: run.messagesPerSecond, drain, effective: messages / (SECONDS + drain), messages, cores: run.cores.text });
        console.log(
          `   round ${round}, rollups ${mode.padEnd(3)}: ${fmt(run.messagesPerSecond)} msg/s through /ingest` +
            (mode === 'on' ? `; what was left folded in ${fmt(drain, 1)} s after it (foldAll, at once) → ${fmt(messages / (SECONDS + drain))} msg/s with every message folded` : '') +
            `\n              cores: ${run.cores.text}`,
        );
      }
    }
  } finally {
    await off.stop();
  }
  const mean = (mode: 'on' | 'off', pick: (t: (typeof turns)[number]) => number) => turns.filter((t) => t.mode === mode).reduce((sum, t) => sum + pick(t), 0) / 2;
  const on = mean('on', (t) => t.effective);
  const base = mean('off', (t) => t.messagesPerSecond);
  console.log(
    `5. ingest cost of the rollups: ${fmt(on)} msg/s with them (folded, mean of two runs) against ${fmt(base)} msg/s without = ${fmt((1 - on / base) * 100, 1)}% less   (target ≤ 10%)`,
  );
  return { shape, seconds: data.seconds, queries, live: { ...liveSummary, missed: live.missed }, ingest: { turns, on, off: base, cost: 1 - on / base } };
}

function dashboardLines({ js, firstInboxRenderMs: first, openLongConversationMs: open, scrollBack }: DashboardFigures): string {
  const range = (values: number[], digits = 0) => `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
  const ms = (s: { p50: number; max: number; count: number }) => `p50 ${fmt(s.p50)} ms, max ${fmt(s.max)} ms of ${s.count}`;
  return (
    `6. dashboard inbox route's JavaScript: ${fmt(js.gzipKB, 1)} KB gzipped (level 9; ${fmt(js.gzip6KB, 1)} KB at level 6), ${fmt(js.rawKB, 1)} KB raw in ${js.files} files   (target ≤ 150 KB gzipped)\n` +
    `              largest: ${js.largest.map((f) => `${f.file} ${fmt(f.gzipKB, 1)} KB`).join(', ')}\n` +
    `              first inbox render, 1,000 conversations, navigation start → first frame with rows: cold ${ms(first.cold)}; warm ${ms(first.warm)}   (target ≤ 1,000 ms)\n` +
    `              opening the 10,000-message conversation from the inbox, click → first frame with its newest message: ${ms(open)}   (target ≤ 300 ms)\n` +
    `              scrolling back ${scrollBack.pages} pages (${fmt(scrollBack.loaded)} messages loaded): message bubbles in the DOM ${range(scrollBack.bubbles)}, ` +
    `DOM elements ${range(scrollBack.nodes)}, JS heap after a collection ${range(scrollBack.heapMB, 1)} MB   (target: bounded while loaded messages grow)`
  );
}

const startedAt = new Date();
const output = recordOutput();
// BENCH_ONLY=ingest, or several parts: BENCH_ONLY=ingest,outbound.
const only = process.env.BENCH_ONLY?.trim() ? new Set(process.env.BENCH_ONLY.split(',').map((part) => part.trim())) : undefined;
const runs = (part: 'edge' | 'ingest' | 'e2e' | 'outbound' | 'analytics' | 'dashboard') => !only || only.has(part);
let failed: unknown;
const busyBefore = await machineBusyCores();
console.log(`switchboard bench — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.versions.node}, ${SECONDS} s per phase`);
const stack = await startBenchStack();
try {
  console.log(
    (await machineFacts({
      root,
      startedAt,
      postgresVersion: String((await stack.owner`show server_version`)[0]!.serverVersion),
      busyBefore,
      settings: {
        BENCH_SECONDS: String(SECONDS),
        BENCH_ONLY: process.env.BENCH_ONLY,
        RUN_JOBS: process.env.RUN_JOBS,
        JOB_CONCURRENCY: String(sendsInFlight),
        SANDBOX_SEND_LATENCY_MS: BENCH_SEND_LATENCY_MS,
        BENCH_OUTBOUND_STATUSES: process.env.BENCH_OUTBOUND_STATUSES,
        BENCH_PG_SHARED_BUFFERS,
        ...(runs('analytics')
          ? { BENCH_ANALYTICS_SCALE: process.env.BENCH_ANALYTICS_SCALE, BENCH_ANALYTICS_RUNS: process.env.BENCH_ANALYTICS_RUNS, BENCH_ANALYTICS_RAW: process.env.BENCH_ANALYTICS_RAW }
          : {}),
      },
    })) + '\ncores: CPU each part used, its whole process tree, in cores; "rest of machine" is anything else running\n',
  );
  const results: Record<string, unknown> = {};
  const edges = [
    { name: 'wrangler dev', key: 'wrangler', edge: stack.edge },
    { name: 'workerd', key: 'workerd', edge: stack.workerdEdge },
  ];
  for (const { name, key, edge: target } of runs('edge') ? edges : []) {
    for (const rate of EDGE_STEADY_RATES) {
      const edge = await benchEdgeSteady(stack, target, rate);
      results[`edge_${key}_steady_${rate}`] = edge;
      console.log(
        `1. edge      ${name.padEnd(12)} steady ${rate} req/s: p50 ${fmt(edge.p50, 1)} ms   p99 ${fmt(edge.p99, 1)} ms   max ${fmt(edge.max, 1)} ms   (target p99 ≤ 50 ms; ${edge.failures} failed)\n              cores: ${edge.cores.text}`,
      );
      await waitStored(stack, `${name} at ${rate} req/s`);
    }
    for (const concurrency of [4, 16]) {
      const edge = await benchEdge(stack, target, concurrency);
      results[`edge_${key}_c${concurrency}`] = edge;
      console.log(
        `1. edge      ${name.padEnd(12)} ${String(concurrency).padStart(2)} in flight: ${fmt(edge.requestsPerSecond)} req/s   p50 ${fmt(edge.p50, 1)} ms   p99 ${fmt(edge.p99, 1)} ms   (capacity: each sender posts again at once)\n              cores: ${edge.cores.text}`,
      );
      await waitStored(stack, `${name} with ${concurrency} in flight`);
    }
  }
  await settleJobs(stack, 'the edge phase');
  if (runs('ingest')) {
    // One api process with four batches in flight, then two processes (as behind a load balancer) with
    // eight: Queues scales its consumer invocations out with the backlog, so under this load several
    // batches arrive at once. Each is compared with raw inserts at its own concurrency, measured just
    // before it with the same processes running and the jobs settled.
    await warmIngest(stack);
    for (const processes of [1, 2]) {
      const concurrency = 4 * processes;
      const extra = processes > 1 ? await stack.addApiInstance() : undefined;
      await settleJobs(stack, 'the previous run');
      const raw = await benchRawInserts(stack, concurrency);
      const run = await benchIngest(stack, concurrency);
      await settleJobs(stack, `the ${processes}-process ingest run`);
      await extra?.stop();
      const ratio = run.messagesPerSecond / raw.messageRowsPerSecond;
      results[`ingest_${run.processes}_processes`] = { ...run, raw, ratio, ratioWithRawCopies: run.messagesPerSecond / raw.eventAndMessageRowsPerSecond };
      console.log(
        `2. ingest    ${fmt(run.messagesPerSecond)} msg/s through /ingest = ${fmt(ratio * 100, 1)}% of raw inserts of the message rows alone (${fmt(raw.messageRowsPerSecond)}/s)   (targets ≥ 5,000 msg/s and ≥ 40%)\n` +
          `              ${run.processes} api process${run.processes > 1 ? 'es' : ''}, batches of ${run.batchSize}, ${run.concurrency} in flight, batch p50 ${fmt(run.batchLatencyMs.p50)} ms / p99 ${fmt(run.batchLatencyMs.p99)} ms\n` +
          `              cores while ingesting: ${run.cores.text}\n` +
          `              raw inserts: same role, batch size and concurrency, one transaction per batch, while ${raw.apiProcesses} api process${raw.apiProcesses > 1 ? 'es' : ''} ran idle with ${raw.openJobs} jobs open\n` +
          `              cores while inserting raw: ${raw.cores.text}\n` +
          `              for reference, raw inserts of the message rows with their raw webhook copies: ${fmt(raw.eventAndMessageRowsPerSecond)}/s (ingest ${fmt((run.messagesPerSecond / raw.eventAndMessageRowsPerSecond) * 100, 1)}% of that)` +
          (raw.failures ? `; ${raw.failures} raw batches failed` : ''),
      );
    }
  }
  await settleJobs(stack, 'the ingest phase');
  for (const [name, key, target, messagesPerWebhook] of [
    ['wrangler dev', 'wrangler', stack.edge, 1],
    ['wrangler dev', 'wrangler', stack.edge, 4],
    ['workerd', 'workerd', stack.workerdEdge, 1],
  ] as const) {
    if (!runs('e2e')) break;
    await settleJobs(stack, 'the previous phase');
    const e2e = await benchEndToEnd(stack, target, { messagesPerWebhook });
    results[`e2e_${key}_${messagesPerWebhook}_per_webhook`] = e2e;
    console.log(
      `3. e2e       ${name.padEnd(12)} ${e2e.rate} msg/s as ${fmt(e2e.webhooksPerSecond)} webhooks/s × ${messagesPerWebhook}: p50 ${fmt(e2e.p50)} ms   p99 ${fmt(e2e.p99)} ms   max ${fmt(e2e.max)} ms   (target p99 ≤ 1,000 ms; ${e2e.received}/${e2e.sent} events, ${e2e.missing} missing)\n              cores: ${e2e.cores.text}`,
    );
  }
  if (runs('outbound')) {
    await settleJobs(stack, 'the end-to-end phase');
    await prepareOutbound(stack);
    // The headline first: the sender with Meta's status webhooks (sent, delivered, read for every
    // message) flowing back through the edge into the same api process while it sends, as in
    // production. Then the sender alone, for comparison.
    for (const statuses of (process.env.BENCH_OUTBOUND_STATUSES === 'off' ? ['off'] : ['realistic', 'off']) as ('off' | 'realistic')[]) {
      const waits = process.env.BENCH_PG_WAITS === '1' ? sampleWaits(stack) : null;
      const outbound = await benchOutbound(stack, { seconds: SECONDS, statuses });
      if (waits) console.log(`   what busy Postgres backends were doing (share of samples):\n${await waits()}`);
      results[`outbound_statuses_${statuses}`] = outbound;
      const what = statuses === 'realistic' ? 'with status webhooks flowing back (the headline: as production runs)' : 'without status webhooks (the sender alone, for comparison)';
      console.log(
        `4. outbound  ${fmt(outbound.messagesPerSecond)} msg/s ${what}   (target ≥ 1,000 msg/s, never above a number's limit)\n` +
          `              one api process to the sandbox across ${outbound.numbers} numbers, each send answered in ${BENCH_SEND_LATENCY_MS} ms; ${fmt(outbound.accepted)}/${fmt(outbound.queued)} accepted in ${fmt(outbound.seconds, 1)} s; steady ${fmt(outbound.steadyMessagesPerSecond)} msg/s\n` +
          `              peak per number in any 1-s window: ${outbound.peakPerNumberPerSecond} (limit ${outbound.throughputPerNumber}); rejected for throughput: ${outbound.rejectedByThroughput}; our rows: ${JSON.stringify(outbound.outcome)}` +
          (statuses === 'realistic'
            ? outbound.statusesLandedAfter === undefined
              ? ' — not all read 180 s after the last send\n'
              : ` — all read ${fmt(outbound.statusesLandedAfter, 1)} s after the last send\n`
            : '\n') +
          `              cores: ${outbound.cores.text}\n` +
          outboundLimits(outbound),
      );
    }
  }
  if (runs('analytics')) {
    await settleJobs(stack, 'the previous phase');
    results.analytics = await benchAnalytics(stack, { warmed: runs('ingest') });
  }
  if (runs('dashboard')) {
    await settleJobs(stack, 'the previous phase');
    const dashboard = await benchDashboard(stack);
    results.dashboard = dashboard;
    console.log(dashboardLines(dashboard));
  }
  await mkdir(path.join(root, '.bench'), { recursive: true });
  await writeFile(path.join(root, '.bench', 'results.json'), JSON.stringify({ at: startedAt.toISOString(), seconds: SECONDS, ...results }, null, 2));
} catch (error) {
  failed = error;
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const pgError = error as { hint?: string; detail?: string; where?: string };
  if (pgError.hint || pgError.detail || pgError.where) console.error(`   ${[pgError.detail, pgError.hint, pgError.where].filter(Boolean).join(' — ')}`);
} finally {
  await stack.stop();
  console.log(`\n${closingFacts(startedAt)}`);
  output.stop();
  const saved = await saveResults(process.env.BENCH_RESULTS_DIR ?? path.join(root, 'bench', 'results'), startedAt, output.text());
  console.log(`saved to ${path.relative(root, saved)}`);
}
if (failed) process.exitCode = 1;
