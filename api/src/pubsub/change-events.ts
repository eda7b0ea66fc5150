// What ingest (and later every writer) announces after commit: ids only, never content. NOTIFY inside a
// transaction is delivered by Postgres exactly when that transaction commits, and not at all if it rolls back.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { coalesce } from '../coalesce.ts';

export const CHANGES_CHANNEL = 'switchboard_changes';
// Postgres caps a NOTIFY payload at 8000 bytes.
const MAX_PAYLOAD = 7000;

export interface ChangeSet {
  conversationIds?: Iterable<string>;
  /** [messageId, conversationId] pairs, so subscribers can filter by conversation without a query. */
  messages?: Iterable<[string, string]>;
  /** People whose presence or assignment load changed. */
  userIds?: Iterable<string>;
  /** [eventId, conversationId] pairs of conversation events (welcome requests, calls) new or changed. */
  events?: Iterable<[string, string]>;
}

/** Wire format of one notification. */
export interface ChangeNotice {
  t: string;
  c: string[];
  m: [string, string][];
  u?: string[];
  e?: [string, string][];
}

export function chunkChanges(tenantId: string, changes: ChangeSet): string[] {
  const notices: string[] = [];
  let current: ChangeNotice = { t: tenantId, c: [], m: [] };
  let size = 64;
  const flush = () => {
    if (current.c.length || current.m.length || current.u?.length || current.e?.length) notices.push(JSON.stringify(current));
    current = { t: tenantId, c: [], m: [] };
    size = 64;
  };
  for (const id of new Set(changes.conversationIds ?? [])) {
    if (size + 40 > MAX_PAYLOAD) flush();
    current.c.push(id);
    size += 40;
  }
  for (const pair of changes.messages ?? []) {
    if (size + 80 > MAX_PAYLOAD) flush();
    current.m.push(pair);
    size += 80;
  }
  for (const id of new Set(changes.userIds ?? [])) {
    if (size + 40 > MAX_PAYLOAD) flush();
    (current.u ??= []).push(id);
    size += 40;
  }
  for (const pair of changes.events ?? []) {
    if (size + 80 > MAX_PAYLOAD) flush();
    (current.e ??= []).push(pair);
    size += 80;
  }
  flush();
  return notices;
}

export async function notifyChanges(tx: TransactionSql, tenantId: string, changes: ChangeSet): Promise<void> {
  const notices = chunkChanges(tenantId, changes);
  if (notices.length === 0) return;
  await tx`select pg_notify(${CHANGES_CHANNEL}, n) from unnest(${notices}::text[]) as n`;
}

/**
 * For writers whose changes are many and small (the sender records a wamid per message): instead of a
 * NOTIFY inside each transaction — Postgres serialises every notifying commit on one lock — changes
 * published after commit are merged per tenant and announced together every `flushMs`. A process that
 * dies inside that window loses the live event, never the data: subscribers read rows, not events.
 */
export function createChangeNotifier(sql: Sql, { flushMs = 25, onError = (_error: unknown) => {} } = {}) {
  const announced = coalesce<[tenantId: string, changes: ChangeSet]>(flushMs, async (items) => {
    const merged = new Map<string, { c: Set<string>; m: Map<string, string>; u: Set<string>; e: Map<string, string> }>();
    for (const [tenantId, changes] of items) {
      let p = merged.get(tenantId);
      if (!p) merged.set(tenantId, (p = { c: new Set(), m: new Map(), u: new Set(), e: new Map() }));
      for (const id of changes.conversationIds ?? []) p.c.add(id);
      for (const [messageId, conversationId] of changes.messages ?? []) p.m.set(messageId, conversationId);
      for (const id of changes.userIds ?? []) p.u.add(id);
      for (const [eventId, conversationId] of changes.events ?? []) p.e.set(eventId, conversationId);
    }
    const notices = [...merged].flatMap(([tenantId, p]) => chunkChanges(tenantId, { conversationIds: p.c, messages: p.m, userIds: p.u, events: p.e }));
    if (notices.length === 0) return;
    await sql`select pg_notify(${CHANGES_CHANNEL}, n) from unnest(${notices}::text[]) as n`.then(() => {}, onError);
  });

  return {
    /** Announces changes that are already committed. */
    publish(tenantId: string, changes: ChangeSet): void {
      announced.push([tenantId, changes]);
    },
    /** Sends what is pending now (on shutdown). */
    close: announced.flush,
  };
}

export type ChangeNotifier = ReturnType<typeof createChangeNotifier>;

/** Topics on the Yoga pubsub: `<event>:<tenantId>`, so a subscriber only ever hears its own tenant. */
export const topics = {
  conversationChanged: 'conversationChanged',
  messageChanged: 'messageChanged',
  userChanged: 'userChanged',
  conversationEventChanged: 'conversationEventChanged',
} as const;

export interface ConversationChangedEvent {
  id: string;
}

export interface MessageChangedEvent {
  id: string;
  conversationId: string;
}

export type PubSubChannels = {
  conversationChanged: [tenantId: string, payload: ConversationChangedEvent];
  messageChanged: [tenantId: string, payload: MessageChangedEvent];
  userChanged: [tenantId: string, payload: { id: string }];
  conversationEventChanged: [tenantId: string, payload: MessageChangedEvent];
  privacyRequestChanged: [tenantId: string, payload: { id: string }];
  conversationRemoved: [tenantId: string, payload: { id: string }];
};
