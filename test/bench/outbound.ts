// Outbound: how many messages one api process pushes through its sender to Meta (the sandbox, as its
// own process) across 50 business numbers, and the most any one number reached in a sliding one-second
// window (Meta's limit, 80/s by default, must never be exceeded). A backlog of text replies to customers
// with open windows is queued exactly as the reply mutations queue them — message row and send job in
// one transaction — and the sender drains it while the sandbox posts realistic status webhooks back
// through the edge into the same api. The sandbox answers each send after a Meta-like latency
// (SANDBOX_SEND_LATENCY_MS), so the sender needs as many sends in flight as Meta's answers take.
import { randomUUID } from 'node:crypto';
import { connect } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { sealAccountToken } from '../support/vault.ts';
import { coresUsed, cpuSnapshot } from './cpu.ts';
import { BENCH_META_TOKEN, type BenchStack } from './stack.ts';

const NUMBERS = 50;
const CUSTOMERS_PER_NUMBER = 20;
const THROUGHPUT = 80;
const WABA = '209000000000001';

interface Sample {
  at: number;
  accepted: number;
}

async function sandbox<T>(stack: BenchStack, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.sandboxUrl}/_sandbox/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface NumberStats {
  phoneNumberId: string;
  accepted: number;
  rejectedByThroughput: number;
  peakPerSecond: number;
}

const numbers = Array.from({ length: NUMBERS }, (_, i) => ({ id: String(309000000000100 + i), display: `1555090${String(i).padStart(4, '0')}` }));

/** Our side, once: the account with its sealed token, 50 connected numbers, and customers who wrote in. */
export async function prepareOutbound(stack: BenchStack): Promise<void> {
  const at = new Date();
  await stack.owner.begin(async (tx) => {
    await tx`insert into whatsapp_accounts (tenant_id, waba_id, name) values (${stack.tenantId}, ${WABA}, 'Bench Coffee Outbound')`;
    await sealAccountToken(tx, { tenantId: stack.tenantId, wabaId: WABA, token: BENCH_META_TOKEN });
    await tx`
      insert into phone_numbers (tenant_id, waba_id, phone_number_id, display_phone_number, throughput_per_second)
      select ${stack.tenantId}, ${WABA}, n.id, n.display, ${THROUGHPUT}
        from unnest(${numbers.map((n) => n.id)}::text[], ${numbers.map((n) => n.display)}::text[]) as n(id, display)`;
    await tx`
      insert into contacts (tenant_id, wa_id, display_name)
      select ${stack.tenantId}, '97150' || lpad(g::text, 7, '0'), 'Bench customer ' || g from generate_series(1, ${CUSTOMERS_PER_NUMBER}) g`;
    await tx`
      insert into conversations (tenant_id, contact_id, phone_number_id, status, last_inbound_at, window_expires_at, last_message_at)
      select ${stack.tenantId}, c.id, p.phone_number_id, 'open', ${at}, ${at}::timestamptz + interval '24 hours', ${at}
        from contacts c cross join phone_numbers p
       where c.tenant_id = ${stack.tenantId} and c.display_name like 'Bench customer %' and p.waba_id = ${WABA}`;
  });
}

/**
 * One run: the sandbox (restarted, with status webhooks `statuses`) gets the 50 numbers and the open
 * windows, a backlog of `1,500 × seconds` replies is queued, and the sender drains it.
 */
export async function benchOutbound(stack: BenchStack, { seconds, statuses }: { seconds: number; statuses: 'realistic' | 'off' }) {
  await stack.restartSandbox(statuses);
  const at = new Date();
  await sandbox(stack, 'businesses', {
    wabaId: WABA,
    accessToken: BENCH_META_TOKEN,
    name: 'Bench Coffee Outbound',
    phoneNumbers: numbers.map((n) => ({ id: n.id, displayPhoneNumber: n.display, throughputPerSecond: THROUGHPUT })),
  });

  // Meta's side of the same windows.
  const pairs = numbers.flatMap((n) => Array.from({ length: CUSTOMERS_PER_NUMBER }, (_, i) => ({ phoneNumberId: n.id, waId: `97150${String(i + 1).padStart(7, '0')}`, at: at.getTime() })));
  for (let i = 0; i < pairs.length; i += 50) await Promise.all(pairs.slice(i, i + 50).map((p) => sandbox(stack, 'windows', p)));

  // Interleaved so that consecutive jobs go to different numbers, as replies from many agents would.
  const conversations = await stack.owner<{ id: string; phoneNumberId: string }[]>`
    select c.id, c.phone_number_id from conversations c join contacts ct on ct.tenant_id = c.tenant_id and ct.id = c.contact_id
     where c.tenant_id = ${stack.tenantId} and c.phone_number_id = any(${numbers.map((n) => n.id)})
     order by ct.wa_id, c.phone_number_id`;
  const total = Math.round(1_500 * seconds);
  const rows = Array.from({ length: total }, (_, i) => {
    const c = conversations[i % conversations.length]!;
    const body = `Your order #${40_000 + i} is on its way 🚚`;
    return {
      tenant_id: stack.tenantId, id: randomUUID(), conversation_id: c.id, phone_number_id: c.phoneNumberId,
      direction: 'outbound', type: 'text', text: body, content: { body, preview_url: false }, status: 'pending', sent_at: at,
    };
  });

  // Queue everything in one transaction as the app role (RLS on), so the sender starts on a full backlog.
  const app = connect(stack.appUrl, { max: 1 });
  await withTenant(app, stack.tenantId, async (tx) => {
    for (let i = 0; i < rows.length; i += 4_000) await tx`insert into messages ${tx(rows.slice(i, i + 4_000) as never)}`;
    await tx`
      select graphile_worker.add_jobs(array(
        select row('send_message', json_build_object('tenantId', ${stack.tenantId}::text, 'messageId', u.id::text), null, null, 12, 'send:' || u.id, null, null)::graphile_worker.job_spec
          from unnest(${rows.map((r) => r.id)}::uuid[]) with ordinality as u(id, n) order by u.n))`;
  });
  await app.end();
  const t0 = performance.now();
  const cpuBefore = cpuSnapshot(stack.cpuParts());

  const samples: Sample[] = [];
  const deadline = t0 + Math.max(120_000, seconds * 10_000);
  for (;;) {
    const { numbers: stats } = await sandbox<{ numbers: NumberStats[] }>(stack, 'stats');
    const accepted = stats.filter((s) => s.phoneNumberId.startsWith('3090')).reduce((sum, s) => sum + s.accepted, 0);
    samples.push({ at: performance.now(), accepted });
    if (accepted >= total || performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const elapsed = (samples.at(-1)!.at - t0) / 1000;
  const cores = coresUsed(cpuBefore, cpuSnapshot(stack.cpuParts()));
  const { numbers: stats } = await sandbox<{ numbers: NumberStats[] }>(stack, 'stats');
  const ours = stats.filter((s) => s.phoneNumberId.startsWith('3090'));
  const accepted = ours.reduce((sum, s) => sum + s.accepted, 0);

  // The steady rate, between 10% and 90% of the backlog, leaves out the start and the last stragglers.
  const when = (share: number) => samples.find((s) => s.accepted >= total * share)?.at;
  const [from, to] = [when(0.1), when(0.9)];
  const steady = from !== undefined && to !== undefined && to > from ? (total * 0.8) / ((to - from) / 1000) : NaN;

  // The outcome, from our own rows. With status webhooks, every message ends read; until they all are,
  // statuses are still coming through the edge's queue, and a run started now would measure them too.
  const ids = rows.map((r) => r.id);
  const readOutcome = async () =>
    Object.fromEntries(
      (
        await stack.owner<{ status: string; n: number }[]>`
          select status, count(*)::int as n from messages
           where tenant_id = ${stack.tenantId} and id = any(${ids}::uuid[]) group by status order by status`
      ).map((o) => [o.status, o.n]),
    ) as Record<string, number>;
  const settleFrom = performance.now();
  // The sandbox counts a send when it arrives and answers up to SANDBOX_SEND_LATENCY_MS later: wait for
  // the sender to record every answer, so no send is in flight when the sandbox restarts or stops.
  const recorded = async () =>
    Number((await stack.owner`select count(*)::int as n from messages where tenant_id = ${stack.tenantId} and id = any(${ids}::uuid[]) and wamid is not null`)[0]!.n);
  while ((await recorded()) < accepted && performance.now() - settleFrom < 60_000) await new Promise((r) => setTimeout(r, 100));
  let outcome = await readOutcome();
  if (statuses === 'realistic') {
    while (outcome.read !== total && performance.now() - settleFrom < 180_000) {
      await new Promise((r) => setTimeout(r, 250));
      outcome = await readOutcome();
    }
  }
  const statusesLandedAfter = outcome.read === total ? (performance.now() - samples.at(-1)!.at) / 1000 : undefined;
  return {
    statuses,
    numbers: NUMBERS,
    throughputPerNumber: THROUGHPUT,
    queued: total,
    accepted,
    seconds: elapsed,
    messagesPerSecond: accepted / elapsed,
    steadyMessagesPerSecond: steady,
    peakPerNumberPerSecond: Math.max(...ours.map((s) => s.peakPerSecond)),
    rejectedByThroughput: ours.reduce((sum, s) => sum + s.rejectedByThroughput, 0),
    outcome,
    /** Seconds from the last send accepted until every message was read (with status webhooks). */
    statusesLandedAfter,
    cores,
  };
}
