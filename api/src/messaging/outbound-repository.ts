// SQL for sending: what the rules need to know before a message may leave, the message row and its
// send job written together, and what the sender records afterwards.
import type { TransactionSql } from '@switchboard/db/connect';

export interface SendContext {
  conversationId: string;
  contactId: string;
  phoneNumberId: string;
  wabaId: string;
  numberStatus: string;
  windowExpiresAt: Date | null;
  optedOut: boolean;
  marketingOptOut: boolean;
  restricted: boolean;
  /** Set with optedOut by a consent withdrawal: the same instant tells its opt-out from a STOP. */
  optedOutAt: Date | null;
  consentWithdrawnAt: Date | null;
  lastInboundAt: Date | null;
  /** The consent history records an opt-in: business-initiated templates need one. */
  hasOptIn: boolean;
  waId: string | null;
  userId: string | null;
}

/** The conversation as the caller may see it (RLS), with its contact and number; locks the contact row. */
export async function findSendContext(tx: TransactionSql, conversationId: string): Promise<SendContext | null> {
  const [row] = await tx<SendContext[]>`
    select c.id as conversation_id, c.contact_id, c.phone_number_id, p.waba_id, p.status as number_status,
           c.window_expires_at, c.last_inbound_at, ct.opted_out, ct.opted_out_at, ct.marketing_opt_out, ct.restricted,
           ct.consent_withdrawn_at, ct.wa_id, ct.user_id,
           exists (select 1 from consent_events e
                    where e.tenant_id = ct.tenant_id and e.contact_id = ct.id and e.kind = 'opted_in') as has_opt_in
      from conversations c
      join contacts ct on ct.tenant_id = c.tenant_id and ct.id = c.contact_id
      join phone_numbers p on p.tenant_id = c.tenant_id and p.phone_number_id = c.phone_number_id
     where c.tenant_id = app_tenant_id() and c.id = ${conversationId}
       for share of ct`;
  return row ?? null;
}

export interface TemplateRecord {
  id: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  parameterFormat: string | null;
  components: Record<string, unknown>[];
}

export async function findTemplate(tx: TransactionSql, wabaId: string, name: string, language: string): Promise<TemplateRecord | null> {
  const [row] = await tx<TemplateRecord[]>`
    select id, name, language, category, status, parameter_format, components from message_templates
     where tenant_id = app_tenant_id() and waba_id = ${wabaId} and name = ${name} and language = ${language}
     order by updated_at desc limit 1`;
  return row ?? null;
}

export interface OutboundRow {
  conversationId: string;
  phoneNumberId: string;
  type: string;
  /** A readable rendering for lists and search. */
  text: string | null;
  /** The type's object exactly as it goes to Meta. */
  content: Record<string, unknown>;
  /** The wamid this replies to. */
  replyTo: string | null;
  authorId: string | null;
}

/** The message and its send job commit together: nothing is queued that is not stored, and vice versa. */
export async function insertOutboundWithJob(tx: TransactionSql, tenantId: string, m: OutboundRow): Promise<{ id: string }> {
  const [row] = await tx<{ id: string }[]>`
    insert into messages
      (tenant_id, conversation_id, phone_number_id, direction, type, text, content, context, status, author_id,
       sent_at)
    values (app_tenant_id(), ${m.conversationId}, ${m.phoneNumberId}, 'outbound', ${m.type}, ${m.text},
            ${JSON.stringify(m.content)}::text::jsonb,
            ${m.replyTo ? JSON.stringify({ id: m.replyTo }) : null}::text::jsonb,
            'pending', ${m.authorId}, date_trunc('milliseconds', now()))
    returning id`;
  await Promise.all([
    tx`select graphile_worker.add_job('send_message', json_build_object('tenantId', ${tenantId}::text, 'messageId', ${row!.id}::text),
                                      max_attempts => 12, job_key => ${`send:${row!.id}`})`,
    tx`
      update conversations set last_message_at = greatest(last_message_at, now()), last_message_id = ${row!.id}, updated_at = now()
       where tenant_id = app_tenant_id() and id = ${m.conversationId}`,
  ]);
  return row!;
}

export interface PendingSend {
  id: string;
  conversationId: string;
  status: string;
  wamid: string | null;
  type: string;
  content: Record<string, unknown>;
  context: { id?: string } | null;
  phoneNumberId: string;
  numberStatus: string;
  throughputPerSecond: number;
  wabaId: string;
  accountId: string;
  sealedToken: string | null;
  waId: string | null;
  userId: string | null;
}

export function findPendingSends(tx: TransactionSql, messageIds: string[]): Promise<PendingSend[]> {
  return tx<PendingSend[]>`
    select m.id, m.conversation_id, m.status, m.wamid, m.type, m.content, m.context, m.phone_number_id,
           p.status as number_status, p.throughput_per_second, p.waba_id, a.id as account_id,
           a.access_token_sealed as sealed_token, ct.wa_id, ct.user_id
      from messages m
      join phone_numbers p on p.tenant_id = m.tenant_id and p.phone_number_id = m.phone_number_id
      join whatsapp_accounts a on a.tenant_id = p.tenant_id and a.waba_id = p.waba_id
      join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
      join contacts ct on ct.tenant_id = c.tenant_id and ct.id = c.contact_id
     where m.tenant_id = app_tenant_id() and m.id = any(${messageIds}::uuid[]) and m.direction = 'outbound'`;
}

/** Records Meta's wamids; statuses that arrived first are folded in by the messages trigger. */
export async function recordAccepted(tx: TransactionSql, tenantId: string, accepted: { messageId: string; wamid: string }[]): Promise<void> {
  const ids = accepted.map((a) => a.messageId);
  // The wamids' locks first, in the one global order ingest also uses (lock_keys sorts them): the
  // trigger that folds in early statuses takes each again, already held, so a status batch applying to
  // the same messages can never deadlock with this one.
  const locked = tx`select lock_keys(${accepted.map((a) => `m:${tenantId}:${a.wamid}`)}::text[])`;
  // The rows are found by primary key only. `m.id = any(ids)` as well as the join: a prepared (generic)
  // plan cannot know how long the array is. And "not recorded yet" is written so that no index can
  // serve it: `wamid is null` matched the (tenant_id, wamid) index, and the planner walked every queued
  // message of the tenant for each batch — quadratic in the backlog.
  const updated = tx`
    update messages m set wamid = a.wamid, updated_at = now()
      from unnest(${ids}::uuid[], ${accepted.map((a) => a.wamid)}::text[]) as a(id, wamid)
     where m.tenant_id = app_tenant_id() and m.id = any(${ids}::uuid[]) and m.id = a.id and coalesce(m.wamid, '') = ''`;
  await Promise.all([locked, updated]);
}

export async function recordFailed(tx: TransactionSql, messageId: string, reason: string, error: Record<string, unknown> | null): Promise<void> {
  await tx`
    update messages set status = 'failed', failure_reason = ${reason},
           errors = case when ${error ? JSON.stringify(error) : null}::text is null then errors
                         else errors || jsonb_build_array(${error ? JSON.stringify(error) : null}::text::jsonb) end,
           updated_at = now()
     where tenant_id = app_tenant_id() and id = ${messageId} and status = 'pending'`;
}

/** Error 190: the WABA's token no longer works; every number on it needs an admin to reconnect. */
export async function flagNeedsReauthorisation(tx: TransactionSql, wabaId: string, reason: string): Promise<string[]> {
  const rows = await tx<{ phoneNumberId: string }[]>`
    update phone_numbers set status = 'needs_reauthorisation', status_reason = ${reason}, updated_at = now()
     where tenant_id = app_tenant_id() and waba_id = ${wabaId} and status <> 'needs_reauthorisation'
    returning phone_number_id`;
  return rows.map((r) => r.phoneNumberId);
}
