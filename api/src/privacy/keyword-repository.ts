// SQL for privacy keywords (db/migrations/00055_privacy_keywords.sql): a tenant's own phrases, and the
// confirmation questions sent to customers with their answers. Runs in the caller's tenant scope.
import type { TransactionSql } from '@switchboard/db/connect';
import { PROMPT_TTL_HOURS, type KeywordKind, type KeywordLanguage, type KeywordSet, type PromptAnswer } from './keywords.ts';

export interface StoredKeywordSet extends KeywordSet {
  updatedAt: Date;
}

export function findKeywordSets(tx: TransactionSql): Promise<StoredKeywordSet[]> {
  return tx<StoredKeywordSet[]>`
    select language, kind, phrases, updated_at from privacy_keyword_sets where tenant_id = app_tenant_id()`;
}

/** Serialises changes to a tenant's keywords, so a phrase cannot be given two meanings by two admins at once. */
export async function lockKeywordSets(tx: TransactionSql): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended('privacy_keywords:' || app_tenant_id()::text, 0))`;
}

/** Stores the phrases for one language and kind; null removes the tenant's own, so the built-in ones apply again. */
export async function saveKeywordSet(
  tx: TransactionSql,
  { language, kind, phrases, userId }: { language: KeywordLanguage; kind: KeywordKind; phrases: string[] | null; userId: string | null },
): Promise<void> {
  if (phrases === null) {
    await tx`delete from privacy_keyword_sets where tenant_id = app_tenant_id() and language = ${language} and kind = ${kind}`;
    return;
  }
  await tx`
    insert into privacy_keyword_sets (tenant_id, language, kind, phrases, updated_by)
    values (app_tenant_id(), ${language}, ${kind}, ${phrases}::text[], ${userId})
    on conflict (tenant_id, language, kind) do update
       set phrases = excluded.phrases, updated_by = excluded.updated_by, updated_at = now()`;
}

export interface PromptRecord {
  id: string;
  contactId: string;
  kind: KeywordKind;
  language: KeywordLanguage;
}

/**
 * A new question for the customer; the questions still open of the same kind are superseded by it (only
 * the newest buttons count). Null when this message already asked (a redelivery).
 */
export async function insertPrompt(
  tx: TransactionSql,
  p: { contactId: string; kind: KeywordKind; language: KeywordLanguage; triggerMessageId: string },
): Promise<PromptRecord | null> {
  const [row] = await tx<PromptRecord[]>`
    insert into privacy_keyword_prompts (tenant_id, contact_id, kind, language, trigger_message_id, expires_at)
    values (app_tenant_id(), ${p.contactId}, ${p.kind}, ${p.language}, ${p.triggerMessageId}, now() + make_interval(hours => ${PROMPT_TTL_HOURS}))
    on conflict (tenant_id, trigger_message_id) do nothing
    returning id, contact_id, kind, language`;
  if (!row) return null;
  await tx`
    update privacy_keyword_prompts set answered_at = now(), answer = 'superseded'
     where tenant_id = app_tenant_id() and contact_id = ${p.contactId} and kind = ${p.kind} and answered_at is null and id <> ${row.id}`;
  return row;
}

export async function setPromptMessage(tx: TransactionSql, promptId: string, messageId: string): Promise<void> {
  await tx`update privacy_keyword_prompts set prompt_message_id = ${messageId} where tenant_id = app_tenant_id() and id = ${promptId}`;
}

/**
 * Records the customer's answer: only to a question of this tenant, asked of this customer, not answered
 * yet and not expired. Null otherwise; then nothing else happens.
 */
export async function answerPrompt(tx: TransactionSql, p: { promptId: string; contactId: string; answer: PromptAnswer }): Promise<PromptRecord | null> {
  const [row] = await tx<PromptRecord[]>`
    update privacy_keyword_prompts set answered_at = now(), answer = ${p.answer}
     where tenant_id = app_tenant_id() and id = ${p.promptId} and contact_id = ${p.contactId}
       and answered_at is null and expires_at > now()
    returning id, contact_id, kind, language`;
  return row ?? null;
}

export async function setPromptRequest(tx: TransactionSql, promptId: string, requestId: string): Promise<void> {
  await tx`update privacy_keyword_prompts set request_id = ${requestId} where tenant_id = app_tenant_id() and id = ${promptId}`;
}

/** A request of this kind the customer already made in WhatsApp that is still open: a second "yes" adds none. */
export async function findOpenWhatsAppRequest(tx: TransactionSql, contactId: string, kind: KeywordKind): Promise<string | null> {
  const [row] = await tx<{ id: string }[]>`
    select id from privacy_requests
     where tenant_id = app_tenant_id() and subject_kind = 'contact' and subject_id = ${contactId} and kind = ${kind}
       and source = 'whatsapp' and state in ('received', 'in_progress')
     limit 1`;
  return row?.id ?? null;
}

export async function findBusinessName(tx: TransactionSql): Promise<string> {
  const [row] = await tx<{ name: string }[]>`select name from tenants where id = app_tenant_id()`;
  return row?.name ?? '';
}
