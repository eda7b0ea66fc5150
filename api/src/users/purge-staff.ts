// Purging a staff member: retention does it to people deactivated longer than the tenant's
// staffPurgeDays, and a staff ERASURE privacy request does it on demand. Their sessions, invitations,
// presence, department memberships and two-factor secret and recovery codes are deleted; the users row stays as a tombstone with no name,
// address or password (db/migrations/00042_purged_staff.sql), so the messages and notes they wrote stay
// with their conversations, attributed to "Former agent". Runs in the tenant's scope.
import type { TransactionSql } from '@switchboard/db/connect';
import { recordAudit, type AuditEntry } from '../audit/audit-repository.ts';
import { notifyChanges } from '../pubsub/change-events.ts';
import { requeueAssigneeConversations } from '../routing/assignment-repository.ts';

/** What a purged person is called wherever their work is shown. */
export const FORMER_AGENT = 'Former agent';

export type PurgeOutcome =
  | { purged: true; alreadyPurged: boolean; requeuedDepartments: string[] }
  | { purged: false; reason: 'not_found' | 'last_admin' };

export async function purgeStaffMember(
  tx: TransactionSql,
  tenantId: string,
  userId: string,
  { actor = { kind: 'system' }, reason = 'retention', address = null }: { actor?: AuditEntry['actor']; reason?: 'retention' | 'erasure'; address?: string | null } = {},
): Promise<PurgeOutcome> {
  const [person] = await tx<{ role: string; active: boolean; purged: boolean }[]>`
    select role, deactivated_at is null as active, purged_at is not null as purged
      from users where tenant_id = app_tenant_id() and id = ${userId}
       for update`;
  if (!person) return { purged: false, reason: 'not_found' };
  if (person.purged) return { purged: true, alreadyPurged: true, requeuedDepartments: [] };
  if (person.active && person.role === 'admin') {
    const [admins] = await tx<{ n: number }[]>`
      select count(*)::int as n from users where tenant_id = app_tenant_id() and role = 'admin' and deactivated_at is null`;
    if (admins!.n <= 1) return { purged: false, reason: 'last_admin' };
  }
  // Someone still active (an erasure request) loses their open work first, as deactivation does.
  const requeued = person.active ? await requeueAssigneeConversations(tx, userId) : [];
  await tx`delete from sessions where tenant_id = app_tenant_id() and user_id = ${userId}`;
  await tx`delete from invitations where tenant_id = app_tenant_id() and user_id = ${userId}`;
  await tx`delete from presence_sockets where tenant_id = app_tenant_id() and user_id = ${userId}`;
  await tx`delete from department_members where tenant_id = app_tenant_id() and user_id = ${userId}`;
  await tx`delete from recovery_codes where tenant_id = app_tenant_id() and user_id = ${userId}`;
  await tx`delete from user_totp where tenant_id = app_tenant_id() and user_id = ${userId}`;
  await tx`
    update users
       set name = ${FORMER_AGENT}, email = 'former-' || id || '@purged.invalid', password_hash = null,
           presence = 'offline', presence_changed_at = now(), capacity = 0,
           deactivated_at = coalesce(deactivated_at, now()), purged_at = now(), updated_at = now()
     where tenant_id = app_tenant_id() and id = ${userId}`;
  await recordAudit(tx, tenantId, { action: 'user.purged', actor, address, target: { kind: 'user', id: userId }, detail: { reason } });
  await notifyChanges(tx, tenantId, { conversationIds: requeued.map((c) => c.id), userIds: [userId] });
  return { purged: true, alreadyPurged: false, requeuedDepartments: requeued.flatMap((c) => (c.departmentId ? [c.departmentId] : [])) };
}
