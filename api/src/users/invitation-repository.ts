// Invitations of people to set their own password. Issuing runs in the tenant's scope; finding one by
// its token runs before any tenant is known, through the SECURITY DEFINER routine of migration 00027.
import type { Sql, TransactionSql } from '@switchboard/db/connect';

export interface OpenInvitation {
  invitationId: string;
  tenantId: string;
  userId: string;
  tenantName: string;
  email: string;
  name: string;
  expiresAt: Date;
}

/** The person's open invitations stop working (a newer one replaces them, or the person is deactivated). */
export async function revokeOpenInvitations(tx: TransactionSql, userId: string): Promise<void> {
  await tx`
    update invitations set revoked_at = now()
     where tenant_id = app_tenant_id() and user_id = ${userId} and used_at is null and revoked_at is null`;
}

/** Replaces the person's open invitations (their links stop working) with a new one. */
export async function replaceInvitation(
  tx: TransactionSql,
  invitation: { userId: string; tokenHash: string; expiresAt: Date; createdBy: string | null; createdByKey: string | null },
): Promise<void> {
  await revokeOpenInvitations(tx, invitation.userId);
  await tx`
    insert into invitations (tenant_id, user_id, token_hash, expires_at, created_by, created_by_key)
    values (app_tenant_id(), ${invitation.userId}, ${invitation.tokenHash}, ${invitation.expiresAt},
            ${invitation.createdBy}, ${invitation.createdByKey})`;
}

/** The invitation a token hash names, while it can still be used; else null. */
export async function findOpenInvitation(sql: Sql, tokenHash: string): Promise<OpenInvitation | null> {
  const [row] = await sql<OpenInvitation[]>`select * from find_invitation(${tokenHash})`;
  return row ?? null;
}

/** Marks the invitation used, if it still can be; false when another acceptance or a reissue came first. */
export async function useInvitation(tx: TransactionSql, invitationId: string): Promise<boolean> {
  const rows = await tx`
    update invitations set used_at = now()
     where tenant_id = app_tenant_id() and id = ${invitationId}
       and used_at is null and revoked_at is null and expires_at > now()
    returning id`;
  return rows.length > 0;
}
