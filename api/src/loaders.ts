// Request-scoped, batched lookups by id, in the caller's tenant: every field that needs a row by id
// (node(), a conversation's last message, a message's conversation) asks here, so a list of N items
// costs one query per kind instead of N.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { type DbScope, withScope } from '@switchboard/db/tenant';
import DataLoader from 'dataloader';
import { findContactsByIds, type ContactRecord } from './contacts/contact-repository.ts';
import { listConsentEventsOfContacts, type ConsentEventRecord } from './contacts/consent-repository.ts';
import { findConversationsByIds, type ConversationRecord } from './conversations/conversation-repository.ts';
import {
  findConversationEventsByIds,
  listEventsOfConversations,
  type ConversationEventRecord,
} from './conversations/conversation-event-repository.ts';
import { findMessagesByIds, listMessagePages, type MessagePage, type MessageRecord } from './messaging/message-repository.ts';
import { findUsersByIds, type UserRecord } from './users/user-repository.ts';
import { findDepartmentsByIds, type DepartmentRecord } from './routing/department-repository.ts';
import { findMediaByIds, findMediaByMessageIds, type MediaRecord } from './media/media-repository.ts';
import { findLabelsByIds, listLabelsOfConversations, type LabelRecord } from './conversations/label-repository.ts';
import { findNotesByIds, type NoteRecord } from './conversations/note-repository.ts';
import { findCannedResponsesByIds, type CannedResponseRecord } from './messaging/canned-response-repository.ts';
import { findPhoneNumbersByIds, type PhoneNumberRecord } from './tenants/phone-number-repository.ts';

export interface Loaders {
  contacts: DataLoader<string, ContactRecord | null>;
  /** A contact's consent history, oldest first: its latest CONSENT_EVENTS_PER_CONTACT entries. */
  consentOfContact: DataLoader<string, ConsentEventRecord[]>;
  conversations: DataLoader<string, ConversationRecord | null>;
  messages: DataLoader<string, MessageRecord | null>;
  /** A page of a conversation's messages: the pages a list of conversations asks for are read in one statement. */
  messagePages: DataLoader<MessagePage, MessageRecord[], string>;
  users: DataLoader<string, UserRecord | null>;
  departments: DataLoader<string, DepartmentRecord | null>;
  media: DataLoader<string, MediaRecord | null>;
  /** The media row of a message, by message id. */
  mediaOfMessage: DataLoader<string, MediaRecord | null>;
  labels: DataLoader<string, LabelRecord | null>;
  /** A conversation's labels, by conversation id. */
  labelsOfConversation: DataLoader<string, LabelRecord[]>;
  notes: DataLoader<string, NoteRecord | null>;
  conversationEvents: DataLoader<string, ConversationEventRecord | null>;
  /** A conversation's events (welcome requests, calls), oldest first, at most EVENTS_PER_CONVERSATION. */
  eventsOfConversation: DataLoader<string, ConversationEventRecord[]>;
  cannedResponses: DataLoader<string, CannedResponseRecord | null>;
  phoneNumbers: DataLoader<string, PhoneNumberRecord | null>;
}

export const EVENTS_PER_CONVERSATION = 100;
export const CONSENT_EVENTS_PER_CONTACT = 100;

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/**
 * `cache: false` for sockets: a subscription's context lives as long as the socket, and every event must
 * see the row as it is now.
 */
export function createLoaders(sql: Sql, scope: DbScope | null, { cache = true } = {}): Loaders {
  const loader = <T extends { id: string }>(find: (tx: TransactionSql, ids: string[]) => Promise<T[]>, keyOf: (row: T) => string | null = (r) => r.id) =>
    new DataLoader<string, T | null>(
      async (ids) => {
        // A malformed id is a row nobody can see: null, like an id of another tenant.
        // Without a tenant (an operator, or nobody signed in) no tenant row is visible.
        if (!scope) return ids.map(() => null);
        const rows = await withScope(sql, scope, (tx) => find(tx, ids.filter(isUuid)));
        const byId = new Map(rows.map((r) => [keyOf(r), r]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { cache },
    );
  return {
    contacts: loader(findContactsByIds),
    consentOfContact: new DataLoader<string, ConsentEventRecord[]>(
      async (contactIds) => {
        if (!scope) return contactIds.map(() => []);
        const rows = await withScope(sql, scope, (tx) => listConsentEventsOfContacts(tx, contactIds.filter(isUuid), CONSENT_EVENTS_PER_CONTACT));
        const byContact = new Map<string, ConsentEventRecord[]>();
        for (const row of rows) byContact.set(row.contactId, [...(byContact.get(row.contactId) ?? []), row]);
        return contactIds.map((id) => byContact.get(id) ?? []);
      },
      { cache },
    ),
    conversations: loader(findConversationsByIds),
    messages: loader(findMessagesByIds),
    messagePages: new DataLoader<MessagePage, MessageRecord[], string>(
      async (pages) => {
        if (!scope) return pages.map(() => []);
        const readable = pages.filter((p) => isUuid(p.conversationId));
        const found = readable.length > 0 ? await withScope(sql, scope, (tx) => listMessagePages(tx, readable)) : [];
        const byPage = new Map(readable.map((page, i) => [page, found[i]!]));
        return pages.map((page) => byPage.get(page) ?? []);
      },
      { cache, cacheKeyFn: (p) => JSON.stringify([p.conversationId, p.after, p.before, p.limit, p.inverted]) },
    ),
    users: loader(findUsersByIds),
    departments: loader(findDepartmentsByIds),
    media: loader(findMediaByIds),
    mediaOfMessage: loader(findMediaByMessageIds, (m) => m.messageId),
    labels: loader(findLabelsByIds),
    labelsOfConversation: new DataLoader<string, LabelRecord[]>(
      async (conversationIds) => {
        if (!scope) return conversationIds.map(() => []);
        const byConversation = await withScope(sql, scope, (tx) => listLabelsOfConversations(tx, conversationIds.filter(isUuid)));
        return conversationIds.map((id) => byConversation.get(id) ?? []);
      },
      { cache },
    ),
    notes: loader(findNotesByIds),
    conversationEvents: loader(findConversationEventsByIds),
    eventsOfConversation: new DataLoader<string, ConversationEventRecord[]>(
      async (conversationIds) => {
        if (!scope) return conversationIds.map(() => []);
        const byConversation = await withScope(sql, scope, (tx) => listEventsOfConversations(tx, conversationIds.filter(isUuid), EVENTS_PER_CONVERSATION));
        return conversationIds.map((id) => byConversation.get(id) ?? []);
      },
      { cache },
    ),
    cannedResponses: loader(findCannedResponsesByIds),
    phoneNumbers: loader(findPhoneNumbersByIds),
  };
}
