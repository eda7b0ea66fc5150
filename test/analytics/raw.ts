// Analytics computed straight from the raw rows (conversations and messages), written apart from the
// rollups' SQL from docs/analytics.md's words: what the rollups are checked against. Also the way tests
// build conversations at known times (a controlled clock): rows inserted as the database owner, with
// the times the test chooses, which the triggers mark for the folder exactly as ingest's rows are.
import type { Sql } from '@switchboard/db/connect';
import { exactPercentile } from '@switchboard/api/analytics/histogram';

export interface RawMessage {
  at: Date;
  direction: 'inbound' | 'outbound';
  authorId?: string | null;
  type?: string;
  origin?: 'business_app' | 'bot' | null;
}

export interface RawConversation {
  createdAt: Date;
  phoneNumberId: string;
  departmentId?: string | null;
  assigneeId?: string | null;
  resolvedAt?: Date | null;
  botHandoffAt?: Date | null;
  messages: RawMessage[];
}

let contactSeq = 0;

/** Inserts a conversation, its contact and its messages as they are given (as the owner). */
export async function insertConversation(owner: Sql, tenantId: string, c: RawConversation): Promise<string> {
  const [contact] = await owner<{ id: string }[]>`
    insert into contacts (tenant_id, wa_id) values (${tenantId}, ${`1555${String(++contactSeq).padStart(7, '0')}`}) returning id`;
  const last = [...c.messages.map((m) => m.at), c.createdAt].sort((a, b) => b.getTime() - a.getTime())[0]!;
  const [row] = await owner<{ id: string }[]>`
    insert into conversations (tenant_id, contact_id, phone_number_id, status, last_message_at, created_at, department_id,
                               assignee_id, resolved_at, bot_handoff_at)
    values (${tenantId}, ${contact!.id}, ${c.phoneNumberId}, ${c.resolvedAt ? 'resolved' : 'open'}, ${last}, ${c.createdAt},
            ${c.departmentId ?? null}, ${c.assigneeId ?? null}, ${c.resolvedAt ?? null}, ${c.botHandoffAt ?? null})
    returning id`;
  await addMessages(owner, tenantId, row!.id, c.phoneNumberId, c.messages);
  return row!.id;
}

export async function addMessages(owner: Sql, tenantId: string, conversationId: string, phoneNumberId: string, messages: RawMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await owner`
    insert into messages (tenant_id, conversation_id, phone_number_id, direction, type, status, sent_at, author_id, origin)
    select ${tenantId}, ${conversationId}, ${phoneNumberId}, x.direction, x.type, 'sent', x.at, x.author_id, x.origin
      from json_to_recordset(${JSON.stringify(messages.map((m) => ({
        direction: m.direction,
        type: m.type ?? 'text',
        at: m.at.toISOString(),
        author_id: m.authorId ?? null,
        origin: m.origin ?? null,
      })))}::text::json) as x(direction text, type text, at timestamptz, author_id uuid, origin text)`;
}

// ---- the definitions, from the rows -----------------------------------------------------------------

interface StoredMessage {
  conversationId: string;
  sentAt: Date;
  seq: string;
  direction: string;
  type: string;
  authorId: string | null;
  origin: string | null;
}

interface StoredConversation {
  id: string;
  createdAt: Date;
  status: string;
  resolvedAt: Date | null;
  botHandoffAt: Date | null;
  departmentId: string | null;
  assigneeId: string | null;
  phoneNumberId: string;
}

export type Metric = 'opened' | 'resolved' | 'inbound' | 'agent' | 'bot' | 'template' | 'business_app' | 'api' | 'first_response' | 'reply' | 'resolution';

export interface RawEvent {
  conversationId: string;
  at: Date;
  departmentId: string | null;
  agentId: string | null;
  phoneNumberId: string;
  metric: Metric;
  /** Seconds, for durations. */
  seconds?: number;
}

/** Every event the definitions count, read from the tenant's rows. */
export async function rawEvents(owner: Sql, tenantId: string): Promise<RawEvent[]> {
  const conversations = await owner<StoredConversation[]>`
    select id, created_at, status, resolved_at, bot_handoff_at, department_id, assignee_id, phone_number_id
      from conversations where tenant_id = ${tenantId}`;
  const messages = await owner<StoredMessage[]>`
    select conversation_id, sent_at, seq::text, direction, type, author_id, origin
      from messages where tenant_id = ${tenantId} order by sent_at, seq::bigint`;
  const byConversation = new Map<string, StoredMessage[]>();
  for (const m of messages) byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), m]);
  const events: RawEvent[] = [];
  for (const c of conversations) {
    const ms = byConversation.get(c.id) ?? [];
    const opened = new Date(Math.min(c.createdAt.getTime(), ...ms.map((m) => m.sentAt.getTime())));
    const base = { conversationId: c.id, departmentId: c.departmentId, phoneNumberId: c.phoneNumberId };
    events.push({ ...base, at: opened, agentId: c.assigneeId, metric: 'opened' });
    const resolved = c.status === 'resolved' && c.resolvedAt;
    if (resolved) {
      events.push({ ...base, at: c.resolvedAt!, agentId: c.assigneeId, metric: 'resolved' });
      events.push({ ...base, at: c.resolvedAt!, agentId: c.assigneeId, metric: 'resolution', seconds: Math.max(0, (c.resolvedAt!.getTime() - opened.getTime()) / 1000) });
    }
    const human = (m: StoredMessage) => m.direction === 'outbound' && (m.authorId !== null || m.origin === 'business_app');
    for (const m of ms) {
      const metric: Metric =
        m.direction === 'inbound' ? 'inbound'
        : m.origin === 'business_app' ? 'business_app'
        : m.origin === 'bot' ? 'bot'
        : m.type === 'template' ? 'template'
        : m.authorId ? 'agent'
        : 'api';
      events.push({ ...base, at: m.sentAt, agentId: m.direction === 'inbound' ? c.assigneeId : m.authorId, metric });
    }
    // First response: only when the customer wrote first.
    const start = Math.max(opened.getTime(), c.botHandoffAt?.getTime() ?? opened.getTime());
    if (ms[0]?.direction === 'inbound') {
      const reply = ms.find((m) => human(m) && m.sentAt.getTime() >= start);
      if (reply) events.push({ ...base, at: reply.sentAt, agentId: reply.authorId, metric: 'first_response', seconds: Math.max(0, (reply.sentAt.getTime() - start) / 1000) });
    }
    // Reply times: each human reply answers the customer's first message since the previous one.
    let waitingFrom: Date | null = null;
    for (const m of ms) {
      if (m.direction === 'inbound' && !waitingFrom) waitingFrom = m.sentAt;
      if (human(m)) {
        if (waitingFrom) events.push({ ...base, at: m.sentAt, agentId: m.authorId, metric: 'reply', seconds: Math.max(0, (m.sentAt.getTime() - waitingFrom.getTime()) / 1000) });
        waitingFrom = null;
      }
    }
  }
  return events;
}

export interface RawFigures {
  conversationsOpened: number;
  conversationsResolved: number;
  messagesInbound: number;
  messagesOutbound: number;
  outbound: { agent: number; bot: number; template: number; businessApp: number; api: number };
  firstResponseTime: RawStats;
  replyTime: RawStats;
  resolutionTime: RawStats;
}

export interface RawStats {
  count: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
}

const QUARTER = 15 * 60 * 1000;
/** Whether an event falls in [from, to) as the rollups count it: by its quarter hour. */
export function inRange(at: Date, from: Date, to: Date): boolean {
  const q = Math.floor(at.getTime() / QUARTER) * QUARTER;
  return q >= Math.floor(from.getTime() / QUARTER) * QUARTER && q < Math.ceil(to.getTime() / QUARTER) * QUARTER;
}

function stats(samples: number[]): RawStats {
  if (samples.length === 0) return { count: 0, median: null, p90: null, mean: null };
  return { count: samples.length, median: exactPercentile(samples, 0.5), p90: exactPercentile(samples, 0.9), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

export function figuresOf(events: RawEvent[]): RawFigures {
  const n = (metric: Metric) => events.filter((e) => e.metric === metric).length;
  const samples = (metric: Metric) => events.filter((e) => e.metric === metric).map((e) => e.seconds!);
  const outbound = { agent: n('agent'), bot: n('bot'), template: n('template'), businessApp: n('business_app'), api: n('api') };
  return {
    conversationsOpened: n('opened'),
    conversationsResolved: n('resolved'),
    messagesInbound: n('inbound'),
    messagesOutbound: outbound.agent + outbound.bot + outbound.template + outbound.businessApp + outbound.api,
    outbound,
    firstResponseTime: stats(samples('first_response')),
    replyTime: stats(samples('reply')),
    resolutionTime: stats(samples('resolution')),
  };
}
