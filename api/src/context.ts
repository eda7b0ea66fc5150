// What every resolver receives: the caller's tenant (from the authenticated key), the database, the
// pubsub and the request's batched lookups.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import type { PubSub } from 'graphql-yoga';
import type { Loaders } from './loaders.ts';
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
  loaders: Loaders;
}

/** Runs `fn` in a transaction scoped to the caller's tenant: RLS and the queries both see only it. */
export function inTenant<T>(ctx: Context, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return withTenant(ctx.sql, ctx.viewer.tenantId, fn);
}
