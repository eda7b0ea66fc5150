// SQL for two-factor sign-in (db/migrations/00071_two_factor.sql): a person's sealed TOTP secret and the
// hashes of their recovery codes. Runs in the person's tenant scope.
import type { TransactionSql } from '@switchboard/db/connect';

export interface TotpRow {
  secretSealed: string;
  enabledAt: Date | null;
  lastUsedStep: number | null;
}

export async function findTotp(tx: TransactionSql, userId: string): Promise<TotpRow | null> {
  const [row] = await tx<{ secretSealed: string; enabledAt: Date | null; lastUsedStep: string | null }[]>`
    select secret_sealed, enabled_at, last_used_step from user_totp
     where tenant_id = app_tenant_id() and user_id = ${userId}`;
  return row ? { ...row, lastUsedStep: row.lastUsedStep === null ? null : Number(row.lastUsedStep) } : null;
}

/** A new pending enrolment, replacing a pending one; null when two-factor sign-in is already on. */
export async function upsertPendingTotp(tx: TransactionSql, userId: string, sealed: { value: string; keyId: string }): Promise<boolean> {
  const rows = await tx`
    insert into user_totp (tenant_id, user_id, secret_sealed, secret_key_id)
    values (app_tenant_id(), ${userId}, ${sealed.value}, ${sealed.keyId})
    on conflict (tenant_id, user_id) do update
       set secret_sealed = excluded.secret_sealed, secret_key_id = excluded.secret_key_id,
           last_used_step = null, created_at = now()
     where user_totp.enabled_at is null
    returning user_id`;
  return rows.length > 0;
}

/**
 * Compare-and-set of the last step used: true when `step` is later than any step used before, so of
 * two requests with the same code only one gets through. `enable` also turns the enrolment on.
 */
export async function useTotpStep(tx: TransactionSql, userId: string, step: number, { enable = false } = {}): Promise<boolean> {
  const rows = await tx`
    update user_totp
       set last_used_step = ${step}, enabled_at = ${enable ? tx`coalesce(enabled_at, now())` : tx`enabled_at`}
     where tenant_id = app_tenant_id() and user_id = ${userId}
       and ${enable ? tx`enabled_at is null` : tx`enabled_at is not null`}
       and (last_used_step is null or last_used_step < ${step})
    returning user_id`;
  return rows.length > 0;
}

/** Forgets the person's secret and recovery codes; true when two-factor sign-in was on. */
export async function deleteTotp(tx: TransactionSql, userId: string): Promise<boolean> {
  await tx`delete from recovery_codes where tenant_id = app_tenant_id() and user_id = ${userId}`;
  const rows = await tx<{ enabled: boolean }[]>`
    delete from user_totp where tenant_id = app_tenant_id() and user_id = ${userId} returning enabled_at is not null as enabled`;
  return rows[0]?.enabled ?? false;
}

/** The person's recovery codes become these (hashes), one multi-row insert. */
export async function replaceRecoveryCodes(tx: TransactionSql, userId: string, hashes: string[]): Promise<void> {
  await tx`delete from recovery_codes where tenant_id = app_tenant_id() and user_id = ${userId}`;
  await tx`
    insert into recovery_codes (tenant_id, user_id, code_hash)
    select app_tenant_id(), ${userId}, unnest(${hashes}::text[])`;
}

/** Marks one unused code used; of two parallel uses one wins. Answers the codes left, or null when it did not match. */
export async function useRecoveryCode(tx: TransactionSql, userId: string, codeHash: string): Promise<number | null> {
  const used = await tx`
    update recovery_codes set used_at = now()
     where tenant_id = app_tenant_id() and user_id = ${userId} and code_hash = ${codeHash} and used_at is null
    returning id`;
  if (used.length === 0) return null;
  const [left] = await tx<{ n: number }[]>`
    select count(*)::int as n from recovery_codes where tenant_id = app_tenant_id() and user_id = ${userId} and used_at is null`;
  return left!.n;
}

export async function findTenantRequiresTwoFactor(tx: TransactionSql): Promise<boolean> {
  const [row] = await tx<{ required: boolean }[]>`select require_two_factor as required from tenants where id = app_tenant_id()`;
  return row?.required ?? false;
}
