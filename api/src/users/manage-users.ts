// Admin work on people: create, change, deactivate. A new person has no password: they set their own
// through an invitation (invitations.ts). Deactivation ends the person's sessions and puts their open
// conversations back in the queue so customers are not left with nobody.
import type { TransactionSql } from '@switchboard/db/connect';
import type { Role } from '../context.ts';
import { revokeUserSessions } from '../auth/session-repository.ts';
import { notifyChanges } from '../pubsub/change-events.ts';
import { requeueAssigneeConversations } from '../routing/assignment-repository.ts';
import { revokeOpenInvitations } from './invitation-repository.ts';
import { countAdmins, deactivateUser, insertUser, updateProfile, updateUser, findUsersByIds, type Language, type UserRecord } from './user-repository.ts';

export type ManageResult<T> = { ok: true; value: T } | { ok: false; code: 'INVALID_INPUT'; field: string; message: string } | { ok: false; code: 'CONFLICT' | 'NOT_FOUND'; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A name (trimmed) a person may have, or why not. */
function refuseName(name: string): ManageResult<never> | null {
  return name.length < 1 || name.length > 120 ? { ok: false, code: 'INVALID_INPUT', field: 'name', message: 'Names need 1 to 120 characters.' } : null;
}

/**
 * Adds a person without a password. Only an operator creating a tenant gives its first admin one
 * (`passwordHash`); everyone else is invited.
 */
export async function createUser(
  tx: TransactionSql,
  input: { email: string; name: string; role: Role; capacity?: number | null },
  { passwordHash = null }: { passwordHash?: string | null } = {},
): Promise<ManageResult<UserRecord>> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 320) return { ok: false, code: 'INVALID_INPUT', field: 'email', message: 'Enter a valid email address.' };
  const name = input.name.trim();
  const badName = refuseName(name);
  if (badName) return badName;
  const capacity = input.capacity ?? 5;
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 1000) return { ok: false, code: 'INVALID_INPUT', field: 'capacity', message: 'Capacity must be between 0 and 1000.' };
  const user = await insertUser(tx, { email, name, role: input.role, passwordHash, capacity });
  return user ? { ok: true, value: user } : { ok: false, code: 'CONFLICT', message: 'That email address already has an account.' };
}

export async function changeUser(
  tx: TransactionSql,
  id: string,
  patch: { role?: Role | null; name?: string | null; capacity?: number | null },
): Promise<ManageResult<UserRecord>> {
  const [current] = await findUsersByIds(tx, [id]);
  if (!current) return { ok: false, code: 'NOT_FOUND', message: 'User was not found.' };
  if (patch.capacity != null && (!Number.isInteger(patch.capacity) || patch.capacity < 0 || patch.capacity > 1000))
    return { ok: false, code: 'INVALID_INPUT', field: 'capacity', message: 'Capacity must be between 0 and 1000.' };
  const badName = patch.name != null ? refuseName(patch.name.trim()) : null;
  if (badName) return badName;
  if (current.role === 'admin' && patch.role && patch.role !== 'admin' && !current.deactivatedAt && (await countAdmins(tx)) <= 1)
    return { ok: false, code: 'CONFLICT', message: 'A tenant needs at least one admin; make someone else admin first.' };
  const updated = await updateUser(tx, id, { role: patch.role ?? undefined, name: patch.name?.trim() ?? undefined, capacity: patch.capacity ?? undefined });
  return { ok: true, value: updated! };
}

/** A person's own profile: their name (left out: kept) and language (null: follow the browser; left out: kept). */
export async function changeProfile(tx: TransactionSql, id: string, patch: { name?: string | null; language?: Language | null }): Promise<ManageResult<UserRecord>> {
  const name = patch.name?.trim();
  const badName = name != null ? refuseName(name) : null;
  if (badName) return badName;
  const updated = await updateProfile(tx, id, { name, language: patch.language });
  return updated ? { ok: true, value: updated } : { ok: false, code: 'NOT_FOUND', message: 'User was not found.' };
}

export async function deactivate(tx: TransactionSql, id: string, app: { by: string | null; tenantId: string }): Promise<ManageResult<{ user: UserRecord; requeuedDepartments: string[] }>> {
  const [current] = await findUsersByIds(tx, [id]);
  if (!current) return { ok: false, code: 'NOT_FOUND', message: 'User was not found.' };
  if (id === app.by) return { ok: false, code: 'CONFLICT', message: 'You cannot deactivate yourself.' };
  if (current.role === 'admin' && !current.deactivatedAt && (await countAdmins(tx)) <= 1)
    return { ok: false, code: 'CONFLICT', message: 'A tenant needs at least one admin.' };
  const user = await deactivateUser(tx, id);
  await revokeUserSessions(tx, id);
  // A link handed out before stays dead even if they are reactivated: reactivation then needs a new one.
  await revokeOpenInvitations(tx, id);
  const requeued = await requeueAssigneeConversations(tx, id);
  await notifyChanges(tx, app.tenantId, { conversationIds: requeued.map((c) => c.id), userIds: [id] });
  return { ok: true, value: { user: user!, requeuedDepartments: requeued.flatMap((c) => (c.departmentId ? [c.departmentId] : [])) } };
}
