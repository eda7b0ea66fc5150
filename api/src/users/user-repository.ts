// People of a tenant: agents, managers and admins. Runs inside the caller's tenant scope.
import type { TransactionSql } from '@switchboard/db/connect';
import type { Role } from '../context.ts';

export type Presence = 'online' | 'away' | 'offline';
/** The dashboard's languages. */
export type Language = 'en' | 'es' | 'ar' | 'he';

export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  capacity: number;
  presence: Presence;
  presenceChangedAt: Date;
  /** Null until they choose: the dashboard follows their browser. */
  language: Language | null;
  deactivatedAt: Date | null;
  createdAt: Date;
  /** Two-factor sign-in is on (a confirmed TOTP enrolment, db/migrations/00071). */
  totpEnabled: boolean;
}

const columns = (tx: TransactionSql) =>
  tx`id, tenant_id, email, name, role, capacity, presence, presence_changed_at, language, deactivated_at, created_at,
      exists (select 1 from user_totp t where t.tenant_id = users.tenant_id and t.user_id = users.id and t.enabled_at is not null) as totp_enabled`;

export function findUsersByIds(tx: TransactionSql, ids: string[]): Promise<UserRecord[]> {
  return tx<UserRecord[]>`select ${columns(tx)} from users where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}

export function listUsers(tx: TransactionSql, { includeDeactivated }: { includeDeactivated: boolean }): Promise<UserRecord[]> {
  return tx<UserRecord[]>`
    select ${columns(tx)} from users
     where tenant_id = app_tenant_id() and purged_at is null ${includeDeactivated ? tx`` : tx`and deactivated_at is null`}
     order by lower(name), id`;
}

/** Null when the email is taken in this tenant (other tenants' people do not matter: emails are unique per tenant). */
export async function insertUser(
  tx: TransactionSql,
  user: { email: string; name: string; role: Role; passwordHash: string | null; capacity: number },
): Promise<UserRecord | null> {
  const [row] = await tx<UserRecord[]>`
    insert into users (tenant_id, email, name, role, password_hash, capacity)
    values (app_tenant_id(), ${user.email}, ${user.name}, ${user.role}, ${user.passwordHash}, ${user.capacity})
    on conflict (tenant_id, email) do nothing
    returning ${columns(tx)}`;
  return row ?? null;
}

export async function updateUser(
  tx: TransactionSql,
  id: string,
  patch: { role?: Role; name?: string; capacity?: number },
): Promise<UserRecord | null> {
  const [row] = await tx<UserRecord[]>`
    update users set
      role = coalesce(${patch.role ?? null}, role),
      name = coalesce(${patch.name ?? null}, name),
      capacity = coalesce(${patch.capacity ?? null}::integer, capacity),
      updated_at = now()
     where tenant_id = app_tenant_id() and id = ${id}
    returning ${columns(tx)}`;
  return row ?? null;
}

/** Deactivated people keep their history but can no longer sign in, and lose their open work. */
export async function deactivateUser(tx: TransactionSql, id: string): Promise<UserRecord | null> {
  const [row] = await tx<UserRecord[]>`
    update users set deactivated_at = coalesce(deactivated_at, now()), presence = 'offline',
                     presence_changed_at = now(), updated_at = now()
     where tenant_id = app_tenant_id() and id = ${id}
    returning ${columns(tx)}`;
  return row ?? null;
}

/** A purged person (purge-staff.ts) is gone for good: null, as for an unknown id. */
export async function reactivateUser(tx: TransactionSql, id: string): Promise<UserRecord | null> {
  const [row] = await tx<UserRecord[]>`
    update users set deactivated_at = null, updated_at = now()
     where tenant_id = app_tenant_id() and id = ${id} and purged_at is null
    returning ${columns(tx)}`;
  return row ?? null;
}

export async function countAdmins(tx: TransactionSql): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from users where tenant_id = app_tenant_id() and role = 'admin' and deactivated_at is null`;
  return row!.n;
}

export async function setPresence(tx: TransactionSql, id: string, presence: Presence): Promise<UserRecord | null> {
  const [row] = await tx<UserRecord[]>`
    update users set presence = ${presence},
           presence_changed_at = case when presence = ${presence} then presence_changed_at else now() end
     where tenant_id = app_tenant_id() and id = ${id} and deactivated_at is null
    returning ${columns(tx)}`;
  return row ?? null;
}

export async function updatePassword(tx: TransactionSql, id: string, passwordHash: string): Promise<void> {
  await tx`update users set password_hash = ${passwordHash}, updated_at = now() where tenant_id = app_tenant_id() and id = ${id}`;
}

export async function findPasswordHash(tx: TransactionSql, id: string): Promise<string | null> {
  const [row] = await tx<{ passwordHash: string }[]>`select password_hash from users where tenant_id = app_tenant_id() and id = ${id}`;
  return row?.passwordHash ?? null;
}

/** A person's own profile: their name, and their language (null: follow the browser). */
export async function updateProfile(tx: TransactionSql, id: string, patch: { name?: string; language?: Language | null }): Promise<UserRecord | null> {
  const [row] = await tx<UserRecord[]>`
    update users set
      name = coalesce(${patch.name ?? null}, name),
      language = ${patch.language === undefined ? tx`language` : tx`${patch.language}`},
      updated_at = now()
     where tenant_id = app_tenant_id() and id = ${id} and deactivated_at is null
    returning ${columns(tx)}`;
  return row ?? null;
}
