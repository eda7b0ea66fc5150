// SQL for conversations: the ingest upsert and the reads behind GraphQL.
import type { Fragment, TransactionSql } from '@switchboard/db/connect';
import { epoch } from '@switchboard/db/json-rows';

export interface ConversationActivity {
  /** Used only when a new conversation has to be opened. */
  id: string;
  contactId: string;
  phoneNumberId: string;
  lastInboundAt: Date | null;
  windowExpiresAt: Date | null;
  lastMessageAt: Date;
  lastMessageId: string;
}

/**
 * Opens a conversation for each contact and number, or moves the open one forward. The partial unique
 * index on unresolved conversations makes this safe under concurrent ingests.
 */
export async function upsertActiveConversations(
  tx: TransactionSql,
  rows: ConversationActivity[],
): Promise<ActiveConversation[]> {
  if (rows.length === 0) return [];
  // A new conversation joins the queue of its number's department (else the tenant's default one) and
  // waits from the customer's first message; a pending one the customer writes to again reopens.
  return tx<ActiveConversation[]>`
    insert into conversations as c
      (tenant_id, id, contact_id, phone_number_id, status, last_inbound_at, window_expires_at, last_message_at,
       last_message_id, department_id, waiting_since)
    select app_tenant_id(), x.id, x.contact_id, x.phone_number_id, 'open', to_timestamp(x.last_inbound_at),
           to_timestamp(x.window_expires_at), to_timestamp(x.last_message_at), x.last_message_id,
           coalesce((select p.default_department_id from phone_numbers p
                      where p.tenant_id = app_tenant_id() and p.phone_number_id = x.phone_number_id),
                    (select d.id from departments d where d.tenant_id = app_tenant_id() and d.is_default)),
           to_timestamp(coalesce(x.last_inbound_at, x.last_message_at))
      from json_to_recordset(${JSON.stringify(rows.map((r) => ({
        id: r.id,
        contact_id: r.contactId,
        phone_number_id: r.phoneNumberId,
        last_inbound_at: epoch(r.lastInboundAt),
        window_expires_at: epoch(r.windowExpiresAt),
        last_message_at: epoch(r.lastMessageAt),
        last_message_id: r.lastMessageId,
      })))}::text::json) as x(id uuid, contact_id uuid, phone_number_id text, last_inbound_at float8,
                          window_expires_at float8, last_message_at float8, last_message_id uuid)
    on conflict (tenant_id, contact_id, phone_number_id) where status <> 'resolved' do update
       set last_inbound_at = greatest(c.last_inbound_at, excluded.last_inbound_at),
           window_expires_at = greatest(c.window_expires_at, excluded.window_expires_at),
           last_message_id = case when excluded.last_message_at >= c.last_message_at
                                  then excluded.last_message_id else c.last_message_id end,
           last_message_at = greatest(c.last_message_at, excluded.last_message_at),
           status = case when c.status = 'pending' and excluded.last_inbound_at is not null then 'open' else c.status end,
           waiting_since = case when c.assignee_id is null and c.status in ('open', 'pending') and excluded.last_inbound_at is not null
                                then coalesce(c.waiting_since, excluded.last_inbound_at) else c.waiting_since end,
           updated_at = now()
    returning c.id, c.contact_id, c.phone_number_id, c.department_id, c.assignee_id, c.status`;
}

/**
 * The unresolved conversation of each contact and number, opened when there is none, without touching
 * its messages or window: for events that are not messages (a welcome request, a call). A new one waits
 * in its number's department queue from `at`, like one opened by a message.
 */
export async function findOrOpenConversations(
  tx: TransactionSql,
  rows: { id: string; contactId: string; phoneNumberId: string; at: Date }[],
): Promise<ActiveConversation[]> {
  if (rows.length === 0) return [];
  const unique = [...new Map(rows.map((r) => [`${r.contactId}|${r.phoneNumberId}`, r])).values()];
  return tx<ActiveConversation[]>`
    insert into conversations as c
      (tenant_id, id, contact_id, phone_number_id, status, last_message_at, department_id, waiting_since)
    select app_tenant_id(), x.id, x.contact_id, x.phone_number_id, 'open', to_timestamp(x.at),
           coalesce((select p.default_department_id from phone_numbers p
                      where p.tenant_id = app_tenant_id() and p.phone_number_id = x.phone_number_id),
                    (select d.id from departments d where d.tenant_id = app_tenant_id() and d.is_default)),
           to_timestamp(x.at)
      from json_to_recordset(${JSON.stringify(unique.map((r) => ({ id: r.id, contact_id: r.contactId, phone_number_id: r.phoneNumberId, at: epoch(r.at) })))}::text::json)
        as x(id uuid, contact_id uuid, phone_number_id text, at float8)
    on conflict (tenant_id, contact_id, phone_number_id) where status <> 'resolved' do update
       set updated_at = c.updated_at
    returning c.id, c.contact_id, c.phone_number_id, c.department_id, c.assignee_id, c.status`;
}

export interface ActiveConversation {
  id: string;
  contactId: string;
  phoneNumberId: string;
  departmentId: string | null;
  assigneeId: string | null;
  status: string;
}

export interface ConversationRecord {
  id: string;
  status: string;
  phoneNumberId: string;
  lastInboundAt: Date | null;
  windowExpiresAt: Date | null;
  lastMessageAt: Date;
  lastMessageId: string | null;
  createdAt: Date;
  updatedAt: Date;
  contactId: string;
  contactDisplayName: string | null;
  contactWaId: string | null;
  contactUserId: string | null;
  contactOptedOut: boolean;
  contactMarketingOptOut: boolean;
  contactRestricted: boolean;
  contactConsentWithdrawnAt: Date | null;
  departmentId: string | null;
  assigneeId: string | null;
  assignedAt: Date | null;
  waitingSince: Date | null;
}

const selectConversation = (tx: TransactionSql) => tx`
  select c.id, c.status, c.phone_number_id, c.last_inbound_at, c.window_expires_at, c.last_message_at,
         c.last_message_id, c.created_at, c.updated_at, c.contact_id, c.department_id, c.assignee_id,
         c.assigned_at, c.waiting_since,
         ct.display_name as contact_display_name, ct.wa_id as contact_wa_id, ct.user_id as contact_user_id,
         ct.opted_out as contact_opted_out, ct.marketing_opt_out as contact_marketing_opt_out,
         ct.restricted as contact_restricted, ct.consent_withdrawn_at as contact_consent_withdrawn_at
    from conversations c
    join contacts ct on ct.tenant_id = c.tenant_id and ct.id = c.contact_id`;

export async function findConversationsByIds(tx: TransactionSql, ids: string[]): Promise<ConversationRecord[]> {
  if (ids.length === 0) return [];
  return tx<ConversationRecord[]>`
    ${selectConversation(tx)}
     where c.tenant_id = app_tenant_id() and c.id = any(${ids}::uuid[])`;
}

export interface ConversationPage {
  statuses: string[] | null;
  /** A person's id, 'unassigned', or null for anyone. */
  assignee: string | null;
  departmentId: string | null;
  /** Only this customer's conversations (a contact's profile). */
  contactId?: string | null;
  /** Drill-down from analytics (docs/analytics.md): the same definitions the figures count by. */
  metrics?: ConversationMetricsFilter;
  /** Keyset position: (lastMessageAt, id), newest first. */
  after: { at: Date; id: string } | null;
  before: { at: Date; id: string } | null;
  limit: number;
  /** Walk from the oldest end (for `last`). */
  inverted: boolean;
}

export interface ConversationMetricsFilter {
  openedAfter?: Date | null;
  openedBefore?: Date | null;
  resolvedAfter?: Date | null;
  resolvedBefore?: Date | null;
  firstResponseAbove?: number | null;
  firstResponseBelow?: number | null;
  /** The number's own id (PhoneNumber's), not Meta's. */
  phoneNumberUuid?: string | null;
}

/** The analytics filters as SQL on c (conversations) and their metrics row. */
function metricsConditions(tx: TransactionSql, f: ConversationMetricsFilter | undefined) {
  if (!f) return tx``;
  const m = (condition: Fragment) =>
    tx`and exists (select 1 from conversation_metrics m where m.tenant_id = c.tenant_id and m.conversation_id = c.id and ${condition})`;
  return tx`
    ${f.openedAfter ? m(tx`m.opened_at >= ${f.openedAfter}`) : tx``}
    ${f.openedBefore ? m(tx`m.opened_at < ${f.openedBefore}`) : tx``}
    ${f.resolvedAfter ? tx`and c.status = 'resolved' and c.resolved_at >= ${f.resolvedAfter}` : tx``}
    ${f.resolvedBefore ? tx`and c.status = 'resolved' and c.resolved_at < ${f.resolvedBefore}` : tx``}
    ${f.firstResponseAbove != null ? m(tx`m.first_response_seconds > ${f.firstResponseAbove}`) : tx``}
    ${f.firstResponseBelow != null ? m(tx`m.first_response_seconds < ${f.firstResponseBelow}`) : tx``}
    ${f.phoneNumberUuid ? tx`and c.phone_number_id = (select p.phone_number_id from phone_numbers p where p.tenant_id = c.tenant_id and p.id = ${f.phoneNumberUuid}::uuid)` : tx``}`;
}

export async function listConversations(tx: TransactionSql, page: ConversationPage): Promise<ConversationRecord[]> {
  const { statuses, assignee, departmentId, after, before, limit, inverted } = page;
  return tx<ConversationRecord[]>`
    ${selectConversation(tx)}
     where c.tenant_id = app_tenant_id()
       ${statuses ? tx`and c.status = any(${statuses}::text[])` : tx``}
       ${assignee === 'unassigned' ? tx`and c.assignee_id is null` : assignee ? tx`and c.assignee_id = ${assignee}::uuid` : tx``}
       ${departmentId ? tx`and c.department_id = ${departmentId}::uuid` : tx``}
       ${page.contactId ? tx`and c.contact_id = ${page.contactId}::uuid` : tx``}
       ${metricsConditions(tx, page.metrics)}
       ${after ? tx`and (c.last_message_at, c.id) < (${after.at}, ${after.id}::uuid)` : tx``}
       ${before ? tx`and (c.last_message_at, c.id) > (${before.at}, ${before.id}::uuid)` : tx``}
     order by ${inverted ? tx`c.last_message_at asc, c.id asc` : tx`c.last_message_at desc, c.id desc`}
     limit ${limit}`;
}
