// Tenant and platform scopes. Row-level security reads these settings; they live for one transaction only.
import type { Sql, TransactionSql } from './connect.ts';

export function withTenant<T>(sql: Sql, tenantId: string, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await setTenant(tx, tenantId);
    return fn(tx);
  }) as Promise<T>;
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
