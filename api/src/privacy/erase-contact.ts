// Erasing a customer (an ERASURE request): everything that names them goes, in one transaction —
// their conversations with every message, status, edit, note, label and event; media rows (their files
// right after commit, with delete_media_blob jobs as the backstop); raw webhook copies, dead letters and
// unroutable deliveries that name them; notes elsewhere that quote their number, id or name; consent
// history; privacy exports about them; the values audit entries quote. The contact row stays, with no
// identifier, so counts made earlier still add up. The erasure ledger remembers salted hashes of their
// identifiers and wamids, so ingest, dead-letter replay and restore cannot bring any of it back.
//
// It takes the contact's identity locks, the same ones ingest takes for a delivery naming them: a
// webhook for them either committed before (and is erased here) or is checked against the ledger after.
import type { TransactionSql } from '@switchboard/db/connect';
import { identityLockKeys } from '../contacts/resolve-contacts.ts';
import { recordErasures, type LedgerEntry } from './erasure-ledger.ts';

export interface ErasureCounts {
  conversations: number;
  messages: number;
  media: number;
  statusEvents: number;
  notes: number;
  rawWebhooks: number;
  deadLetters: number;
  unroutable: number;
  consentEvents: number;
  exports: number;
  auditEntries: number;
  ledgerEntries: number;
}

export interface ContactErasure {
  counts: ErasureCounts;
  /** Files to delete from the blob store once this commits (jobs were added too). */
  blobKeys: string[];
  /** Conversations that no longer exist, for live removal from inboxes. */
  conversationIds: string[];
}

/** A name shorter than this is too common to search notes for (a note saying "Al" is not about Al). */
const MIN_NAME_IN_NOTES = 3;

export async function eraseContact(tx: TransactionSql, tenantId: string, contactId: string, { requestId, restoring = false }: { requestId: string | null; restoring?: boolean }): Promise<ContactErasure | null> {
  const [found] = await tx<{ waId: string | null; userId: string | null; parentUserId: string | null }[]>`
    select wa_id, user_id, parent_user_id from contacts where tenant_id = app_tenant_id() and id = ${contactId}`;
  if (!found) return null;
  const identities = [{ waId: found.waId, userId: found.userId }, { waId: null, userId: found.parentUserId }];
  const keys = identityLockKeys(tenantId, identities);
  if (keys.length > 0) await tx`select lock_keys(${keys}::text[])`;
  // Read again under the locks: what ingest committed meanwhile is now visible, and nothing new comes.
  const [contact] = await tx<{ waId: string | null; userId: string | null; parentUserId: string | null; displayName: string | null }[]>`
    select wa_id, user_id, parent_user_id, display_name from contacts where tenant_id = app_tenant_id() and id = ${contactId} for update`;
  if (!contact) return null;

  const conversationIds = (await tx<{ id: string }[]>`
    select id from conversations where tenant_id = app_tenant_id() and contact_id = ${contactId}`).map((r) => r.id);
  const wamids = (await tx<{ wamid: string }[]>`
    select wamid from messages
     where tenant_id = app_tenant_id() and conversation_id = any(${conversationIds}::uuid[]) and wamid is not null`).map((r) => r.wamid);

  const ledger: LedgerEntry[] = [
    ...(contact.waId ? [{ kind: 'wa_id' as const, value: contact.waId }] : []),
    ...(contact.userId ? [{ kind: 'user_id' as const, value: contact.userId }] : []),
    ...(contact.parentUserId ? [{ kind: 'user_id' as const, value: contact.parentUserId }] : []),
    ...wamids.map((wamid) => ({ kind: 'wamid' as const, value: wamid })),
  ];
  // Replaying the ledger after a restore finds its entries in place already: their times stay as they were.
  const ledgerEntries = restoring ? 0 : await recordErasures(tx, tenantId, ledger, { erasedAt: new Date(), requestId });

  const inConversations = tx`conversation_id = any(${conversationIds}::uuid[])`;
  const [media] = await tx<{ keys: string[]; n: number }[]>`
    with gone as (
      delete from media d
       where d.tenant_id = app_tenant_id()
         and d.message_id in (select m.id from messages m where m.tenant_id = app_tenant_id() and m.conversation_id = any(${conversationIds}::uuid[]))
      returning d.blob_key
    ), jobs as (
      select graphile_worker.add_job('delete_media_blob', json_build_object('key', g.blob_key), max_attempts => 25)
        from gone g where g.blob_key is not null
    )
    select coalesce(array_agg(blob_key) filter (where blob_key is not null), '{}') as keys, count(*)::int as n,
           (select count(*) from jobs)::int as jobs
      from gone`;
  const identifiers = [contact.waId, contact.userId, contact.parentUserId].filter((v): v is string => !!v);
  const statusEvents = await tx`
    delete from status_events
     where tenant_id = app_tenant_id()
       and (wamid = any(${wamids}::text[]) or recipient_id = any(${identifiers}::text[]) or recipient_user_id = any(${identifiers}::text[]))`;
  await tx`delete from message_revisions where tenant_id = app_tenant_id() and (original_wamid = any(${wamids}::text[]) or wamid = any(${wamids}::text[]))`;

  // Notes of their conversations, and notes anywhere that quote their number, id or name.
  const quoted = [...identifiers, ...(contact.displayName && contact.displayName.trim().length >= MIN_NAME_IN_NOTES ? [contact.displayName.trim()] : [])];
  const notes = await tx`
    delete from conversation_notes n
     where n.tenant_id = app_tenant_id()
       and (n.conversation_id = any(${conversationIds}::uuid[]) or exists (select 1 from unnest(${quoted}::text[]) q where strpos(lower(n.body), lower(q)) > 0))`;
  await tx`delete from conversation_labels where tenant_id = app_tenant_id() and ${inConversations}`;
  await tx`delete from conversation_events where tenant_id = app_tenant_id() and ${inConversations}`;
  const messages = await tx`
    delete from messages where tenant_id = app_tenant_id() and ${inConversations}`;
  await tx`delete from conversations where tenant_id = app_tenant_id() and id = any(${conversationIds}::uuid[])`;

  // Raw copies: the tenant's, and those kept before routing (dead letters, unroutable) by their ids.
  const rawWebhooks = identifiers.length === 0 ? { count: 0 } : await tx`
    delete from webhook_events w
     where w.tenant_id = app_tenant_id()
       and exists (select 1 from unnest(${identifiers.map((i) => `"${i}"`)}::text[]) q where strpos(w.payload::text, q) > 0)`;
  const [untenanted] = await tx<{ deadLetters: number; unroutable: number }[]>`
    select dead_letters::int, unroutable::int from erase_untenanted_copies(${contactId})`;

  const consentEvents = await tx`delete from consent_events where tenant_id = app_tenant_id() and contact_id = ${contactId}`;
  const [exports] = await tx<{ keys: string[]; n: number }[]>`
    with gone as (
      update privacy_exports x set deleted_at = now()
        from privacy_requests r
       where x.tenant_id = app_tenant_id() and r.tenant_id = x.tenant_id and r.id = x.request_id
         and r.subject_kind = 'contact' and r.subject_id = ${contactId} and x.deleted_at is null
      returning x.blob_key
    )
    select coalesce(array_agg(blob_key), '{}') as keys, count(*)::int as n from gone`;
  // Earlier requests about them keep their masked label and steps; what was written about them goes.
  await tx`
    update privacy_requests set note = null, rectification = null, updated_at = now()
     where tenant_id = app_tenant_id() and subject_kind = 'contact' and subject_id = ${contactId}`;
  await tx`
    update privacy_requests set requester_email = null
     where tenant_id = app_tenant_id() and subject_kind = 'contact' and subject_id = ${contactId}
       and (id <> ${requestId ?? '00000000-0000-0000-0000-000000000000'}::uuid) and state in ('completed', 'rejected')`;
  const [audit] = await tx<{ n: number }[]>`select redact_audit_values('contact', ${contactId}::text) as n`;

  await tx`
    update contacts
       set wa_id = null, user_id = null, parent_user_id = null, display_name = null,
           erased_at = now(), restricted = false, updated_at = now()
     where tenant_id = app_tenant_id() and id = ${contactId}`;

  return {
    counts: {
      conversations: conversationIds.length,
      messages: messages.count,
      media: media!.n,
      statusEvents: statusEvents.count,
      notes: notes.count,
      rawWebhooks: rawWebhooks.count,
      deadLetters: untenanted!.deadLetters,
      unroutable: untenanted!.unroutable,
      consentEvents: consentEvents.count,
      exports: exports!.n,
      auditEntries: audit!.n,
      ledgerEntries,
    },
    blobKeys: [...media!.keys, ...exports!.keys],
    conversationIds,
  };
}
