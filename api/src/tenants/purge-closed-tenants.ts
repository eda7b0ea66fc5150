// The purge of closed tenants whose grace period is over: every row of every table with a tenant_id,
// and (through delete_media_blob jobs) every blob those rows name, go; the tenant's row stays as a
// tombstone named "Closed account" (purge_closed_tenant in migration 00050 does the work as the owner,
// because the audit log is append-only to the application role). Runs with the retention sweeps
// (retention/sweeps.ts) and, like them, takes `now`, so tests run it on a controlled clock.
import type { Sql } from '@switchboard/db/connect';

export interface PurgeOptions {
  now: Date;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** Purges every tenant due at `now`, one transaction each; answers the rows removed per tenant. */
export async function purgeClosedTenants(sql: Sql, { now, log }: PurgeOptions): Promise<Map<string, number>> {
  const purged = new Map<string, number>();
  const due = (await sql<{ id: string }[]>`select tenants_due_for_purge(${now}) as id`).map((r) => r.id);
  for (const tenantId of due) {
    try {
      const [row] = await sql<{ rows: string | null }[]>`select purge_closed_tenant(${tenantId}, ${now}) as rows`;
      if (row?.rows == null) continue;
      purged.set(tenantId, Number(row.rows));
      log('info', 'closed tenant purged', { tenantId, rows: Number(row.rows) });
    } catch (error) {
      log('error', 'closed tenant purge failed', { tenantId, error: (error as Error)?.name, code: (error as { code?: string })?.code });
    }
  }
  return purged;
}
