// SQL for private notes on conversations. Notes are tenant rows, but every read and write also checks
// the conversation through `conversations`, whose restrictive policy hides from an agent what is not
// theirs: a note is visible exactly when its conversation is.
import type { TransactionSql } from '@switchboard/db/connect';

export interface NoteRecord {
  id: string;
  conversationId: string;
  authorId: string;
  body: string;
  createdAt: Date;
}

export interface NotePage {
  conversationId: string;
  /** Keyset position (createdAt to the millisecond, id), oldest first. */
  after: { at: Date; id: string } | null;
  before: { at: Date; id: string } | null;
  limit: number;
  /** Walk from the newest end (for `last`). */
  inverted: boolean;
}

const columns = (tx: TransactionSql) => tx`n.id, n.conversation_id, n.author_id, n.body, n.created_at`;

const conversationVisible = (tx: TransactionSql) => tx`
  exists (select 1 from conversations c where c.tenant_id = app_tenant_id() and c.id = n.conversation_id)`;

// Cursors carry JavaScript dates (milliseconds) while now() has microseconds: order and compare on the
// truncated value so a page boundary never repeats or skips a note.
const position = (tx: TransactionSql) => tx`(date_trunc('milliseconds', n.created_at), n.id)`;

export async function findNotesByIds(tx: TransactionSql, ids: string[]): Promise<NoteRecord[]> {
  if (ids.length === 0) return [];
  return tx<NoteRecord[]>`
    select ${columns(tx)} from conversation_notes n
     where n.tenant_id = app_tenant_id() and n.id = any(${ids}::uuid[]) and ${conversationVisible(tx)}`;
}

export async function listNotes(tx: TransactionSql, page: NotePage): Promise<NoteRecord[]> {
  const { conversationId, after, before, limit, inverted } = page;
  return tx<NoteRecord[]>`
    select ${columns(tx)} from conversation_notes n
     where n.tenant_id = app_tenant_id() and n.conversation_id = ${conversationId} and ${conversationVisible(tx)}
       ${after ? tx`and ${position(tx)} > (${after.at}::timestamptz, ${after.id}::uuid)` : tx``}
       ${before ? tx`and ${position(tx)} < (${before.at}::timestamptz, ${before.id}::uuid)` : tx``}
     order by ${inverted ? tx`date_trunc('milliseconds', n.created_at) desc, n.id desc` : tx`date_trunc('milliseconds', n.created_at), n.id`}
     limit ${limit}`;
}

/** Null when the conversation does not exist or the caller cannot see it. */
export async function insertNote(
  tx: TransactionSql,
  note: { conversationId: string; authorId: string; body: string },
): Promise<NoteRecord | null> {
  const [row] = await tx<NoteRecord[]>`
    insert into conversation_notes as n (tenant_id, conversation_id, author_id, body)
    select app_tenant_id(), c.id, ${note.authorId}, ${note.body}
      from conversations c
     where c.tenant_id = app_tenant_id() and c.id = ${note.conversationId}
    returning ${columns(tx)}`;
  return row ?? null;
}

export async function deleteNote(tx: TransactionSql, id: string): Promise<NoteRecord | null> {
  const [row] = await tx<NoteRecord[]>`
    delete from conversation_notes n
     where n.tenant_id = app_tenant_id() and n.id = ${id} and ${conversationVisible(tx)}
    returning ${columns(tx)}`;
  return row ?? null;
}
