// Signing in: take a throttle slot first, then check the password, then a new session; a right password
// gives the slot back. Every way of failing answers the same "email or password is wrong" so the
// response never tells which accounts exist.
import type { Sql } from '@switchboard/db/connect';
import type { LoginThrottle } from './login-throttle.ts';
import { verifyPassword } from './passwords.ts';
import { findLogin } from './session-repository.ts';
import { openSession } from './sessions.ts';

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; principal: { kind: 'user'; tenantId: string; userId: string } | { kind: 'operator'; operatorId: string } }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export async function logIn(
  { sql, throttle, sessionTtlSeconds }: { sql: Sql; throttle: LoginThrottle; sessionTtlSeconds: number },
  { email, password, address, userAgent }: { email: string; password: string; address: string; userAgent: string | null },
): Promise<LoginResult> {
  const normalised = email.trim().toLowerCase();
  const wait = await throttle.take(normalised, address);
  if (wait > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: wait };

  const candidate = normalised.length <= 320 ? await findLogin(sql, normalised) : null;
  const passwordOk = await verifyPassword(candidate?.passwordHash ?? null, password);
  // A failure keeps the slot it took.
  if (!candidate || !passwordOk || !candidate.active) return { ok: false, reason: 'invalid_credentials' };
  await throttle.giveBack(normalised, address);

  const principal =
    candidate.kind === 'operator'
      ? ({ kind: 'operator', operatorId: candidate.principalId } as const)
      : ({ kind: 'user', tenantId: candidate.tenantId!, userId: candidate.principalId } as const);
  const session = await openSession(sql, principal, { ttlSeconds: sessionTtlSeconds, userAgent });
  return { ok: true, token: session.token, expiresAt: session.expiresAt, principal };
}
