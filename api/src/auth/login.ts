// Signing in: take a throttle slot first, then check the password, then a new session; a right password
// gives the slot back. Every way of failing answers the same "email or password is wrong" so the
// response never tells which accounts exist. An email may have an account in several tenants (emails are
// unique per tenant): the password is checked against each, all at once so the time taken hardly
// depends on how many there are, and the first account it opens is the one signed in.
//
// A person with two-factor sign-in on needs a second factor too (auth/two-factor.ts). Without one the
// answer is 'otp_required' and the attempt's slots go back, but not the account's earlier failures; a
// wrong code keeps its slot exactly as a wrong password does; only a whole success forgets failures.
import type { Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { recordAudit } from '../audit/audit-repository.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { Vault } from '../vault/vault.ts';
import { verifyPassword } from './passwords.ts';
import { findLogins, type LoginCandidate } from './session-repository.ts';
import { openSession } from './sessions.ts';
import { useSecondFactor } from './two-factor.ts';

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; principal: { kind: 'user'; tenantId: string; userId: string } | { kind: 'operator'; operatorId: string } }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'otp_required' }
  | { ok: false; reason: 'invalid_otp' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export async function logIn(
  {
    sql,
    vault,
    throttle,
    sessionTtlSeconds,
    onAuditFailure = () => {},
  }: { sql: Sql; vault: Vault; throttle: LoginThrottle; sessionTtlSeconds: number; onAuditFailure?: (error: unknown) => void },
  { email, password, otp = null, address, userAgent }: { email: string; password: string; otp?: string | null; address: string; userAgent: string | null },
): Promise<LoginResult> {
  const normalised = email.trim().toLowerCase();
  const wait = await throttle.take(normalised, address);
  if (wait > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: wait };

  const candidates = normalised.length <= 320 ? await findLogins(sql, normalised) : [];
  const candidate = await firstOpenedBy(candidates, password);
  // A failure keeps the slot it took. Each tenant with an account of that email audits the attempt, after
  // the answer is decided and without waiting for it, so the answer takes no longer for a real account.
  if (!candidate) {
    for (const account of candidates) {
      if (account.kind !== 'user') continue;
      const entry = { action: 'session.sign_in_failed', actor: { kind: 'anonymous' as const }, target: { kind: 'user', id: account.principalId }, address };
      void withTenant(sql, account.tenantId!, (tx) => recordAudit(tx, account.tenantId!, entry)).catch(onAuditFailure);
    }
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (candidate.kind === 'user') {
    const tenantId = candidate.tenantId!;
    const typed = otp?.trim() ?? '';
    const second = await withTenant(sql, tenantId, async (tx) => {
      const outcome = await useSecondFactor(tx, vault, { tenantId, userId: candidate.principalId, typed, address });
      if (outcome === 'refused' && typed !== '') {
        const entry = { action: 'session.sign_in_failed', actor: { kind: 'anonymous' as const }, target: { kind: 'user', id: candidate.principalId }, address, detail: { step: 'second_factor' } };
        await recordAudit(tx, tenantId, entry);
      }
      return outcome;
    });
    if (second === 'refused' && typed === '') {
      await throttle.release(normalised, address);
      return { ok: false, reason: 'otp_required' };
    }
    if (second === 'refused') return { ok: false, reason: 'invalid_otp' };
  }
  await throttle.giveBack(normalised, address);

  const principal =
    candidate.kind === 'operator'
      ? ({ kind: 'operator', operatorId: candidate.principalId } as const)
      : ({ kind: 'user', tenantId: candidate.tenantId!, userId: candidate.principalId } as const);
  const session = await openSession(sql, principal, { ttlSeconds: sessionTtlSeconds, userAgent });
  if (principal.kind === 'user') {
    await withTenant(sql, principal.tenantId, (tx) => recordAudit(tx, principal.tenantId, { action: 'session.signed_in', actor: { kind: 'user', id: principal.userId }, address }));
  }
  return { ok: true, token: session.token, expiresAt: session.expiresAt, principal };
}

/** The first active account the password opens; with no account, a decoy check takes the same time. */
async function firstOpenedBy(candidates: LoginCandidate[], password: string): Promise<LoginCandidate | null> {
  if (candidates.length === 0) {
    await verifyPassword(null, password);
    return null;
  }
  const opened = await Promise.all(candidates.map((c) => verifyPassword(c.passwordHash, password)));
  return candidates.find((c, i) => opened[i] && c.active) ?? null;
}
