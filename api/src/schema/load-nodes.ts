// How every node type is fetched by global id: in the caller's tenant, in the order asked, and null for
// an id that is malformed or belongs to no row this tenant can see (never an error that leaks existence).
import type { TransactionSql } from '@switchboard/db/connect';
import { inTenant, type Context } from '../context.ts';

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

export function loadNodesInTenant<T extends { id: string }>(find: (tx: TransactionSql, ids: string[]) => Promise<T[]>) {
  return async (ids: string[], ctx: Context): Promise<(T | null)[]> => {
    const rows = await inTenant(ctx, (tx) => find(tx, ids.filter(isUuid)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  };
}
