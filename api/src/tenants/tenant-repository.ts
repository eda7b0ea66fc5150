import type { TransactionSql } from '@switchboard/db/connect';

export interface TenantRecord {
  id: string;
  name: string;
}

export async function findCurrentTenant(tx: TransactionSql): Promise<TenantRecord | undefined> {
  const [row] = await tx<TenantRecord[]>`select id, name from tenants where id = app_tenant_id()`;
  return row;
}
