// SQL for the consent history (db/migrations/00045_consent_events.sql): events are only added, each
// beside the change of the contact's current state it explains, in the same statement where it can be.
import type { TransactionSql } from '@switchboard/db/connect';

export type ConsentKind =
  | 'opted_in'
  | 'opted_out'
  | 'opted_back_in'
  | 'marketing_opted_out'
  | 'marketing_opted_in'
  | 'restricted'
  | 'restriction_lifted'
  | 'objected'
  | 'objection_lifted'
  | 'consent_withdrawn'
  | 'consent_restored';
export type OptInBasis = 'customer_wrote_first' | 'template_opt_in' | 'import';
export type ConsentSource = 'customer' | 'agent' | 'admin' | 'api_key' | 'privacy_request' | 'import';
export type ConsentActorKind = 'user' | 'api_key' | 'system' | 'customer';

export interface ConsentEventRecord {
  id: string;
  contactId: string;
  at: Date;
  kind: ConsentKind;
  basis: OptInBasis | null;
  statement: string | null;
  source: ConsentSource;
  requestId: string | null;
  actorKind: ConsentActorKind;
  actorId: string | null;
}

export interface ConsentEventWrite {
  contactId: string;
  kind: ConsentKind;
  basis?: OptInBasis | null;
  statement?: string | null;
  source: ConsentSource;
  requestId?: string | null;
  actorKind: ConsentActorKind;
  actorId?: string | null;
}

const columns = (tx: TransactionSql) => tx`id, contact_id, at, kind, basis, statement, source, request_id, actor_kind, actor_id`;

export async function insertConsentEvent(tx: TransactionSql, e: ConsentEventWrite): Promise<void> {
  await tx`
    insert into consent_events (tenant_id, contact_id, kind, basis, statement, source, request_id, actor_kind, actor_id)
    values (app_tenant_id(), ${e.contactId}, ${e.kind}, ${e.basis ?? null}, ${e.statement ?? null}, ${e.source},
            ${e.requestId ?? null}, ${e.actorKind}, ${e.actorId ?? null})`;
}

/**
 * The first message a customer writes is their opt-in (they wrote first). One statement for the whole
 * batch: a contact that already has that record, or appears twice, gets none again. The identity locks
 * ingest holds make "none yet" a fact for the transaction.
 */
export async function recordFirstInbound(tx: TransactionSql, rows: { contactId: string; at: Date }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    insert into consent_events (tenant_id, contact_id, at, kind, basis, source, actor_kind)
    select app_tenant_id(), x.contact_id, min(x.at), 'opted_in', 'customer_wrote_first', 'customer', 'customer'
      from json_to_recordset(${JSON.stringify(rows.map((r) => ({ contact_id: r.contactId, at: r.at })))}::text::json)
        as x(contact_id uuid, at timestamptz)
     where not exists (select 1 from consent_events e
                        where e.tenant_id = app_tenant_id() and e.contact_id = x.contact_id and e.basis = 'customer_wrote_first')
     group by x.contact_id`;
}

/** A customer's STOP / START keyword: no messages at all until they write START. Recorded when it changes something. */
export async function setOptOut(tx: TransactionSql, contactId: string, optedOut: boolean, at: Date): Promise<void> {
  await tx`
    with changed as (
      update contacts set opted_out = ${optedOut}, opted_out_at = case when ${optedOut} then now() else null end, updated_at = now()
       where tenant_id = app_tenant_id() and id = ${contactId}
         -- While consent is withdrawn the customer's own word is recorded even where it changes no flag:
         -- it decides what lifting the withdrawal leaves in place.
         and (opted_out <> ${optedOut} or consent_withdrawn_at is not null)
      returning id
    )
    insert into consent_events (tenant_id, contact_id, at, kind, source, actor_kind)
    select app_tenant_id(), id, ${at}, ${optedOut ? 'opted_out' : 'opted_back_in'}, 'customer', 'customer' from changed`;
}

/** Meta's marketing-messages preference (the customer's own choice in WhatsApp), recorded when it changes. */
export async function setMarketingPreferences(tx: TransactionSql, rows: { id: string; stop: boolean; at: Date }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    with changed as (
      update contacts c
         set marketing_opt_out = x.stop, updated_at = now()
        from json_to_recordset(${JSON.stringify(rows)}::text::json) as x(id uuid, stop boolean, at timestamptz)
       where c.tenant_id = app_tenant_id() and c.id = x.id and c.marketing_opt_out <> x.stop
      returning c.id, x.stop, x.at
    )
    insert into consent_events (tenant_id, contact_id, at, kind, source, actor_kind)
    select app_tenant_id(), id, at, case when stop then 'marketing_opted_out' else 'marketing_opted_in' end, 'customer', 'customer' from changed`;
}

/** Oldest first. */
export function listConsentEvents(tx: TransactionSql, contactId: string): Promise<ConsentEventRecord[]> {
  return tx<ConsentEventRecord[]>`
    select ${columns(tx)} from consent_events
     where tenant_id = app_tenant_id() and contact_id = ${contactId}
     order by at, id`;
}

/** The latest `limit` events of each contact, oldest first: a list of contacts reads its histories in one statement. */
export function listConsentEventsOfContacts(tx: TransactionSql, contactIds: string[], limit: number): Promise<ConsentEventRecord[]> {
  if (contactIds.length === 0) return Promise.resolve([]);
  return tx<ConsentEventRecord[]>`
    select ${columns(tx)} from (
      select e.*, row_number() over (partition by e.contact_id order by e.at desc, e.id desc) as n
        from consent_events e
       where e.tenant_id = app_tenant_id() and e.contact_id = any(${contactIds}::uuid[])
    ) latest
     where n <= ${limit}
     order by contact_id, at, id`;
}

/** The customer's own latest say on one thing (keywords or Meta's preference), which a lifted request must not override. */
export async function latestCustomerChoice(tx: TransactionSql, contactId: string, kinds: ConsentKind[]): Promise<ConsentKind | null> {
  const [row] = await tx<{ kind: ConsentKind }[]>`
    select kind from consent_events
     where tenant_id = app_tenant_id() and contact_id = ${contactId} and source = 'customer' and kind = any(${kinds}::text[])
     order by at desc, id desc
     limit 1`;
  return row?.kind ?? null;
}

/** Copies a merged-away contact's history to the row that survives (the old row's own goes with it). */
export async function copyConsentEvents(tx: TransactionSql, fromContactId: string, toContactId: string): Promise<void> {
  await tx`
    insert into consent_events (tenant_id, contact_id, at, kind, basis, statement, source, request_id, actor_kind, actor_id)
    select tenant_id, ${toContactId}, at, kind, basis, statement, source, request_id, actor_kind, actor_id
      from consent_events
     where tenant_id = app_tenant_id() and contact_id = ${fromContactId}`;
}

