// A customer's consent: how they opted in, and what they asked us to stop. The contact row holds the
// state that sending (messaging/send-rules.ts) and assignment (00046, contact_may_be_processed) read;
// every change is recorded in the consent history (consent-repository.ts) in the same transaction.
//
// What each state stops:
// - opted_out (STOP keyword, or a consent withdrawal): every message, until START (or the withdrawal is
//   lifted), except that after a withdrawal the customer's own new message may still be answered (below).
// - marketing_opt_out (Meta's preference, an objection, a withdrawal): MARKETING templates.
// - restricted (RESTRICTION request): data kept but not processed — no sends of any kind, no bots, no
//   AI, no automatic assignment; a person may still open and pick up the conversation.
// - consent_withdrawn_at (CONSENT_WITHDRAWAL request): nothing business-initiated (no templates, no
//   marketing), no bots, no AI, no automatic assignment. A customer who writes again after withdrawing
//   may be answered inside the 24-hour window their new message opens — answering someone who asks is
//   not processing they withdrew from — and nothing else.
// The privacy requests (api/src/privacy) call restrictContact and objectToProcessing; they audit the
// request's steps themselves.
import type { TransactionSql } from '@switchboard/db/connect';
import { textArray } from '@switchboard/db/json-rows';
import { recordAudit, type AuditActorKind } from '../audit/audit-repository.ts';
import type { DomainResult } from '../schema/errors.ts';
import { findContactsByIds } from './contact-repository.ts';
import { identityLockKeys, resolveContacts } from './resolve-contacts.ts';
import { notifyChanges } from '../pubsub/change-events.ts';
import {
  insertConsentEvent,
  latestCustomerChoice,
  listConsentEvents,
  type ConsentKind,
  type ConsentSource,
  type OptInBasis,
} from './consent-repository.ts';

export type AuditActor = { kind: Extract<AuditActorKind, 'user' | 'api_key' | 'system' | 'customer'>; id?: string | null };

/** One entry of a contact's consent history as exports show it: no actor ids or names. */
export interface ConsentEvent {
  at: Date;
  kind: ConsentKind;
  basis: OptInBasis | null;
  statement: string | null;
  source: ConsentSource;
  requestId: string | null;
}

/** Whether a change was made: null when the contact does not exist (in this tenant). */
export type ConsentChange = { changed: boolean } | null;

/**
 * The one question automation asks before it touches a customer: bots, AI (suggestions, summaries,
 * classification) and automatic assignment run only when this is true. False while processing is
 * restricted or consent to it is withdrawn. Assignment asks the same in SQL (contact_may_be_processed).
 */
export function mayProcess(contact: { restricted: boolean; consentWithdrawnAt: Date | null }): boolean {
  return !contact.restricted && contact.consentWithdrawnAt === null;
}

function sourceOf(actor: AuditActor, requestId: string | null): ConsentSource {
  if (requestId) return 'privacy_request';
  return actor.kind === 'api_key' ? 'api_key' : actor.kind === 'customer' ? 'customer' : 'admin';
}

async function record(
  tx: TransactionSql,
  contactId: string,
  kind: ConsentKind,
  { requestId, actor }: { requestId: string | null; actor: AuditActor },
): Promise<void> {
  await insertConsentEvent(tx, {
    contactId,
    kind,
    source: sourceOf(actor, requestId),
    requestId,
    actorKind: actor.kind,
    actorId: actor.id ?? null,
  });
}

/** Dashboards see the contact's conversations change live. */
async function announce(tx: TransactionSql, tenantId: string, contactId: string): Promise<void> {
  const rows = await tx<{ id: string }[]>`
    select id from conversations where tenant_id = app_tenant_id() and contact_id = ${contactId} and status <> 'resolved'`;
  await notifyChanges(tx, tenantId, { conversationIds: rows.map((r) => r.id) });
}

/**
 * Restricts processing of the contact's data (RESTRICTION), or lifts it. Recorded as restricted /
 * restriction_lifted when it changes the state. A lifted restriction returns waiting conversations to
 * automatic assignment at the next sweep.
 */
export async function restrictContact(
  tx: TransactionSql,
  tenantId: string,
  contactId: string,
  { lift, requestId, actor }: { lift: boolean; requestId: string | null; actor: AuditActor },
): Promise<ConsentChange> {
  const [row] = await tx<{ restricted: boolean }[]>`
    select restricted from contacts where tenant_id = app_tenant_id() and id = ${contactId} for update`;
  if (!row) return null;
  if (row.restricted === !lift) return { changed: false };
  await tx`update contacts set restricted = ${!lift}, updated_at = now() where tenant_id = app_tenant_id() and id = ${contactId}`;
  await record(tx, contactId, lift ? 'restriction_lifted' : 'restricted', { requestId, actor });
  await announce(tx, tenantId, contactId);
  return { changed: true };
}

/**
 * OBJECTION: the contact is opted out of marketing (objected / objection_lifted).
 * CONSENT_WITHDRAWAL: opted out of marketing and of messages, and of automatic processing (see the
 * header) (consent_withdrawn / consent_restored).
 * Lifting reverses what the request set, but never the customer's own say: a marketing stop they set in
 * WhatsApp, or a STOP they wrote, stays.
 */
export async function objectToProcessing(
  tx: TransactionSql,
  tenantId: string,
  contactId: string,
  { kind, lift, requestId, actor }: { kind: 'OBJECTION' | 'CONSENT_WITHDRAWAL'; lift: boolean; requestId: string | null; actor: AuditActor },
): Promise<ConsentChange> {
  const kinds: ConsentKind[] = kind === 'OBJECTION' ? ['objected', 'objection_lifted'] : ['consent_withdrawn', 'consent_restored'];
  const [row] = await tx<{ latest: ConsentKind | null; withdrawn: boolean }[]>`
    select (select e.kind from consent_events e
             where e.tenant_id = c.tenant_id and e.contact_id = c.id and e.kind = any(${kinds}::text[])
             order by e.at desc, e.id desc limit 1) as latest,
           c.consent_withdrawn_at is not null as withdrawn
      from contacts c where c.tenant_id = app_tenant_id() and c.id = ${contactId} for update of c`;
  if (!row) return null;
  const active = kind === 'OBJECTION' ? row.latest === 'objected' : row.withdrawn;
  if (active === !lift) return { changed: false };

  // The customer's own latest say on marketing and on messages, which a lift leaves in place.
  const [customerMarketing, customerMessages, otherStillActive] = lift
    ? await Promise.all([
        latestCustomerChoice(tx, contactId, ['marketing_opted_out', 'marketing_opted_in']),
        latestCustomerChoice(tx, contactId, ['opted_out', 'opted_back_in']),
        otherRequestActive(tx, contactId, kind),
      ])
    : [null, null, false];
  const keepMarketingStop = customerMarketing === 'marketing_opted_out' || otherStillActive;

  if (kind === 'OBJECTION') {
    await tx`
      update contacts set marketing_opt_out = ${lift ? keepMarketingStop : true}, updated_at = now()
       where tenant_id = app_tenant_id() and id = ${contactId}`;
    await record(tx, contactId, lift ? 'objection_lifted' : 'objected', { requestId, actor });
  } else if (!lift) {
    await tx`
      update contacts
         set marketing_opt_out = true, opted_out = true, opted_out_at = coalesce(opted_out_at, now()),
             consent_withdrawn_at = now(), updated_at = now()
       where tenant_id = app_tenant_id() and id = ${contactId}`;
    await record(tx, contactId, 'consent_withdrawn', { requestId, actor });
  } else {
    const keepOptOut = customerMessages === 'opted_out';
    await tx`
      update contacts
         set marketing_opt_out = ${keepMarketingStop},
             opted_out = ${keepOptOut}, opted_out_at = case when ${keepOptOut} then opted_out_at else null end,
             consent_withdrawn_at = null, updated_at = now()
       where tenant_id = app_tenant_id() and id = ${contactId}`;
    await record(tx, contactId, 'consent_restored', { requestId, actor });
  }
  await announce(tx, tenantId, contactId);
  return { changed: true };
}

/** Whether the other of objection / withdrawal is in force (its marketing stop outlives lifting this one). */
async function otherRequestActive(tx: TransactionSql, contactId: string, kind: 'OBJECTION' | 'CONSENT_WITHDRAWAL'): Promise<boolean> {
  if (kind === 'OBJECTION') {
    const [row] = await tx<{ withdrawn: boolean }[]>`
      select consent_withdrawn_at is not null as withdrawn from contacts where tenant_id = app_tenant_id() and id = ${contactId}`;
    return !!row?.withdrawn;
  }
  const [row] = await tx<{ kind: ConsentKind }[]>`
    select kind from consent_events
     where tenant_id = app_tenant_id() and contact_id = ${contactId} and kind in ('objected', 'objection_lifted')
     order by at desc, id desc limit 1`;
  return row?.kind === 'objected';
}

const STATEMENT_MAX = 500;

/**
 * Records an opt-in given outside WhatsApp, for a known contact or a phone number (a contact is created
 * for a number not seen yet, as an import needs): a template opt-in (a form or message where the
 * customer agreed to hear from the business), or an import whose basis is stated in words. Audited.
 */
export async function recordContactOptIn(
  tx: TransactionSql,
  tenantId: string,
  input: { contactId: string | null; waId: string | null; basis: OptInBasis; statement: string | null; actor: AuditActor; address: string | null },
): Promise<DomainResult<string>> {
  if ((input.contactId === null) === (input.waId === null)) return invalid('contactId', 'Give exactly one of contactId and waId.');
  if (input.basis === 'customer_wrote_first') return invalid('basis', 'That a customer wrote first is recorded when they write; choose TEMPLATE_OPT_IN or IMPORT.');
  const statement = input.statement?.trim() || null;
  if (statement && statement.length > STATEMENT_MAX) return invalid('statement', `A statement has at most ${STATEMENT_MAX} characters.`);
  if (input.basis === 'import' && !statement) return invalid('statement', 'An import needs its basis stated: where and how these customers agreed.');

  let contactId = input.contactId;
  if (input.waId !== null) {
    const waId = input.waId.trim().replace(/^\+/, '');
    if (!/^[1-9]\d{6,14}$/.test(waId)) return invalid('waId', 'A WhatsApp id is the phone number in international form, digits only (e.g. 14155550123).');
    await tx`select lock_keys(${textArray(tx, identityLockKeys(tenantId, [{ waId, userId: null }]))})`;
    contactId = (await resolveContacts(tx, [{ waId, userId: null }])).byWaId.get(waId)!;
  } else {
    const [found] = await findContactsByIds(tx, [contactId!]);
    if (!found) return { ok: false, code: 'NOT_FOUND', message: 'Contact was not found.' };
  }
  await insertConsentEvent(tx, {
    contactId: contactId!,
    kind: 'opted_in',
    basis: input.basis,
    statement,
    source: input.basis === 'import' ? 'import' : sourceOf(input.actor, null),
    actorKind: input.actor.kind,
    actorId: input.actor.id ?? null,
  });
  await recordAudit(tx, tenantId, {
    action: 'contact.opt_in_recorded',
    actor: input.actor,
    target: { kind: 'contact', id: contactId! },
    address: input.address,
    detail: { basis: input.basis },
  });
  return { ok: true, value: contactId! };
}

function invalid(field: string, message: string): DomainResult<never> {
  return { ok: false, code: 'INVALID_INPUT', field, message };
}

/** The whole history, oldest first, for exports: what happened, when, how and on whose request; no actor. */
export async function listConsentHistory(tx: TransactionSql, contactId: string): Promise<ConsentEvent[]> {
  const events = await listConsentEvents(tx, contactId);
  return events.map(({ at, kind, basis, statement, source, requestId }) => ({ at, kind, basis, statement, source, requestId }));
}
