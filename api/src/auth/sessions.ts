// Session tokens and the cookie that carries them. The cookie is HttpOnly (scripts cannot read it),
// SameSite=Strict (other sites cannot make the browser send it) and Secure outside development.
import { randomBytes } from 'node:crypto';
import { hashToken } from '@switchboard/db/tokens';
import type { Sql } from '@switchboard/db/connect';
import { withPlatform, withTenant } from '@switchboard/db/tenant';
import { parseCookie, stringifySetCookie } from 'cookie';
import { recordAudit } from '../audit/audit-repository.ts';
import type { Viewer } from '../context.ts';
import { authenticateSessionHash, insertSession, revokeSessionById } from './session-repository.ts';

export const SESSION_COOKIE = 'sb_session';

export interface SessionSettings {
  ttlSeconds: number;
  secureCookie: boolean;
}

export async function openSession(
  sql: Sql,
  principal: { kind: 'user'; tenantId: string; userId: string } | { kind: 'operator'; operatorId: string },
  { ttlSeconds, userAgent }: { ttlSeconds: number; userAgent: string | null },
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = `sbs_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const row = {
    tokenHash: hashToken(token),
    expiresAt,
    userAgent: userAgent?.slice(0, 300) ?? null,
    tenantId: principal.kind === 'user' ? principal.tenantId : null,
    userId: principal.kind === 'user' ? principal.userId : null,
    operatorId: principal.kind === 'operator' ? principal.operatorId : null,
  };
  const sessionId =
    principal.kind === 'user'
      ? await withTenant(sql, principal.tenantId, (tx) => insertSession(tx, row))
      : await withPlatform(sql, (tx) => insertSession(tx, row));
  return { token, sessionId, expiresAt };
}

export async function authenticateSession(sql: Sql, token: string | null): Promise<Viewer | null> {
  if (!token || !token.startsWith('sbs_') || token.length > 100) return null;
  const row = await authenticateSessionHash(sql, hashToken(token));
  if (!row) return null;
  if (row.operatorId) return { kind: 'operator', operatorId: row.operatorId, sessionId: row.sessionId };
  if (!row.tenantId || !row.userId || row.role === 'operator') return null;
  return { kind: 'user', tenantId: row.tenantId, userId: row.userId, role: row.role, sessionId: row.sessionId };
}

/** Signs out; a person's sign-out goes into their tenant's audit log with the address it came from. */
export async function closeSession(sql: Sql, viewer: Viewer, { address = null }: { address?: string | null } = {}): Promise<void> {
  if (viewer.kind === 'user') {
    await withTenant(sql, viewer.tenantId, async (tx) => {
      if (!(await revokeSessionById(tx, viewer.sessionId))) return;
      await recordAudit(tx, viewer.tenantId, { action: 'session.signed_out', actor: { kind: 'user', id: viewer.userId }, target: { kind: 'session', id: viewer.sessionId }, address });
    });
  }
  else if (viewer.kind === 'operator') await withPlatform(sql, (tx) => revokeSessionById(tx, viewer.sessionId));
}

export function sessionTokenFromCookieHeader(header: string | null | undefined): string | null {
  if (!header) return null;
  return parseCookie(header)[SESSION_COOKIE] ?? null;
}

export function sessionCookie(token: string, expiresAt: Date, { secureCookie }: Pick<SessionSettings, 'secureCookie'>): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: 'strict', secure: secureCookie, path: '/', expires: expiresAt });
}

export function clearedSessionCookie({ secureCookie }: Pick<SessionSettings, 'secureCookie'>): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: '', httpOnly: true, sameSite: 'strict', secure: secureCookie, path: '/', expires: new Date(0) });
}
