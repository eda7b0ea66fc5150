// Tenants: the caller's own (tenant scope), and for operators every tenant with an overview of its
// people and numbers (platform scope; see tenant_overviews in migration 00022).
import type { TransactionSql } from '@switchboard/db/connect';

export interface TenantRecord {
  id: string;
  name: string;
  createdAt: Date;
  /** Set while the tenant is closed (read-only, waiting for its purge). */
  closedAt: Date | null;
  /** When a closed tenant's data is purged: closedAt + the grace period. */
  purgeAfter: Date | null;
  /** Set once the purge ran: only the tombstone row is left. */
  purgedAt: Date | null;
  /** The IANA zone its analytics count days and hours in. */
  timeZone: string;
  /** Everyone must sign in with two factors (db/migrations/00071). */
  requireTwoFactor: boolean;
}

export interface TenantOverview {
  tenantId: string;
  people: number;
  phoneNumbers: number;
  connectedNumbers: number;
  /** Numbers that need an admin: re-authorisation or disconnected. */
  troubledNumbers: number;
}

const columns = (tx: TransactionSql) => tx`id, name, created_at, closed_at, purge_after, purged_at, time_zone, require_two_factor`;

export async function findCurrentTenant(tx: TransactionSql): Promise<TenantRecord | undefined> {
  const [row] = await tx<TenantRecord[]>`select ${columns(tx)} from tenants where id = app_tenant_id()`;
  return row;
}

/** Platform scope. */
export function findTenantsByIds(tx: TransactionSql, ids: string[]): Promise<TenantRecord[]> {
  return tx<TenantRecord[]>`select ${columns(tx)} from tenants where id = any(${ids}::uuid[])`;
}

export interface TenantPage {
  search: string | null;
  after: { at: Date; id: string } | null;
  before: { at: Date; id: string } | null;
  limit: number;
  inverted: boolean;
}

/** Platform scope: newest first. */
export function listTenants(tx: TransactionSql, { search, after, before, limit, inverted }: TenantPage): Promise<TenantRecord[]> {
  return tx<TenantRecord[]>`
    select ${columns(tx)} from tenants
     where true
       ${search ? tx`and name ilike ${`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : tx``}
       ${after ? tx`and (created_at, id) < (${after.at}, ${after.id}::uuid)` : tx``}
       ${before ? tx`and (created_at, id) > (${before.at}, ${before.id}::uuid)` : tx``}
     order by ${inverted ? tx`created_at asc, id asc` : tx`created_at desc, id desc`}
     limit ${limit}`;
}

/** Platform scope: the new tenant's row. */
export async function insertTenant(tx: TransactionSql, name: string): Promise<TenantRecord> {
  const [row] = await tx<TenantRecord[]>`insert into tenants (name) values (${name}) returning ${columns(tx)}`;
  return row!;
}

/** Platform scope; tenants not found are missing from the result. */
export function findTenantOverviews(tx: TransactionSql, ids: string[]): Promise<TenantOverview[]> {
  return tx<TenantOverview[]>`select * from tenant_overviews(${ids}::uuid[])`;
}
