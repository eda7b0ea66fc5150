// Query.search: customers first (by name, phone number or BSUID, as Query.contacts matches them), then
// messages, newest first (full text: words as written without case or accents, Spanish and English
// stems). Both in the reader's scope: agents find only what their departments' conversations hold.
import type { TransactionSql } from '@switchboard/db/connect';
import { contactSearch, listContacts, type ListedContact } from '../contacts/contact-repository.ts';
import { searchMessages } from './search-repository.ts';
import { contactSnippet, messageSnippet, type Snippet } from './snippet.ts';

/** Longer queries are cut here: nobody types more, and the parser's work grows with it. */
export const MAX_QUERY_LENGTH = 200;

export type SearchHit =
  | { kind: 'contact'; at: Date; id: string; contact: ListedContact; snippet: Snippet }
  | { kind: 'message'; at: Date; id: string; conversationId: string; snippet: Snippet };

/** Where a page starts: after a contact hit (more contacts, then messages) or after a message hit. */
export interface SearchPosition {
  kind: 'contact' | 'message';
  at: Date;
  id: string;
}

export async function searchTenant(
  tx: TransactionSql,
  { query, after, limit }: { query: string; after: SearchPosition | null; limit: number },
): Promise<{ hits: SearchHit[]; hasNextPage: boolean }> {
  const typed = query.trim().slice(0, MAX_QUERY_LENGTH);
  const search = contactSearch(typed);
  if (!search) return { hits: [], hasNextPage: false };
  const hits: SearchHit[] = [];
  if (!after || after.kind === 'contact') {
    const contacts = await listContacts(tx, { search, after: after && { at: after.at, id: after.id }, before: null, limit: limit + 1, inverted: false });
    for (const contact of contacts) {
      hits.push({ kind: 'contact', at: contact.activityAt, id: contact.id, contact, snippet: contactSnippet(contact, search) });
    }
  }
  if (hits.length <= limit) {
    const messageAfter = after?.kind === 'message' ? { at: after.at, id: after.id } : null;
    const rows = await searchMessages(tx, { query: typed, after: messageAfter, limit: limit + 1 - hits.length });
    for (const row of rows) {
      hits.push({ kind: 'message', at: row.sentAt, id: row.id, conversationId: row.conversationId, snippet: messageSnippet(row.text, row.marked) });
    }
  }
  return { hits: hits.slice(0, limit), hasNextPage: hits.length > limit };
}
