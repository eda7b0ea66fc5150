// Invitations: how a person gets their first password, or a new one after losing it. An admin (or a key
// with every scope a person has) creates the person or reissues their invitation and is handed a link;
// the person opens it and sets their own password. A link works once, for 72 hours, and a reissue makes
// the earlier links useless. Accepting ends the person's other sessions and signs them in.
import { randomBytes } from 'node:crypto';
import { resetTwoFactor } from '../auth/two-factor.ts';
import { recordAudit } from '../audit/audit-repository.ts';
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { hashToken } from '@switchboard/db/tokens';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { revokeUserSessions } from '../auth/session-repository.ts';
import { openSession } from '../auth/sessions.ts';
import { findOpenInvitation, replaceInvitation, useInvitation, type OpenInvitation } from './invitation-repository.ts';
import { findUsersByIds, updatePassword } from './user-repository.ts';
import type { ManageResult } from './manage-users.ts';

export const INVITATION_TTL_HOURS = 72;

const TOKEN_PREFIX = 'sbi_';

export interface InvitationLink {
  url: string;
  expiresAt: Date;
}

/** Who issues an invitation: a person of the tenant, or a partner key. */
export type Issuer = { createdBy: string | null; createdByKey: string | null };

/** A new link for a person of the caller's tenant; their earlier links stop working. */
export async function issueInvitation(tx: TransactionSql, userId: string, issuer: Issuer, dashboardUrl: string): Promise<InvitationLink> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + INVITATION_TTL_HOURS * 3600 * 1000);
  await replaceInvitation(tx, { userId, tokenHash: hashToken(token), expiresAt, ...issuer });
  return { url: `${dashboardUrl.replace(/\/+$/, '')}/invite/${token}`, expiresAt };
}

/** For someone who lost their password, or whose first link expired. Not for oneself: that is changePassword. */
export async function reissueInvitation(
  tx: TransactionSql,
  userId: string,
  issuer: Issuer,
  dashboardUrl: string,
): Promise<ManageResult<InvitationLink>> {
  if (userId === issuer.createdBy) return { ok: false, code: 'INVALID_INPUT', field: 'userId', message: 'Change your own password with changePassword.' };
  const [user] = await findUsersByIds(tx, [userId]);
  if (!user) return { ok: false, code: 'NOT_FOUND', message: 'User was not found.' };
  if (user.deactivatedAt) return { ok: false, code: 'CONFLICT', message: 'This person is deactivated; reactivate them first.' };
  return { ok: true, value: await issueInvitation(tx, userId, issuer, dashboardUrl) };
}

const wellFormed = (token: string) => token.startsWith(TOKEN_PREFIX) && token.length <= 100;

/** What the invitee sees before choosing a password; null when the link is unknown, used, replaced or expired. */
export async function describeInvitation(sql: Sql, token: string): Promise<OpenInvitation | null> {
  return wellFormed(token) ? findOpenInvitation(sql, hashToken(token)) : null;
}

export type AcceptResult =
  | { ok: true; token: string; expiresAt: Date; principal: { kind: 'user'; tenantId: string; userId: string } }
  | { ok: false; code: 'INVALID_INVITATION' }
  | { ok: false; code: 'INVALID_INPUT'; field: string; message: string };

export async function acceptInvitation(
  { sql, sessionTtlSeconds }: { sql: Sql; sessionTtlSeconds: number },
  { token, password, userAgent, address = null }: { token: string; password: string; userAgent: string | null; address?: string | null },
): Promise<AcceptResult> {
  const invitation = await describeInvitation(sql, token);
  if (!invitation) return { ok: false, code: 'INVALID_INVITATION' };
  const problem = passwordProblem(password);
  if (problem) return { ok: false, code: 'INVALID_INPUT', field: 'password', message: problem };
  // Hashing takes tens of milliseconds; it happens before the transaction, not while holding it.
  const passwordHash = await hashPassword(password);
  const accepted = await withTenant(sql, invitation.tenantId, async (tx) => {
    // Marking it used is the one step two acceptances race on: only one of them gets past it.
    if (!(await useInvitation(tx, invitation.invitationId))) return false;
    await updatePassword(tx, invitation.userId, passwordHash);
    await revokeUserSessions(tx, invitation.userId);
    const person = { kind: 'user', id: invitation.userId } as const;
    await recordAudit(tx, invitation.tenantId, { action: 'user.invitation_accepted', actor: person, target: person, address });
    // The way back in for someone who lost their phone and their recovery codes: they enrol afresh.
    await resetTwoFactor(tx, invitation.tenantId, invitation.userId, { actor: person, address });
    return true;
  });
  if (!accepted) return { ok: false, code: 'INVALID_INVITATION' };
  const principal = { kind: 'user', tenantId: invitation.tenantId, userId: invitation.userId } as const;
  const session = await openSession(sql, principal, { ttlSeconds: sessionTtlSeconds, userAgent });
  return { ok: true, token: session.token, expiresAt: session.expiresAt, principal };
}
