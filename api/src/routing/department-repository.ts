// Departments (teams) and who belongs to them.
import type { TransactionSql } from '@switchboard/db/connect';

export type Strategy = 'round_robin' | 'balanced';

export interface DepartmentRecord {
  id: string;
  name: string;
  strategy: Strategy;
  autoAssign: boolean;
  isDefault: boolean;
  createdAt: Date;
}

const columns = (tx: TransactionSql) => tx`id, name, strategy, auto_assign, is_default, created_at`;

export function findDepartmentsByIds(tx: TransactionSql, ids: string[]): Promise<DepartmentRecord[]> {
  return tx<DepartmentRecord[]>`select ${columns(tx)} from departments where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}

export function listDepartments(tx: TransactionSql): Promise<DepartmentRecord[]> {
  return tx<DepartmentRecord[]>`select ${columns(tx)} from departments where tenant_id = app_tenant_id() order by lower(name), id`;
}

/** Null when the name is taken. */
export async function insertDepartment(
  tx: TransactionSql,
  d: { name: string; strategy: Strategy; autoAssign: boolean; isDefault: boolean },
): Promise<DepartmentRecord | null> {
  if (d.isDefault) await tx`update departments set is_default = false where tenant_id = app_tenant_id() and is_default`;
  const [row] = await tx<DepartmentRecord[]>`
    insert into departments (tenant_id, name, strategy, auto_assign, is_default)
    values (app_tenant_id(), ${d.name}, ${d.strategy}, ${d.autoAssign}, ${d.isDefault})
    on conflict (tenant_id, name) do nothing
    returning ${columns(tx)}`;
  return row ?? null;
}

export async function updateDepartment(
  tx: TransactionSql,
  id: string,
  patch: { name?: string; strategy?: Strategy; autoAssign?: boolean; isDefault?: boolean },
): Promise<DepartmentRecord | null> {
  if (patch.isDefault) await tx`update departments set is_default = false where tenant_id = app_tenant_id() and is_default and id <> ${id}`;
  const [row] = await tx<DepartmentRecord[]>`
    update departments set
      name = coalesce(${patch.name ?? null}, name),
      strategy = coalesce(${patch.strategy ?? null}, strategy),
      auto_assign = coalesce(${patch.autoAssign ?? null}::boolean, auto_assign),
      is_default = coalesce(${patch.isDefault ?? null}::boolean, is_default)
     where tenant_id = app_tenant_id() and id = ${id}
    returning ${columns(tx)}`;
  return row ?? null;
}

/**
 * Adds or removes a membership. 'changed' when a row was written or deleted, 'unchanged' when it already
 * was so, null when the department or the person is not this tenant's (nothing happens, nothing to audit).
 */
export async function setMembership(tx: TransactionSql, departmentId: string, userId: string, member: boolean): Promise<'changed' | 'unchanged' | null> {
  const changed = member
    ? await tx`
        insert into department_members (tenant_id, department_id, user_id)
        select app_tenant_id(), d.id, u.id from departments d, users u
         where d.tenant_id = app_tenant_id() and d.id = ${departmentId} and u.tenant_id = app_tenant_id() and u.id = ${userId}
        on conflict do nothing
        returning user_id`
    : await tx`
        delete from department_members where tenant_id = app_tenant_id() and department_id = ${departmentId} and user_id = ${userId}
        returning user_id`;
  if (changed.length > 0) return 'changed';
  const [both] = await tx`
    select 1 from departments d, users u
     where d.tenant_id = app_tenant_id() and d.id = ${departmentId} and u.tenant_id = app_tenant_id() and u.id = ${userId}`;
  return both ? 'unchanged' : null;
}

export function listMemberIds(tx: TransactionSql, departmentId: string): Promise<{ userId: string }[]> {
  return tx<{ userId: string }[]>`
    select m.user_id from department_members m join users u on u.tenant_id = m.tenant_id and u.id = m.user_id
     where m.tenant_id = app_tenant_id() and m.department_id = ${departmentId} order by lower(u.name), u.id`;
}
