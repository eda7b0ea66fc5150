// A tenant's WhatsApp numbers and their accounts as onboarding writes them and admins tune them. Runs
// in the tenant's scope; tokens are written only through account-token.ts and never read here.
import type { TransactionSql } from '@switchboard/db/connect';

export type NumberStatus = 'pending_registration' | 'connected' | 'needs_reauthorisation' | 'disconnected';

export interface PhoneNumberRecord {
  id: string;
  tenantId: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string | null;
  status: NumberStatus;
  statusReason: string | null;
  qualityRating: string | null;
  throughputPerSecond: number;
  defaultDepartmentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const columns = (tx: TransactionSql) => tx`
  id, tenant_id, waba_id, phone_number_id, display_phone_number, verified_name, status, status_reason,
  quality_rating, throughput_per_second, default_department_id, created_at, updated_at`;

export function listPhoneNumbers(tx: TransactionSql): Promise<PhoneNumberRecord[]> {
  return tx<PhoneNumberRecord[]>`
    select ${columns(tx)} from phone_numbers where tenant_id = app_tenant_id() order by display_phone_number, id`;
}

export function findPhoneNumbersByIds(tx: TransactionSql, ids: string[]): Promise<PhoneNumberRecord[]> {
  return tx<PhoneNumberRecord[]>`
    select ${columns(tx)} from phone_numbers where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}

/** Which tenants hold this WABA and this number, if any (routing functions: they reveal only the owner). */
export async function findOwners(tx: TransactionSql, wabaId: string, phoneNumberId: string): Promise<{ waba: string | null; number: string | null }> {
  const [waba] = await tx<{ tenantId: string }[]>`select tenant_id from route_wabas(${[wabaId]}::text[])`;
  const [number] = await tx<{ tenantId: string }[]>`select tenant_id from route_phone_numbers(${[phoneNumberId]}::text[])`;
  return { waba: waba?.tenantId ?? null, number: number?.tenantId ?? null };
}

/** The stored business token of the tenant's WABA, sealed, for a retry without a new signup code. */
export async function findSealedAccountToken(tx: TransactionSql, wabaId: string): Promise<{ accountId: string; sealed: string } | null> {
  const [row] = await tx<{ accountId: string; sealed: string | null }[]>`
    select id as account_id, access_token_sealed as sealed from whatsapp_accounts
     where tenant_id = app_tenant_id() and waba_id = ${wabaId}`;
  return row?.sealed ? { accountId: row.accountId, sealed: row.sealed } : null;
}

export async function saveAccount(tx: TransactionSql, { wabaId, businessId }: { wabaId: string; businessId: string | null }): Promise<void> {
  await tx`
    insert into whatsapp_accounts (tenant_id, waba_id, business_id)
    values (app_tenant_id(), ${wabaId}, ${businessId})
    on conflict (tenant_id, waba_id) do update
       set business_id = coalesce(excluded.business_id, whatsapp_accounts.business_id), updated_at = now()`;
}

export interface NumberDetails {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string | null;
  qualityRating: string | null;
  throughputPerSecond: number;
}

/**
 * Records what Meta says about the number. A number not yet connected waits as pending_registration
 * with `reason`; a connected one stays connected while it is connected again.
 */
export async function savePendingNumber(tx: TransactionSql, number: NumberDetails, reason: string): Promise<void> {
  await tx`
    insert into phone_numbers as p (tenant_id, waba_id, phone_number_id, display_phone_number, verified_name,
                                    quality_rating, throughput_per_second, status, status_reason)
    values (app_tenant_id(), ${number.wabaId}, ${number.phoneNumberId}, ${number.displayPhoneNumber}, ${number.verifiedName},
            ${number.qualityRating}, ${number.throughputPerSecond}, 'pending_registration', ${reason})
    on conflict (tenant_id, phone_number_id) do update
       set waba_id = excluded.waba_id,
           display_phone_number = excluded.display_phone_number,
           verified_name = coalesce(excluded.verified_name, p.verified_name),
           quality_rating = coalesce(excluded.quality_rating, p.quality_rating),
           throughput_per_second = excluded.throughput_per_second,
           status = case when p.status = 'connected' then p.status else 'pending_registration' end,
           status_reason = case when p.status = 'connected' then p.status_reason else excluded.status_reason end,
           updated_at = now()`;
}

/** Why a number that is not connected is still waiting; a connected number keeps its state. */
export async function recordPendingReason(tx: TransactionSql, phoneNumberId: string, reason: string): Promise<void> {
  await tx`
    update phone_numbers set status_reason = ${reason}, updated_at = now()
     where tenant_id = app_tenant_id() and phone_number_id = ${phoneNumberId} and status = 'pending_registration'`;
}

/**
 * A fresh business token answers for the whole WABA: its numbers that were waiting only for
 * re-authorisation (Meta refused the old token) work again.
 */
export async function clearReauthorisation(tx: TransactionSql, wabaId: string): Promise<void> {
  await tx`
    update phone_numbers set status = 'connected', status_reason = null, updated_at = now()
     where tenant_id = app_tenant_id() and waba_id = ${wabaId} and status = 'needs_reauthorisation'`;
}

/** Connected: new conversations on it land in the tenant's default department unless one is set. */
export async function markConnected(tx: TransactionSql, phoneNumberId: string): Promise<PhoneNumberRecord> {
  const [row] = await tx<PhoneNumberRecord[]>`
    update phone_numbers
       set status = 'connected', status_reason = null, updated_at = now(),
           default_department_id = coalesce(default_department_id,
             (select d.id from departments d where d.tenant_id = app_tenant_id() and d.is_default))
     where tenant_id = app_tenant_id() and phone_number_id = ${phoneNumberId}
    returning ${columns(tx)}`;
  return row!;
}

/** `defaultDepartmentId`: undefined leaves it, null clears it. Null when the number is not the tenant's. */
export async function updateNumberSettings(
  tx: TransactionSql,
  id: string,
  patch: { throughputPerSecond?: number; defaultDepartmentId?: string | null },
): Promise<PhoneNumberRecord | null> {
  const [row] = await tx<PhoneNumberRecord[]>`
    update phone_numbers set
      throughput_per_second = coalesce(${patch.throughputPerSecond ?? null}::integer, throughput_per_second),
      default_department_id = case when ${patch.defaultDepartmentId !== undefined} then ${patch.defaultDepartmentId ?? null}::uuid
                                   else default_department_id end,
      updated_at = now()
     where tenant_id = app_tenant_id() and id = ${id}
    returning ${columns(tx)}`;
  return row ?? null;
}
