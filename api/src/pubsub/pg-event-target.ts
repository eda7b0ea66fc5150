// A Yoga pubsub event target backed by Postgres LISTEN/NOTIFY: every api instance listens, so a change
// committed through any instance reaches subscribers on all of them.
// https://the-guild.dev/graphql/yoga-server/docs/features/subscriptions#distributed-pubsub-for-production
import type { Sql } from '@switchboard/db/connect';
import { CHANGES_CHANNEL, topics, type ChangeNotice } from './change-events.ts';

type Listener = (event: { type: string; detail: unknown }) => void;

export interface PgEventTarget {
  addEventListener(type: string, listener: Listener | null): void;
  removeEventListener(type: string, listener: Listener | null): void;
  dispatchEvent(event: { type: string; detail?: unknown }): boolean;
  /** Resolves once LISTEN is active. */
  ready: Promise<void>;
  /**
   * Listeners (one per subscription) attached since start, of every topic or of those starting with
   * `topic` (e.g. "messageChanged"): a subscription is live once this has grown.
   */
  attachedCount(topic?: string): number;
  close(): Promise<void>;
}

interface PublishedNotice {
  topic: string;
  detail: unknown;
}

export function createPgEventTarget(sql: Sql, { channel = CHANGES_CHANNEL, onChange }: { channel?: string; onChange?: (tenantId: string) => void } = {}): PgEventTarget {
  const listeners = new Map<string, Set<Listener>>();
  const attached = new Map<string, number>();

  const emit = (type: string, detail: unknown) => {
    for (const listener of listeners.get(type) ?? []) listener({ type, detail });
  };

  const onNotify = (payload: string) => {
    let notice: ChangeNotice | PublishedNotice;
    try {
      notice = JSON.parse(payload);
    } catch {
      return;
    }
    if ('topic' in notice) {
      emit(notice.topic, notice.detail);
      return;
    }
    onChange?.(notice.t);
    for (const id of notice.c ?? []) emit(`${topics.conversationChanged}:${notice.t}`, { id });
    for (const [id, conversationId] of notice.m ?? []) emit(`${topics.messageChanged}:${notice.t}`, { id, conversationId });
    for (const id of notice.u ?? []) emit(`${topics.userChanged}:${notice.t}`, { id });
    for (const [id, conversationId] of notice.e ?? []) emit(`${topics.conversationEventChanged}:${notice.t}`, { id, conversationId });
  };

  const subscription = sql.listen(channel, onNotify);

  return {
    ready: subscription.then(() => undefined),
    attachedCount: (topic = '') => [...attached].reduce((n, [type, count]) => (type.startsWith(topic) ? n + count : n), 0),
    addEventListener(type, listener) {
      if (!listener) return;
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(listener);
      attached.set(type, (attached.get(type) ?? 0) + 1);
    },
    removeEventListener(type, listener) {
      if (!listener) return;
      const set = listeners.get(type);
      set?.delete(listener);
      if (set?.size === 0) listeners.delete(type);
    },
    dispatchEvent(event) {
      // Published events travel through Postgres too, so every instance sees them, this one included.
      void sql`select pg_notify(${channel}, ${JSON.stringify({ topic: event.type, detail: event.detail ?? null })})`.catch(() => {});
      return true;
    },
    async close() {
      await (await subscription).unlisten();
      listeners.clear();
    },
  };
}
