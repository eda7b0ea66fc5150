// The row-level security scope of one transaction: the tenant, and for people signed in to the
// dashboard, who they are and their role (agents see only their departments' conversations; a
// restrictive policy reads app.user_id and app.role). Partner keys and ingest carry the tenant only.
import type { Sql, TransactionSql } from './connect.ts';

export interface DbScope {
  tenantId: string;
  userId?: string;
  role?: 'agent' | 'manager' | 'admin';
}

export async function setScope(tx: TransactionSql, scope: DbScope): Promise<void> {
  await tx`
    select set_config('app.tenant_id', ${scope.tenantId}, true),
           set_config('app.user_id', ${scope.userId ?? ''}, true),
           set_config('app.role', ${scope.role ?? ''}, true)`;
}

export function withScope<T>(sql: Sql, scope: DbScope, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await setScope(tx, scope);
    return fn(tx);
  }) as Promise<T>;
}
