// Sessions: random tokens of which only a SHA-256 is stored. Creation and lookup happen before a
// tenant scope exists, through the SECURITY DEFINER routines of migration 00016 or the platform scope.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import type { Role } from '../context.ts';

export interface LoginCandidate {
  kind: 'user' | 'operator';
  tenantId: string | null;
  principalId: string;
  /** Null for a person who has not accepted their invitation yet: no password matches. */
  passwordHash: string | null;
  active: boolean;
}

/** Every account signing in with this email: one per tenant at most, and an operator's (oldest first). */
export function findLogins(sql: Sql, email: string): Promise<LoginCandidate[]> {
  return sql<LoginCandidate[]>`select * from find_login(${email})`;
}

export interface SessionRow {
  sessionId: string;
  tenantId: string | null;
  userId: string | null;
  operatorId: string | null;
  role: Role | 'operator';
  expiresAt: Date;
}

export async function authenticateSessionHash(sql: Sql, tokenHash: string): Promise<SessionRow | null> {
  const [row] = await sql<SessionRow[]>`select * from authenticate_session(${tokenHash})`;
  return row ?? null;
}

export async function insertSession(
  tx: TransactionSql,
  session: { tokenHash: string; tenantId: string | null; userId: string | null; operatorId: string | null; expiresAt: Date; userAgent: string | null },
): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into sessions (token_hash, tenant_id, user_id, operator_id, expires_at, user_agent)
    values (${session.tokenHash}, ${session.tenantId}, ${session.userId}, ${session.operatorId},
            ${session.expiresAt}, ${session.userAgent})
    returning id`;
  return row!.id;
}

export async function revokeSessionById(tx: TransactionSql, sessionId: string): Promise<boolean> {
  const rows = await tx`
    update sessions set revoked_at = now() where id = ${sessionId} and revoked_at is null returning id`;
  return rows.length > 0;
}

/** Ends one session of a person, if it is theirs and still open. */
export async function revokeUserSession(tx: TransactionSql, userId: string, sessionId: string): Promise<boolean> {
  const rows = await tx`
    update sessions set revoked_at = now()
     where tenant_id = app_tenant_id() and user_id = ${userId} and id = ${sessionId}
       and revoked_at is null and expires_at > now()
    returning id`;
  return rows.length > 0;
}

/** Ends every session of a person (deactivation, password change, "sign out everywhere"). */
export async function revokeUserSessions(tx: TransactionSql, userId: string, { except }: { except?: string } = {}): Promise<number> {
  const rows = await tx`
    update sessions set revoked_at = now()
     where tenant_id = app_tenant_id() and user_id = ${userId} and revoked_at is null
       and id <> ${except ?? '00000000-0000-0000-0000-000000000000'}
    returning id`;
  return rows.length;
}

export interface ActiveSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
}

export function listUserSessions(tx: TransactionSql, userId: string): Promise<ActiveSession[]> {
  return tx<ActiveSession[]>`
    select id, created_at, last_seen_at, expires_at, user_agent from sessions
     where tenant_id = app_tenant_id() and user_id = ${userId} and revoked_at is null and expires_at > now()
     order by created_at desc`;
}
