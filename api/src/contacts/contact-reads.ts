// Reads of contacts for the API.
import type { TransactionSql } from '@switchboard/db/connect';

export interface ContactRecord {
  id: string;
  displayName: string | null;
  waId: string | null;
  userId: string | null;
  parentUserId: string | null;
  optedOut: boolean;
  marketingOptOut: boolean;
}

export async function findContactsByIds(tx: TransactionSql, ids: string[]): Promise<ContactRecord[]> {
  if (ids.length === 0) return [];
  return tx<ContactRecord[]>`
    select id, display_name, wa_id, user_id, parent_user_id, opted_out, marketing_opt_out
      from contacts
     where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}
