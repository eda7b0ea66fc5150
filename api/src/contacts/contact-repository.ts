// SQL for contacts. Writers hold the advisory locks on the identities they touch (see lock_keys).
import type { TransactionSql } from '@switchboard/db/connect';
import { textArray } from '@switchboard/db/json-rows';
import { copyConsentEvents } from './consent-repository.ts';

export interface ContactRow {
  id: string;
  waId: string | null;
  userId: string | null;
  parentUserId: string | null;
  displayName: string | null;
}

export interface ContactWrite {
  id: string;
  waId: string | null;
  userId: string | null;
  parentUserId: string | null;
  displayName: string | null;
}

export async function findContactsByIdentity(tx: TransactionSql, waIds: string[], userIds: string[]): Promise<ContactRow[]> {
  return tx<ContactRow[]>`
    select id, wa_id, user_id, parent_user_id, display_name
      from contacts
     where tenant_id = app_tenant_id()
       and (wa_id = any(${textArray(tx, waIds)}) or user_id = any(${textArray(tx, userIds)}))`;
}

export async function insertContacts(tx: TransactionSql, rows: ContactWrite[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    insert into contacts (tenant_id, id, wa_id, user_id, parent_user_id, display_name)
    select app_tenant_id(), x.id, x.wa_id, x.user_id, x.parent_user_id, x.display_name
      from json_to_recordset(${JSON.stringify(rows.map(snakeContact))}::text::json)
        as x(id uuid, wa_id text, user_id text, parent_user_id text, display_name text)`;
}

/** Fills in identities learnt later (a phone next to a BSUID) and the latest profile name. */
export async function updateContacts(tx: TransactionSql, rows: ContactWrite[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    update contacts c
       set wa_id = coalesce(x.wa_id, c.wa_id),
           user_id = coalesce(x.user_id, c.user_id),
           parent_user_id = coalesce(x.parent_user_id, c.parent_user_id),
           display_name = coalesce(x.display_name, c.display_name),
           updated_at = now()
      from json_to_recordset(${JSON.stringify(rows.map(snakeContact))}::text::json)
        as x(id uuid, wa_id text, user_id text, parent_user_id text, display_name text)
     where c.tenant_id = app_tenant_id() and c.id = x.id`;
}

/**
 * Folds `loserId` into `winnerId` when one person turns out to have two rows (first seen by phone,
 * later by BSUID). Conversations that would collide on the same number are joined into the winner's.
 */
export async function mergeContacts(tx: TransactionSql, winnerId: string, loserId: string): Promise<string[]> {
  const joined = await tx<{ loser: string; winner: string }[]>`
    select l.id as loser, w.id as winner
      from conversations l
      join conversations w
        on w.tenant_id = l.tenant_id and w.phone_number_id = l.phone_number_id
       and w.contact_id = ${winnerId} and w.status <> 'resolved'
     where l.tenant_id = app_tenant_id() and l.contact_id = ${loserId} and l.status <> 'resolved'`;
  for (const { loser, winner } of joined) {
    await tx`update messages set conversation_id = ${winner} where tenant_id = app_tenant_id() and conversation_id = ${loser}`;
    await tx`
      update conversations w
         set last_inbound_at = greatest(w.last_inbound_at, l.last_inbound_at),
             window_expires_at = greatest(w.window_expires_at, l.window_expires_at),
             last_message_id = case when l.last_message_at > w.last_message_at then l.last_message_id else w.last_message_id end,
             last_message_at = greatest(w.last_message_at, l.last_message_at),
             updated_at = now()
        from conversations l
       where w.tenant_id = app_tenant_id() and w.id = ${winner} and l.tenant_id = app_tenant_id() and l.id = ${loser}`;
    await tx`delete from conversations where tenant_id = app_tenant_id() and id = ${loser}`;
  }
  const moved = await tx<{ id: string }[]>`
    update conversations set contact_id = ${winnerId}, updated_at = now()
     where tenant_id = app_tenant_id() and contact_id = ${loserId}
    returning id`;
  // The history moves to the surviving row; the old row's copy goes with it (on delete cascade).
  await copyConsentEvents(tx, loserId, winnerId);
  const [loser] = await tx<
    { waId: string | null; userId: string | null; optedOut: boolean; marketingOptOut: boolean; restricted: boolean; consentWithdrawnAt: Date | null }[]
  >`
    delete from contacts where tenant_id = app_tenant_id() and id = ${loserId}
    returning wa_id, user_id, opted_out, marketing_opt_out, restricted, consent_withdrawn_at`;
  if (loser) {
    // An opt-out, restriction or withdrawal recorded under either identity survives the merge.
    await tx`
      update contacts
         set wa_id = coalesce(wa_id, ${loser.waId}),
             user_id = coalesce(user_id, ${loser.userId}),
             opted_out = opted_out or ${loser.optedOut},
             marketing_opt_out = marketing_opt_out or ${loser.marketingOptOut},
             restricted = restricted or ${loser.restricted},
             consent_withdrawn_at = least(consent_withdrawn_at, ${loser.consentWithdrawnAt}),
             updated_at = now()
       where tenant_id = app_tenant_id() and id = ${winnerId}`;
  }
  return [...joined.map((j) => j.winner), ...moved.map((m) => m.id)];
}

function snakeContact(c: ContactWrite) {
  return { id: c.id, wa_id: c.waId, user_id: c.userId, parent_user_id: c.parentUserId, display_name: c.displayName };
}

export interface ContactRecord {
  id: string;
  displayName: string | null;
  waId: string | null;
  userId: string | null;
  parentUserId: string | null;
  optedOut: boolean;
  marketingOptOut: boolean;
  /** Processing restricted on the customer's request (a RESTRICTION privacy request). */
  restricted: boolean;
  /** When the customer withdrew consent to processing (a CONSENT_WITHDRAWAL request); null if they have not. */
  consentWithdrawnAt: Date | null;
  /**
   * The newest message of a conversation with them that the reader may see; null when there is none;
   * undefined when the row was read without it (a conversation's contact).
   */
  lastMessageAt?: Date | null;
}

const lastMessageAt = (tx: TransactionSql) => tx`
  (select c.last_message_at from conversations c
    where c.tenant_id = ct.tenant_id and c.contact_id = ct.id
    order by c.last_message_at desc limit 1)`;

export async function findContactsByIds(tx: TransactionSql, ids: string[]): Promise<ContactRecord[]> {
  if (ids.length === 0) return [];
  return tx<ContactRecord[]>`
    select ct.id, ct.display_name, ct.wa_id, ct.user_id, ct.parent_user_id, ct.opted_out, ct.marketing_opt_out,
           ct.restricted, ct.consent_withdrawn_at, ${lastMessageAt(tx)} as last_message_at
      from contacts ct
     where ct.tenant_id = app_tenant_id() and ct.id = any(${ids}::uuid[])`;
}

/** What a search for contacts looks for; see contactSearch(). */
export interface ContactSearch {
  /** Part of a name, compared without case and accents; also a business-scoped user id, whole. */
  text: string;
  /** The digits of a phone number or part of one (3 or more), when that is what was typed. */
  digits: string | null;
}

/** Reads what someone typed: a phone number when it has only phone characters and 3 or more digits. */
export function contactSearch(typed: string): ContactSearch | null {
  const text = typed.trim();
  if (!text) return null;
  const digits = text.replace(/\D/g, '');
  return { text, digits: /^[\d\s()+.\-]+$/.test(text) && digits.length >= 3 ? digits : null };
}

export interface ContactPage {
  search: ContactSearch | null;
  /** Keyset position: (activity, id), newest activity first. */
  after: { at: Date; id: string } | null;
  before: { at: Date; id: string } | null;
  limit: number;
  inverted: boolean;
}

export interface ListedContact extends ContactRecord {
  /** What the list is ordered by: the newest visible message, else when the contact was recorded. */
  activityAt: Date;
}

/**
 * The tenant's customers, newest activity first (agents: those of conversations they may see, by the
 * contacts' and conversations' row policies). Erased customers are not listed. A search matches part of
 * the name (case and accents ignored), a name within a typo or two (trigram word similarity, 3 or more
 * letters), part of the phone number, or the whole BSUID.
 */
export async function listContacts(tx: TransactionSql, page: ContactPage): Promise<ListedContact[]> {
  const { search, after, before, limit, inverted } = page;
  // search_contact_ids (migration 00072) finds them with the trigram indexes; the rows are read here,
  // under the caller's policies.
  const match = search ? tx`and ct.id in (select search_contact_ids(${search.text}, ${search.digits}))` : tx``;
  return tx<ListedContact[]>`
    select * from (
      select ct.id, ct.display_name, ct.wa_id, ct.user_id, ct.parent_user_id, ct.opted_out, ct.marketing_opt_out,
             ct.restricted, ct.consent_withdrawn_at, a.last_message_at,
             coalesce(a.last_message_at, ct.created_at) as activity_at
        from contacts ct
        left join lateral ${lastMessageAt(tx)} a (last_message_at) on true
       where ct.tenant_id = app_tenant_id() and ct.erased_at is null
         ${match}
    ) x
     where true
       ${after ? tx`and (x.activity_at, x.id) < (${after.at}, ${after.id}::uuid)` : tx``}
       ${before ? tx`and (x.activity_at, x.id) > (${before.at}, ${before.id}::uuid)` : tx``}
     order by ${inverted ? tx`x.activity_at asc, x.id asc` : tx`x.activity_at desc, x.id desc`}
     limit ${limit}`;
}
