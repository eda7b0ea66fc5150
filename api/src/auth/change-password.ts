// Changing one's own password: throttled like sign-in (to whoever holds a stolen session, the current
// password is the secret left to guess), then every other session of the person ends and the one making
// the change stays signed in. Nobody sets another person's password: a person who lost theirs gets a new
// invitation (users/invitations.ts).
import type { Sql } from '@switchboard/db/connect';
import { withScope, type DbScope } from '@switchboard/db/tenant';
import { recordAudit } from '../audit/audit-repository.ts';
import { findPasswordHash, findUsersByIds, updatePassword } from '../users/user-repository.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { revokeUserSessions } from './session-repository.ts';

export type PasswordResult =
  | { ok: true; endedSessions: number }
  | { ok: false; code: 'INVALID_CREDENTIALS' }
  | { ok: false; code: 'TOO_MANY_ATTEMPTS'; retryAfterSeconds: number }
  | { ok: false; code: 'INVALID_INPUT'; field: string; message: string };

export async function changeOwnPassword(
  { sql, throttle }: { sql: Sql; throttle: LoginThrottle },
  person: DbScope & { userId: string; sessionId: string },
  { currentPassword, newPassword, address }: { currentPassword: string; newPassword: string; address: string },
): Promise<PasswordResult> {
  const account = await withScope(sql, person, async (tx) => {
    const [user] = await findUsersByIds(tx, [person.userId]);
    const passwordHash = await findPasswordHash(tx, person.userId);
    return user && !user.deactivatedAt && passwordHash ? { email: user.email, passwordHash } : null;
  });
  if (!account) return { ok: false, code: 'INVALID_CREDENTIALS' };
  const problem = passwordProblem(newPassword);
  if (problem) return { ok: false, code: 'INVALID_INPUT', field: 'newPassword', message: problem };
  // The slot is taken before the check, so parallel guesses cannot all pass it (login-throttle.ts).
  const wait = await throttle.take(account.email, address);
  if (wait > 0) return { ok: false, code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: wait };

  if (!(await verifyPassword(account.passwordHash, currentPassword))) return { ok: false, code: 'INVALID_CREDENTIALS' };
  await throttle.giveBack(account.email, address);
  if (newPassword === currentPassword) return { ok: false, code: 'INVALID_INPUT', field: 'newPassword', message: 'Choose a password different from the current one.' };

  // Hashing takes tens of milliseconds; it happens before the transaction, not while holding it.
  const passwordHash = await hashPassword(newPassword);
  const endedSessions = await withScope(sql, person, async (tx) => {
    await updatePassword(tx, person.userId, passwordHash);
    const ended = await revokeUserSessions(tx, person.userId, { except: person.sessionId });
    const entry = { action: 'user.password_changed', actor: { kind: 'user', id: person.userId }, target: { kind: 'user', id: person.userId }, address, detail: { endedSessions: ended } } as const;
    await recordAudit(tx, person.tenantId, entry);
    return ended;
  });
  return { ok: true, endedSessions };
}
