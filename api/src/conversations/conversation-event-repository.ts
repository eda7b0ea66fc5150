// SQL for conversation events: what happens in a conversation that is not a message (a customer's first
// opening of the chat, calls, answers to call-permission requests). Written by ingest, read by the API.
import type { TransactionSql } from '@switchboard/db/connect';
import { epoch } from '@switchboard/db/json-rows';
import type { ConversationEventKind } from '../ingest/parse-webhook.ts';

export interface ConversationEventWrite {
  conversationId: string;
  kind: ConversationEventKind;
  eventKey: string;
  at: Date;
  details: Record<string, unknown>;
}

export interface ConversationEventRecord {
  id: string;
  conversationId: string;
  kind: ConversationEventKind;
  at: Date;
  details: Record<string, unknown>;
  handledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Stores events by (kind, Meta's key); returns those inserted or changed. A call's reports (connect,
 * statuses, terminate) arrive separately and in any order: they fold into one event, and a report never
 * moves a call back from its outcome (rejected, completed, failed) to an earlier state.
 */
export async function upsertConversationEvents(tx: TransactionSql, rows: ConversationEventWrite[]): Promise<{ id: string; conversationId: string }[]> {
  if (rows.length === 0) return [];
  // One row per key: Postgres refuses to update one row twice in a statement.
  const merged = new Map<string, ConversationEventWrite>();
  for (const row of rows) {
    const key = `${row.kind}|${row.eventKey}`;
    const earlier = merged.get(key);
    merged.set(key, earlier ? foldCall(earlier, row) : row);
  }
  const payload = [...merged.values()].map((e) => ({
    conversation_id: e.conversationId,
    kind: e.kind,
    event_key: e.eventKey,
    at: epoch(e.at),
    details: e.details,
  }));
  return tx<{ id: string; conversationId: string }[]>`
    insert into conversation_events as e (tenant_id, conversation_id, kind, event_key, at, details)
    select app_tenant_id(), x.conversation_id, x.kind, x.event_key, to_timestamp(x.at), x.details
      from json_to_recordset(${JSON.stringify(payload)}::text::json)
        as x(conversation_id uuid, kind text, event_key text, at float8, details jsonb)
    on conflict (tenant_id, kind, event_key) do update
       set details = case when call_state_rank(excluded.details->>'status') >= call_state_rank(e.details->>'status')
                          then e.details || excluded.details else excluded.details || e.details end,
           at = least(e.at, excluded.at),
           updated_at = now()
     where e.details is distinct from
           (case when call_state_rank(excluded.details->>'status') >= call_state_rank(e.details->>'status')
                 then e.details || excluded.details else excluded.details || e.details end)
        or excluded.at < e.at
    returning e.id, e.conversation_id`;
}

const CALL_RANK: Record<string, number> = { connecting: 1, ringing: 1, accepted: 2, rejected: 3, completed: 3, failed: 3 };

function foldCall(a: ConversationEventWrite, b: ConversationEventWrite): ConversationEventWrite {
  const rank = (e: ConversationEventWrite) => CALL_RANK[String(e.details.status)] ?? 0;
  const [older, newer] = rank(b) >= rank(a) ? [a, b] : [b, a];
  return { ...newer, at: a.at < b.at ? a.at : b.at, details: { ...older.details, ...newer.details } };
}

/** The events of several conversations, oldest first, at most `limit` each (the first ones). */
export async function listEventsOfConversations(tx: TransactionSql, conversationIds: string[], limit: number): Promise<Map<string, ConversationEventRecord[]>> {
  const byConversation = new Map<string, ConversationEventRecord[]>();
  if (conversationIds.length === 0) return byConversation;
  const rows = await tx<ConversationEventRecord[]>`
    select id, conversation_id, kind, at, details, handled_at, created_at, updated_at
      from (select e.*, row_number() over (partition by e.conversation_id order by e.at, e.id) as n
              from conversation_events e
             where e.tenant_id = app_tenant_id() and e.conversation_id = any(${conversationIds}::uuid[])) ranked
     where n <= ${limit}
     order by conversation_id, at, id`;
  for (const row of rows) byConversation.set(row.conversationId, [...(byConversation.get(row.conversationId) ?? []), row]);
  return byConversation;
}

export async function findConversationEventsByIds(tx: TransactionSql, ids: string[]): Promise<ConversationEventRecord[]> {
  if (ids.length === 0) return [];
  return tx<ConversationEventRecord[]>`
    select id, conversation_id, kind, at, details, handled_at, created_at, updated_at
      from conversation_events where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}
