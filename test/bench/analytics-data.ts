// The analytics benchmark's data (issue 13): conversations and messages across many tenants, one of them
// holding a large share, written set-based by Postgres itself (generate_series) so that ten million
// messages take minutes, not hours. The rows are the ones ingest and the desk write — contacts,
// conversations with their department, assignee and number, inbound and outbound messages of every
// kind — at times spread over thirteen months with a working-day rhythm. They are written as a bulk
// load, then every conversation is marked and the rollups are built by the folder's own code
// (foldTenant), as they would be had the rows arrived live.
import { connect, type Sql } from '@switchboard/db/connect';
import { generateApiKey, hashToken } from '@switchboard/db/tokens';
import { foldTenant } from '@switchboard/api/analytics/folder';

export interface AnalyticsShape {
  tenants: number;
  conversations: number;
  messagesPerConversation: number;
  /** The largest tenant's share of the conversations. */
  largestShare: number;
  /** How far back the data goes. */
  days: number;
}

/** The issue's shape at `scale` 1: a million conversations and ten million messages across 100 tenants. */
export function analyticsShape(scale: number): AnalyticsShape {
  if (!(scale > 0 && scale <= 1)) throw new Error(`BENCH_ANALYTICS_SCALE must be in (0, 1], not ${scale}`);
  return { tenants: 100, conversations: Math.round(1_000_000 * scale), messagesPerConversation: 10, largestShare: 0.3, days: 396 };
}

/** Conversations per tenant: the first holds `largestShare`, the rest share what is left evenly. */
export function tenantSizes(shape: AnalyticsShape): number[] {
  const largest = Math.round(shape.conversations * shape.largestShare);
  const rest = shape.conversations - largest;
  const others = shape.tenants - 1;
  return [largest, ...Array.from({ length: others }, (_, i) => Math.floor(rest / others) + (i < rest % others ? 1 : 0))];
}

export interface BenchTenant {
  id: string;
  name: string;
  conversations: number;
  timeZone: string;
  agents: string[];
  departments: string[];
  numbers: string[];
}

export interface GeneratedData {
  tenants: BenchTenant[];
  /** A READ key of the largest tenant. */
  largestKey: string;
  messages: number;
  seconds: { write: number; analyse: number; fold: number };
}

/** Conversations written per statement (with their contacts and messages). */
const CHUNK = 10_000;
const ZONES = ['Europe/Madrid', 'America/Mexico_City', 'Asia/Jerusalem', 'Asia/Riyadh', 'UTC'];

/**
 * Writes the tenants and their rows (two connections at a time, one per core), then builds the rollups.
 * `progress` is told what is happening, with figures, as it goes.
 */
export async function generateAnalyticsData(
  ownerUrl: string,
  shape: AnalyticsShape,
  { now, progress }: { now: Date; progress: (line: string) => void },
): Promise<GeneratedData> {
  const sizes = tenantSizes(shape);
  // Written as a bulk load: the owner's connections skip triggers and foreign-key checks
  // (session_replication_role = replica) — the rows are generated consistent, and nothing is marked
  // for the folder until they are all there.
  const owner = connect(ownerUrl, { max: 2, settings: { session_replication_role: 'replica' } });
  try {
    const tenants: BenchTenant[] = [];
    for (const [i, conversations] of sizes.entries()) {
      const big = i === 0;
      tenants.push(await createTenant(owner, i, conversations, { agents: big ? 50 : 4, departments: big ? 5 : 2, numbers: big ? 3 : 1, timeZone: ZONES[i % ZONES.length]! }));
    }
    const largestKey = generateApiKey();
    await owner`insert into api_keys (tenant_id, name, prefix, key_hash, scopes)
                values (${tenants[0]!.id}, 'Analytics bench', ${largestKey.slice(0, 12)}, ${hashToken(largestKey)}, ${['read']})`;

    const t0 = performance.now();
    const chunks = tenants.flatMap((tenant, index) =>
      Array.from({ length: Math.ceil(tenant.conversations / CHUNK) }, (_, c) => ({ tenant, index, from: c * CHUNK, to: Math.min(tenant.conversations, (c + 1) * CHUNK) })),
    );
    let next = 0;
    let written = 0;
    let lastReport = t0;
    const worker = async () => {
      for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
        await writeChunk(owner, chunk.tenant, chunk.index, chunk.from, chunk.to, shape, now);
        written += chunk.to - chunk.from;
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          progress(`   … ${written.toLocaleString('en-US')} of ${shape.conversations.toLocaleString('en-US')} conversations written (${Math.round((performance.now() - t0) / 1000)} s)`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
    const write = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await owner`vacuum analyze contacts, conversations, messages`;
    const analyse = (performance.now() - t1) / 1000;
    const messages = Number((await owner<{ n: number }[]>`select count(*)::int as n from messages where wamid like 'wamid.an.%'`)[0]!.n);

    // The rollups, built as the live folder builds them: every conversation marked, then folded tenant by
    // tenant (two at once, one per core), in batches of a thousand. Marked in the order the rows were
    // written (the folder takes the oldest marks first), so a batch reads pages its neighbours share
    // instead of ten scattered pages per conversation — live, the folder reads messages just written.
    const t2 = performance.now();
    await owner`insert into analytics_dirty (tenant_id, conversation_id, marked_at)
                select tenant_id, id, clock_timestamp() from conversations
                 where tenant_id = any(${tenants.map((t) => t.id)}::uuid[]) order by ctid`;
    const app = connect(ownerUrl, { max: 2 });
    let folded = 0;
    let nextTenant = 0;
    const folder = async () => {
      for (let t = tenants[nextTenant++]; t; t = tenants[nextTenant++]) {
        // Awaited first, then added: `folded += await …` would add to the count read before the wait and
        // lose what the other folder added meanwhile.
        const done = await foldTenant(app, t.id, { batch: 1_000 });
        folded += done;
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          progress(`   … ${folded.toLocaleString('en-US')} of ${shape.conversations.toLocaleString('en-US')} conversations folded into the rollups (${Math.round((performance.now() - t2) / 1000)} s)`);
        }
      }
    };
    await Promise.all([folder(), folder()]);
    await app.end();
    await owner`vacuum analyze analytics_rollups, conversation_metrics, analytics_dirty`;
    const fold = (performance.now() - t2) / 1000;
    return { tenants, largestKey, messages, seconds: { write, analyse, fold } };
  } finally {
    await owner.end();
  }
}

async function createTenant(
  owner: Sql,
  index: number,
  conversations: number,
  { agents, departments, numbers, timeZone }: { agents: number; departments: number; numbers: number; timeZone: string },
): Promise<BenchTenant> {
  const name = `Analytics tenant ${index + 1}`;
  const id = (await owner<{ id: string }[]>`insert into tenants (name, time_zone) values (${name}, ${timeZone}) returning id`)[0]!.id;
  const wabaId = `7${String(index).padStart(14, '0')}`;
  await owner`insert into whatsapp_accounts (tenant_id, waba_id, name) values (${id}, ${wabaId}, ${name})`;
  const numberIds = Array.from({ length: numbers }, (_, n) => `8${String(index).padStart(10, '0')}${String(n).padStart(4, '0')}`);
  for (const [n, phoneNumberId] of numberIds.entries()) {
    await owner`insert into phone_numbers (tenant_id, waba_id, phone_number_id, display_phone_number)
                values (${id}, ${wabaId}, ${phoneNumberId}, ${`+1 555 ${String(index).padStart(3, '0')} ${String(n).padStart(4, '0')}`})`;
  }
  const agentIds = await owner<{ id: string }[]>`
    insert into users (tenant_id, email, name, role, password_hash)
    select ${id}, 'agent' || g || '@tenant' || ${index} || '.bench.example', 'Agent ' || g, 'agent', 'not-a-password'
      from generate_series(1, ${agents}::int) g
    returning id`;
  // No automatic assignment: the bench's rows are history, not a queue to work.
  const departmentIds = await owner<{ id: string }[]>`
    insert into departments (tenant_id, name, auto_assign)
    select ${id}, 'Department ' || g, false from generate_series(1, ${departments}::int) g
    returning id`;
  // Agent k works in department k mod departments, as the conversations below are assigned.
  await owner`
    insert into department_members (tenant_id, department_id, user_id)
    select ${id}, (${departmentIds.map((d) => d.id)}::uuid[])[1 + (a.k - 1) % ${departments}::int], a.id
      from unnest(${agentIds.map((a) => a.id)}::uuid[]) with ordinality as a (id, k)`;
  return { id, name, conversations, timeZone, agents: agentIds.map((a) => a.id), departments: departmentIds.map((d) => d.id), numbers: numberIds };
}

/**
 * One statement: `from`…`to` of a tenant's conversations, each with its own contact and its messages.
 * A conversation opens at a random day of the range, mostly in working hours; its messages alternate
 * customer and business (the customer first), the business's written by its assignee, now and then a
 * template, a reply from the WhatsApp Business app, a bot's or a partner key's message; each
 * conversation has its own pace, from a minute to an hour and more between messages. Older ones are
 * resolved after their last message.
 */
async function writeChunk(owner: Sql, tenant: BenchTenant, index: number, from: number, to: number, shape: AnalyticsShape, now: Date): Promise<void> {
  const start = new Date(now.getTime() - shape.days * 86_400_000);
  await owner`
    with ct as (
      insert into contacts (tenant_id, wa_id)
      select ${tenant.id}, '2' || lpad(${index}::text, 3, '0') || lpad(g::text, 9, '0') from generate_series(${from}::int, ${to - 1}::int) g
      returning id, wa_id
    ),
    seeded as (
      select ct.id as contact_id, ct.wa_id,
             date_trunc('day', ${start}::timestamptz) + floor(random() * ${shape.days}::int) * interval '1 day'
               + (case when random() < 0.8 then 8 + random() * 10 else random() * 24 end) * interval '1 hour' as created_at,
             -- seconds between two messages, on average: from one minute to about two hours
             60 * exp(random() * 4.8) as pace
        from ct
    ),
    cv as (
      insert into conversations (tenant_id, contact_id, phone_number_id, status, last_message_at, created_at,
                                 department_id, assignee_id, assigned_at, resolved_at)
      select ${tenant.id}, s.contact_id,
             (${tenant.numbers}::text[])[1 + floor(random() * ${tenant.numbers.length}::int)::int],
             case when s.resolved then 'resolved' else 'open' end,
             s.last_at, s.created_at,
             (${tenant.departments}::uuid[])[1 + s.department],
             -- a member of the conversation's department (agent k works in department k mod departments)
             case when random() < 0.92
                  then (${tenant.agents}::uuid[])[1 + s.department + ${tenant.departments.length}::int * floor(random() * ${tenant.agents.length / tenant.departments.length}::int)::int] end,
             s.created_at,
             case when s.resolved then s.last_at + random() * interval '2 hours' end
        from (select seeded.*, created_at + ${shape.messagesPerConversation - 1}::int * pace * interval '1 second' as last_at,
                     created_at < ${now}::timestamptz - interval '1 day' and random() < 0.96 as resolved,
             floor(random() * ${tenant.departments.length}::int)::int as department
                from seeded) s
      returning id, contact_id, phone_number_id, created_at, assignee_id, last_message_at
    )
    insert into messages (tenant_id, conversation_id, phone_number_id, wamid, direction, type, text,
                          status, sent_at, author_id, origin)
    select ${tenant.id}, x.id, x.phone_number_id,
           'wamid.an.' || ${index} || '.' || x.id || '.' || x.i,
           x.direction,
           case when x.kind = 'template' then 'template' else 'text' end,
           case when x.direction = 'inbound' then 'Hola, una pregunta sobre mi pedido ' || x.i else 'Gracias por escribirnos, le ayudamos enseguida' end,
           case when x.direction = 'inbound' then 'received' else 'read' end,
           least(x.created_at + (x.i + x.jitter) * (extract(epoch from x.last_message_at - x.created_at) / ${Math.max(1, shape.messagesPerConversation - 1)}::int) * interval '1 second',
                 x.last_message_at),
           case when x.kind in ('agent', 'template') then x.assignee_id end,
           case when x.kind in ('business_app', 'bot') then x.kind end
      -- random() in a subquery's select list is drawn for every row (such subqueries are never flattened)
      from (select y.*,
                   case when y.direction = 'inbound' then 'inbound'
                        when y.r < 0.05 then 'template'
                        when y.r < 0.09 then 'business_app'
                        when y.r < 0.11 then 'bot'
                        when y.r < 0.13 or y.assignee_id is null then 'api'
                        else 'agent' end as kind
              from (select cv.*, g.i,
                           case when g.i = 0 or (g.i % 3 = 2 and random() < 0.7) or random() < 0.25 then 'inbound' else 'outbound' end as direction,
                           random() as r, random() * 0.9 as jitter
                      from cv, generate_series(0, ${shape.messagesPerConversation - 1}::int) g (i)) y) x`;
}
