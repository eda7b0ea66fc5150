// An operator creates a tenant: the tenant, its first admin and a default Support department (with the
// admin in it), in one transaction, so a taken email leaves no half-made tenant behind. Without a
// password the admin gets a generated one, returned once to the operator to hand over; only its hash
// is stored.
import { randomBytes } from 'node:crypto';
import type { Sql } from '@switchboard/db/connect';
import { setScope, withPlatform } from '@switchboard/db/tenant';
import { recordChange, type AuditSource } from '../audit/audit-source.ts';
import { insertDepartment, setMembership } from '../routing/department-repository.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { createUser, type ManageResult } from '../users/manage-users.ts';
import type { UserRecord } from '../users/user-repository.ts';
import { insertTenant, type TenantRecord } from './tenant-repository.ts';
import { isUniqueViolation } from '@switchboard/db/errors';

export interface NewTenant {
  name: string;
  admin: { email: string; name: string; password?: string | null };
}

export interface CreatedTenant {
  tenant: TenantRecord;
  admin: UserRecord;
  /** Set only when the password was generated: shown to the operator this once. */
  generatedPassword: string | null;
}

export const DEFAULT_DEPARTMENT_NAME = 'Support';

/** Rolls the transaction back while carrying the reason out. */
class Refused extends Error {
  readonly result: Extract<ManageResult<never>, { ok: false }>;
  constructor(result: Extract<ManageResult<never>, { ok: false }>) {
    super(result.message);
    this.result = result;
  }
}

export async function createTenant(
  sql: Sql,
  input: NewTenant,
  audit?: Omit<AuditSource, 'tenantId'>,
): Promise<ManageResult<CreatedTenant>> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) return { ok: false, code: 'INVALID_INPUT', field: 'name', message: 'Tenant names need 1 to 200 characters.' };
  const generatedPassword = input.admin.password == null ? randomBytes(18).toString('base64url') : null;
  const password = input.admin.password ?? generatedPassword!;
  const problem = passwordProblem(password);
  if (problem) return { ok: false, code: 'INVALID_INPUT', field: 'admin.password', message: problem };
  // Hashing takes tens of milliseconds; it happens before the transaction, not while holding it.
  const passwordHash = await hashPassword(password);
  try {
    const created = await withPlatform(sql, async (tx) => {
      const tenant = await insertTenant(tx, name);
      // Everything else belongs to the new tenant: write it in the tenant's own scope.
      await setScope(tx, { tenantId: tenant.id });
      // The operator path is the one place a password is chosen for someone: the tenant's first admin.
      const admin = await createUser(tx, { email: input.admin.email, name: input.admin.name, role: 'admin' }, { passwordHash });
      if (!admin.ok) throw new Refused(admin.code === 'INVALID_INPUT' ? { ...admin, field: `admin.${admin.field}` } : admin);
      const department = await insertDepartment(tx, { name: DEFAULT_DEPARTMENT_NAME, strategy: 'round_robin', autoAssign: true, isDefault: true });
      await setMembership(tx, department!.id, admin.value.id, true);
      if (audit) {
        const detail = { adminId: admin.value.id, departmentId: department!.id };
        await recordChange(tx, { ...audit, tenantId: tenant.id }, { action: 'tenant.created', target: { kind: 'tenant', id: tenant.id }, detail });
      }
      return { tenant, admin: admin.value };
    });
    return { ok: true, value: { ...created, generatedPassword } };
  } catch (error) {
    if (error instanceof Refused) return error.result;
    // A concurrent sign-up took the email between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, code: 'CONFLICT', message: 'That email address already has an account.' };
    throw error;
  }
}
