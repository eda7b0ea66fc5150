// Ingest drops every change routed to a closed tenant: a closed tenant is read-only, so Meta's
// deliveries after closure store nothing (no raw copy, no message, no contact); the route counts them.
import type { Sql } from '@switchboard/db/connect';

/** Of the tenants these routes lead to, the closed ones (closed_tenants in migration 00050). */
export async function closedTenantsOf(sql: Sql, routes: { phones: Map<string, string>; wabas: Map<string, string> }): Promise<Set<string>> {
  const ids = [...new Set([...routes.phones.values(), ...routes.wabas.values()])];
  if (ids.length === 0) return new Set();
  return new Set((await sql<{ id: string }[]>`select closed_tenants(${ids}::uuid[]) as id`).map((r) => r.id));
}
