// What every resolver receives: who is asking (a partner key, a signed-in person, an operator, or
// nobody yet), the database, the pubsub and the request's batched lookups.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { type DbScope, withPlatform, withScope } from '@switchboard/db/tenant';
import { GraphQLError } from 'graphql';
import type { PubSub } from 'graphql-yoga';
import type { Services } from './services.ts';
import type { Loaders } from './loaders.ts';
import type { PubSubChannels } from './pubsub/change-events.ts';

export type Role = 'agent' | 'manager' | 'admin';
/** What a partner key may do: read conversations, send and work them, administer the tenant. */
export type KeyScope = 'read' | 'send' | 'admin';

export type Viewer =
  | { kind: 'apiKey'; tenantId: string; apiKeyId: string; scopes: KeyScope[] }
  | { kind: 'user'; tenantId: string; userId: string; role: Role; sessionId: string }
  | { kind: 'operator'; operatorId: string; sessionId: string };

export type TenantViewer = Extract<Viewer, { tenantId: string }>;

export interface Context {
  viewer: Viewer | null;
  sql: Sql;
  pubsub: PubSub<PubSubChannels>;
  loaders: Loaders;
  services: Services;
  /** The HTTP exchange, when there is one (login and logout set cookies on it); absent on sockets. */
  http?: {
    request: Request;
    setCookies: string[];
    clientAddress: string;
    /** The request's Origin is one of the dashboard's, or absent (http/json-bodies.ts): logIn checks it. */
    signInOriginAllowed: boolean;
  };
}

export function dbScope(viewer: TenantViewer): DbScope {
  return viewer.kind === 'user' ? { tenantId: viewer.tenantId, userId: viewer.userId, role: viewer.role } : { tenantId: viewer.tenantId };
}

export function tenantViewer(ctx: Pick<Context, 'viewer'>): TenantViewer {
  const viewer = ctx.viewer;
  // Scope checks run first; reaching here without a tenant is a schema mistake, not a user error.
  if (!viewer || viewer.kind === 'operator') throw new GraphQLError('This needs a tenant account', { extensions: { code: 'FORBIDDEN' } });
  return viewer;
}

/** Runs `fn` in a transaction scoped to the caller: RLS and the queries both see only what they may. */
export function inTenant<T>(ctx: Pick<Context, 'viewer' | 'sql'>, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return withScope(ctx.sql, dbScope(tenantViewer(ctx)), fn);
}

/** For operators: platform-wide work such as creating tenants. */
export function inPlatform<T>(ctx: Pick<Context, 'sql'>, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return withPlatform(ctx.sql, fn);
}

export function actorId(viewer: TenantViewer): string | null {
  return viewer.kind === 'user' ? viewer.userId : null;
}
