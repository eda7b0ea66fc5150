// SQL for messages and their delivery statuses.
import type { TransactionSql } from '@switchboard/db/connect';
import { epoch, textArray } from '@switchboard/db/json-rows';
import type { InboundMessage, StatusInput } from '../ingest/parse-webhook.ts';

export async function findKnownWamids(tx: TransactionSql, wamids: string[]): Promise<Set<string>> {
  if (wamids.length === 0) return new Set();
  const rows = await tx<{ wamid: string }[]>`
    select wamid from messages where tenant_id = app_tenant_id() and wamid = any(${textArray(tx, wamids)})`;
  return new Set(rows.map((r) => r.wamid));
}

export interface InboundMessageWrite extends InboundMessage {
  id: string;
  conversationId: string;
}

/**
 * Multi-row insert of messages never stored before: the caller holds their wamids' locks and has checked
 * them (findKnownWamids). No ON CONFLICT clause, which would cost a speculative insertion per row; should
 * a wamid be stored meanwhile after all, the unique index fails the batch, and its bodies are retried one
 * by one, each finding the message already there.
 */
export async function insertInboundMessages(tx: TransactionSql, rows: InboundMessageWrite[]): Promise<{ id: string; conversationId: string }[]> {
  if (rows.length === 0) return [];
  const payload = rows.map((m) => ({
    id: m.id,
    conversation_id: m.conversationId,
    phone_number_id: m.phoneNumberId,
    wamid: m.wamid,
    // An echo is what the business sent from the WhatsApp Business app: outbound, and already sent.
    direction: m.echo ? 'outbound' : 'inbound',
    status: m.echo ? 'sent' : 'received',
    origin: m.echo ? 'business_app' : null,
    type: m.type,
    text: m.text,
    content: m.content,
    context: m.context,
    errors: m.errors,
    extra: m.extra,
    sent_at: epoch(m.sentAt),
  }));
  return tx`
    insert into messages
      (tenant_id, id, conversation_id, phone_number_id, wamid, direction, type, text, content, context, status,
       errors, extra, sent_at, origin)
    select app_tenant_id(), x.id, x.conversation_id, x.phone_number_id, x.wamid, x.direction, x.type,
           x.text, x.content, x.context, x.status, x.errors, x.extra, to_timestamp(x.sent_at), x.origin
      from json_to_recordset(${JSON.stringify(payload)}::text::json)
        as x(id uuid, conversation_id uuid, phone_number_id text, wamid text, direction text, status text, origin text,
             type text, text text, content jsonb, context jsonb, errors jsonb, extra jsonb, sent_at float8)
    returning id, conversation_id`;
}

/** Keeps every distinct status report; a report delivered twice is stored once. */
export async function insertStatusEvents(tx: TransactionSql, rows: StatusInput[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((s) => ({
    wamid: s.wamid,
    status: s.status,
    occurred_at: epoch(s.occurredAt),
    recipient_id: s.recipientId,
    recipient_user_id: s.recipientUserId,
    conversation: s.conversation,
    pricing: s.pricing,
    errors: s.errors,
    extra: s.extra,
  }));
  await tx`
    insert into status_events
      (tenant_id, wamid, status, occurred_at, recipient_id, recipient_user_id, conversation, pricing, errors, extra)
    select app_tenant_id(), x.wamid, x.status, to_timestamp(x.occurred_at), x.recipient_id, x.recipient_user_id, x.conversation,
           x.pricing, coalesce(x.errors, '[]'), x.extra
      from json_to_recordset(${JSON.stringify(payload)}::text::json)
        as x(wamid text, status text, occurred_at float8, recipient_id text, recipient_user_id text,
             conversation jsonb, pricing jsonb, errors jsonb, extra jsonb)
    on conflict (tenant_id, wamid, status, occurred_at) do nothing`;
}

/**
 * Moves known messages forward through sent < delivered < read < played (failed is terminal). Reports
 * that would move a message backwards are ignored; those for unknown wamids wait in status_events.
 */
export async function applyStatuses(tx: TransactionSql, rows: StatusInput[]): Promise<{ id: string; conversationId: string }[]> {
  if (rows.length === 0) return [];
  const payload = rows.map((s) => ({ wamid: s.wamid, status: s.status, errors: s.errors }));
  return tx`
    update messages m
       set status = s.status,
           errors = case when jsonb_array_length(s.errors) > 0 then s.errors else m.errors end,
           updated_at = now()
      from (
        select distinct on (x.wamid) x.wamid, x.status, coalesce(x.errors, '[]') as errors
          from json_to_recordset(${JSON.stringify(payload)}::text::json) as x(wamid text, status text, errors jsonb)
         order by x.wamid, message_status_rank(x.status) desc
      ) s
     where m.tenant_id = app_tenant_id() and m.wamid = s.wamid
       and message_status_rank(s.status) > message_status_rank(m.status)
    returning m.id, m.conversation_id`;
}

export interface OutboundMessageWrite {
  conversationId: string;
  phoneNumberId: string;
  wamid: string | null;
  type: string;
  text: string | null;
  content: object;
}

/** An outbound message row; statuses that arrived before it are folded in by the database trigger. */
export async function insertOutboundMessage(tx: TransactionSql, m: OutboundMessageWrite): Promise<{ id: string; status: string }> {
  const [row] = await tx<{ id: string; status: string }[]>`
    insert into messages
      (tenant_id, conversation_id, phone_number_id, wamid, direction, type, text, content, status, sent_at)
    values (app_tenant_id(), ${m.conversationId}, ${m.phoneNumberId}, ${m.wamid}, 'outbound', ${m.type},
            ${m.text}, ${JSON.stringify(m.content)}::text::jsonb, 'pending', date_trunc('milliseconds', now()))
    returning id, status`;
  return row!;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  wamid: string | null;
  direction: string;
  type: string;
  text: string | null;
  status: string;
  content: Record<string, unknown>;
  context: Record<string, unknown> | null;
  errors: Record<string, unknown>[];
  failureReason: string | null;
  authorId: string | null;
  /** 'business_app' for an echo of what the business sent from the WhatsApp Business app. */
  origin: string | null;
  editedAt: Date | null;
  revokedAt: Date | null;
  /** Earlier versions of an edited message, oldest first. */
  previousVersions: { text: string | null; at: string }[];
  sentAt: Date;
  createdAt: Date;
  /** Arrival order; breaks ties between messages Meta stamped with the same second. */
  seq: string;
}

const messageColumns = (tx: TransactionSql) =>
  tx`id, conversation_id, wamid, direction, type, text, status, content, context, errors, failure_reason, author_id, origin,
      edited_at, revoked_at, previous_versions, sent_at, created_at, seq::text`;

export async function findMessagesByIds(tx: TransactionSql, ids: string[]): Promise<MessageRecord[]> {
  if (ids.length === 0) return [];
  return tx<MessageRecord[]>`
    select ${messageColumns(tx)} from messages where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}

export interface MessagePage {
  conversationId: string;
  /** Keyset position (sentAt, seq), oldest first. */
  after: { at: Date; id: string } | null;
  before: { at: Date; id: string } | null;
  limit: number;
  inverted: boolean;
}

/**
 * Pages of several conversations' timelines in one statement per direction (Conversation.messages for a
 * whole inbox page): each page is its own index range scan, joined laterally. Answers in the order asked.
 */
export async function listMessagePages(tx: TransactionSql, pages: MessagePage[]): Promise<MessageRecord[][]> {
  const answers = pages.map((): MessageRecord[] => []);
  for (const inverted of [false, true]) {
    const asked = pages.flatMap((page, index) => (page.inverted === inverted ? [{ page, index }] : []));
    if (asked.length === 0) continue;
    const rows = asked.map(({ page, index }) => ({
      page_index: index,
      page_conversation_id: page.conversationId,
      after_at: page.after ? epoch(page.after.at) : null,
      after_seq: page.after?.id ?? null,
      before_at: page.before ? epoch(page.before.at) : null,
      before_seq: page.before?.id ?? null,
      page_limit: page.limit,
    }));
    const order = inverted ? tx`desc` : tx`asc`;
    const found = await tx<(MessageRecord & { pageIndex: number; pageOrder: string })[]>`
      select p.page_index, m.*
        from json_to_recordset(${JSON.stringify(rows)}::text::json)
               as p(page_index int, page_conversation_id uuid, after_at float8, after_seq bigint, before_at float8, before_seq bigint, page_limit int)
       cross join lateral (
         select ${messageColumns(tx)}, seq as page_order
           from messages
          where tenant_id = app_tenant_id() and conversation_id = p.page_conversation_id
            and (p.after_at is null or (sent_at, seq) > (to_timestamp(p.after_at), p.after_seq))
            and (p.before_at is null or (sent_at, seq) < (to_timestamp(p.before_at), p.before_seq))
          order by sent_at ${order}, seq ${order}
          limit p.page_limit) m
       order by p.page_index, m.sent_at ${order}, m.page_order ${order}`;
    for (const { pageIndex, pageOrder: _, ...message } of found) answers[pageIndex]!.push(message);
  }
  return answers;
}
