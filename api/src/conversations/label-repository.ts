// SQL for labels and which conversations carry them. Label names are unique per tenant regardless of
// case (index labels_name). Labelling checks the conversation through `conversations`, so an agent can
// only label, and only see the labels of, conversations they may see.
import type { TransactionSql } from '@switchboard/db/connect';
import { isUniqueViolation } from '@switchboard/db/errors';

export interface LabelRecord {
  id: string;
  name: string;
  color: string;
  createdAt: Date;
}

export type LabelWrite = { ok: true; label: LabelRecord } | { ok: false; reason: 'not_found' | 'name_taken' };

const columns = (tx: TransactionSql) => tx`l.id, l.name, l.color, l.created_at`;


export function findLabelsByIds(tx: TransactionSql, ids: string[]): Promise<LabelRecord[]> {
  return tx<LabelRecord[]>`
    select ${columns(tx)} from labels l where l.tenant_id = app_tenant_id() and l.id = any(${ids}::uuid[])`;
}

export function listLabels(tx: TransactionSql, { offset, limit }: { offset: number; limit: number }): Promise<LabelRecord[]> {
  return tx<LabelRecord[]>`
    select ${columns(tx)} from labels l
     where l.tenant_id = app_tenant_id()
     order by lower(l.name), l.id
     offset ${offset} limit ${limit}`;
}

/** The labels of each conversation the caller can see, by name. */
export async function listLabelsOfConversations(tx: TransactionSql, conversationIds: string[]): Promise<Map<string, LabelRecord[]>> {
  const rows = await tx<(LabelRecord & { conversationId: string })[]>`
    select cl.conversation_id, ${columns(tx)}
      from conversation_labels cl
      join labels l on l.tenant_id = cl.tenant_id and l.id = cl.label_id
      join conversations c on c.tenant_id = cl.tenant_id and c.id = cl.conversation_id
     where cl.tenant_id = app_tenant_id() and cl.conversation_id = any(${conversationIds}::uuid[])
     order by lower(l.name), l.id`;
  const byConversation = new Map<string, LabelRecord[]>();
  for (const { conversationId, ...label } of rows) {
    byConversation.set(conversationId, [...(byConversation.get(conversationId) ?? []), label]);
  }
  return byConversation;
}

export async function insertLabel(tx: TransactionSql, label: { name: string; color: string | null }): Promise<LabelWrite> {
  const [row] = await tx<LabelRecord[]>`
    insert into labels as l (tenant_id, name, color)
    values (app_tenant_id(), ${label.name}, coalesce(${label.color}, '#64748b'))
    on conflict do nothing
    returning ${columns(tx)}`;
  return row ? { ok: true, label: row } : { ok: false, reason: 'name_taken' };
}

export async function updateLabel(tx: TransactionSql, id: string, patch: { name: string | null; color: string | null }): Promise<LabelWrite> {
  try {
    // A savepoint, so a name clash ends this statement only and can be answered as a value.
    const [row] = await tx.savepoint(
      (sp) => sp<LabelRecord[]>`
        update labels l set name = coalesce(${patch.name}, l.name), color = coalesce(${patch.color}, l.color)
         where l.tenant_id = app_tenant_id() and l.id = ${id}
        returning ${columns(sp)}`,
    );
    return row ? { ok: true, label: row } : { ok: false, reason: 'not_found' };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'name_taken' };
    throw error;
  }
}

export async function conversationsWithLabel(tx: TransactionSql, id: string): Promise<string[]> {
  const rows = await tx<{ conversationId: string }[]>`
    select conversation_id from conversation_labels where tenant_id = app_tenant_id() and label_id = ${id}`;
  return rows.map((r) => r.conversationId);
}

/** Removes the label from every conversation too; returns those conversations, to announce the change. */
export async function deleteLabel(tx: TransactionSql, id: string): Promise<{ conversationIds: string[] } | null> {
  const unlabelled = await tx<{ conversationId: string }[]>`
    delete from conversation_labels where tenant_id = app_tenant_id() and label_id = ${id}
    returning conversation_id`;
  const [deleted] = await tx`delete from labels where tenant_id = app_tenant_id() and id = ${id} returning id`;
  return deleted ? { conversationIds: unlabelled.map((r) => r.conversationId) } : null;
}

export type LabellingOutcome = { ok: true; changed: boolean } | { ok: false; missing: 'conversation' | 'label' };

/** Both must exist and the conversation be visible; the label stays locked so it cannot vanish meanwhile. */
async function checkLabelling(tx: TransactionSql, conversationId: string, labelId: string): Promise<'conversation' | 'label' | null> {
  const [found] = await tx<{ conversation: boolean; label: boolean }[]>`
    select exists (select 1 from conversations c where c.tenant_id = app_tenant_id() and c.id = ${conversationId}) as conversation,
           exists (select 1 from labels l where l.tenant_id = app_tenant_id() and l.id = ${labelId} for key share) as label`;
  return !found!.conversation ? 'conversation' : !found!.label ? 'label' : null;
}

/** Puts the label on the conversation; idempotent (`changed` is false when it was already there). */
export async function addConversationLabel(tx: TransactionSql, conversationId: string, labelId: string): Promise<LabellingOutcome> {
  const missing = await checkLabelling(tx, conversationId, labelId);
  if (missing) return { ok: false, missing };
  const inserted = await tx`
    insert into conversation_labels (tenant_id, conversation_id, label_id)
    values (app_tenant_id(), ${conversationId}, ${labelId})
    on conflict do nothing
    returning label_id`;
  return { ok: true, changed: inserted.length > 0 };
}

/** Takes the label off the conversation; idempotent like addConversationLabel. */
export async function removeConversationLabel(tx: TransactionSql, conversationId: string, labelId: string): Promise<LabellingOutcome> {
  const missing = await checkLabelling(tx, conversationId, labelId);
  if (missing) return { ok: false, missing };
  const deleted = await tx`
    delete from conversation_labels
     where tenant_id = app_tenant_id() and conversation_id = ${conversationId} and label_id = ${labelId}
    returning label_id`;
  return { ok: true, changed: deleted.length > 0 };
}
