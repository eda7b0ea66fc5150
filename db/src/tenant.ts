// Row-level security scopes. RLS reads these settings; they live for one transaction only.
// A tenant scope names the tenant, and for people signed in to the dashboard who they are and their
// role (agents see only their departments' conversations: a restrictive policy reads app.user_id and
// app.role). Partner keys, ingest and jobs carry the tenant only.
import type { Sql, TransactionSql } from './connect.ts';

export interface DbScope {
  tenantId: string;
  userId?: string;
  role?: 'agent' | 'manager' | 'admin';
}

export function withScope<T>(sql: Sql, scope: DbScope, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    // Not awaited before fn: the scope and fn's first query go out together (postgres.js pipelines
    // queries on the transaction's connection and Postgres runs them in order), saving a round trip.
    const [, result] = await Promise.all([setScope(tx, scope), fn(tx)]);
    return result;
  }) as Promise<T>;
}

export async function setScope(tx: TransactionSql, scope: DbScope): Promise<void> {
  await tx`
    select set_config('app.tenant_id', ${scope.tenantId}, true),
           set_config('app.user_id', ${scope.userId ?? ''}, true),
           set_config('app.role', ${scope.role ?? ''}, true)`;
}

export function withTenant<T>(sql: Sql, tenantId: string, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return withScope(sql, { tenantId }, fn);
}

/** Switches the tenant inside an open transaction (ingest handles several tenants in one batch). */
export async function setTenant(tx: TransactionSql, tenantId: string): Promise<void> {
  await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
}

/** For the few rows that belong to no tenant: unroutable webhooks and dead letters. */
export async function setPlatformScope(tx: TransactionSql, on: boolean): Promise<void> {
  await tx`select set_config('app.platform', ${on ? 'on' : 'off'}, true)`;
}

export function withPlatform<T>(sql: Sql, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await setPlatformScope(tx, true);
    return fn(tx);
  }) as Promise<T>;
}
