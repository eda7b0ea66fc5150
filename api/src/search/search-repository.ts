// SQL for searching messages: the words of the messages the reader may see, newest first, with where the
// words matched. search_messages (migration 00072) applies the tenant's and agents' rules itself, so that
// the full-text index can serve it under row-level security.
import type { TransactionSql } from '@switchboard/db/connect';

export interface MessageHitRow {
  id: string;
  conversationId: string;
  sentAt: Date;
  /** The text as stored. */
  text: string;
  /**
   * The whole text as ts_headline marks it for each way words are read (as written, Spanish, English):
   * \u0002 before a hit, \u0003 after. The text is read with ¿ ¡ \u0002 \u0003 blanked one for one, so
   * offsets are offsets into `text` (snippet.ts).
   */
  marked: string[];
}

const MARKS = 'HighlightAll=true, StartSel=\u0002, StopSel=\u0003';

export async function searchMessages(
  tx: TransactionSql,
  page: { query: string; after: { at: Date; id: string } | null; limit: number },
): Promise<MessageHitRow[]> {
  const { query, after, limit } = page;
  // Headlines only for the page's rows: ts_headline reads the whole text again.
  return tx<MessageHitRow[]>`
    select h.id, h.conversation_id, h.sent_at, h.text,
           array[ts_headline('public.switchboard_simple', search_text(h.text), websearch_to_tsquery('public.switchboard_simple', search_text(${query})), ${MARKS}),
                 ts_headline('pg_catalog.spanish', search_text(h.text), websearch_to_tsquery('pg_catalog.spanish', search_text(${query})), ${MARKS}),
                 ts_headline('pg_catalog.english', search_text(h.text), websearch_to_tsquery('pg_catalog.english', search_text(${query})), ${MARKS})] as marked
      from search_messages(${query}, ${after?.at ?? null}, ${after?.id ?? null}, ${limit}) h
     order by h.sent_at desc, h.id desc`;
}
