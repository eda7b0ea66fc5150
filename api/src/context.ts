// What every resolver receives: the caller's tenant (from the authenticated key), the database and the pubsub.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import DataLoader from 'dataloader';
import type { PubSub } from 'graphql-yoga';
import { findMessagesByIds, type MessageRecord } from './messaging/message-repository.ts';
import type { PubSubChannels } from './pubsub/change-events.ts';

export interface Viewer {
  tenantId: string;
  apiKeyId: string;
  scopes: string[];
}

export interface Context {
  viewer: Viewer;
  sql: Sql;
  pubsub: PubSub<PubSubChannels>;
  /** Per-request batching of message lookups (e.g. each conversation's last message in a list). */
  messages: DataLoader<string, MessageRecord | null>;
}

export function createMessageLoader(sql: Sql, tenantId: string, { cache = true } = {}): DataLoader<string, MessageRecord | null> {
  return new DataLoader(
    async (ids) => {
      const rows = await withTenant(sql, tenantId, (tx) => findMessagesByIds(tx, [...ids]));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache },
  );
}

/** Runs `fn` in a transaction scoped to the caller's tenant: RLS and the queries both see only it. */
export function inTenant<T>(ctx: Context, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return withTenant(ctx.sql, ctx.viewer.tenantId, fn);
}
