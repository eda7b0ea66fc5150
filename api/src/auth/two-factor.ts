// Two-factor sign-in with TOTP (RFC 6238, through otplib: 6 digits, 30-second steps, SHA-1, which every
// authenticator app reads from the otpauth URI) and ten single-use recovery codes.
//
// - The secret is sealed by the vault with the row's identity as authenticated data, and leaves the api
//   only once, inside the otpauth URI that startTotpEnrolment answers. Enrolment is pending until a
//   code from the app confirms it.
// - A code is accepted one step either side of now (phones' clocks drift) and never twice: the step of
//   the last code used is kept, and only a later step passes (compare-and-set, so parallel requests with
//   one code cannot both pass).
// - Recovery codes are 80 random bits each, shown once, stored as SHA-256 like session tokens and keys
//   (a slow password hash adds nothing against guessing 80 bits, and would cost ten argon2 runs a
//   sign-in); using one marks it used in the same statement that checks it.
import { randomBytes } from 'node:crypto';
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withScope, withTenant, type DbScope } from '@switchboard/db/tenant';
import { hashToken } from '@switchboard/db/tokens';
import { generateSecret, generateURI, verify } from 'otplib';
import { recordAudit, type AuditEntry } from '../audit/audit-repository.ts';
import type { DomainResult } from '../schema/errors.ts';
import { findUsersByIds } from '../users/user-repository.ts';
import type { Vault } from '../vault/vault.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { deleteTotp, findTotp, replaceRecoveryCodes, upsertPendingTotp, useRecoveryCode, useTotpStep } from './totp-repository.ts';

export const TOTP_ISSUER = 'Switchboard';
export const RECOVERY_CODE_COUNT = 10;
/** One 30-second step either side of the server's clock. */
const TOLERANCE_SECONDS = 30;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Binds a sealed secret to its row: copied into another person's row, it does not open. */
export const totpAad = (tenantId: string, userId: string) => `user_totp:${tenantId}:${userId}`;

export type SecondFactor = { kind: 'totp'; code: string } | { kind: 'recovery'; hash: string };

/** What is stored of a recovery code (16 base32 characters, lower case, no dashes). */
const recoveryHash = (compact: string) => hashToken(`recovery:${compact}`);

/** What was typed: six digits, a recovery code (any case, with or without dashes and spaces), or neither. */
export function readSecondFactor(typed: string): SecondFactor | null {
  const compact = typed.replace(/[\s-]/g, '').toLowerCase();
  if (/^\d{6}$/.test(compact)) return { kind: 'totp', code: compact };
  if (/^[a-z2-7]{16}$/.test(compact)) return { kind: 'recovery', hash: recoveryHash(compact) };
  return null;
}

/** 16 base32 characters (80 bits), shown as four groups of four. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** The step of a valid, unused code, or null. */
async function acceptedStep(secret: string, code: string, lastUsedStep: number | null): Promise<number | null> {
  try {
    const result = await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS, afterTimeStep: lastUsedStep ?? undefined });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    // otplib refuses an afterTimeStep past the window (a clock set back since): no code passes then.
    return null;
  }
}

type Person = DbScope & { userId: string };
const self = (person: Person) => ({ kind: 'user', id: person.userId }) as const;

/** A new secret, sealed and pending, and its otpauth URI; refused while two-factor sign-in is on. */
export async function startTotpEnrolment({ sql, vault }: { sql: Sql; vault: Vault }, person: Person): Promise<DomainResult<string>> {
  return withScope(sql, person, async (tx) => {
    const [user] = await findUsersByIds(tx, [person.userId]);
    if (!user) return { ok: false, code: 'NOT_FOUND', message: 'User was not found.' };
    const secret = generateSecret();
    const sealed = { value: vault.seal(secret, totpAad(person.tenantId, person.userId)), keyId: vault.currentKeyId };
    if (!(await upsertPendingTotp(tx, person.userId, sealed))) {
      return { ok: false, code: 'TOTP_ALREADY_ENABLED', message: 'Two-factor sign-in is already on. Turn it off first to enrol a new app.' };
    }
    return { ok: true, value: generateURI({ issuer: TOTP_ISSUER, label: user.email, secret }) };
  });
}

/** A code from the app turns the pending enrolment on; the answer is the ten recovery codes, this once. */
export async function confirmTotpEnrolment(
  { sql, vault }: { sql: Sql; vault: Vault },
  person: Person,
  { code, address }: { code: string; address: string | null },
): Promise<DomainResult<string[]>> {
  return withScope(sql, person, async (tx) => {
    const row = await findTotp(tx, person.userId);
    if (!row || row.enabledAt) return { ok: false, code: 'NO_ENROLMENT_STARTED', message: 'Start enrolling first (startTotpEnrolment).' };
    const factor = readSecondFactor(code);
    const secret = vault.open(row.secretSealed, totpAad(person.tenantId, person.userId));
    const step = factor?.kind === 'totp' ? await acceptedStep(secret, factor.code, row.lastUsedStep) : null;
    if (step === null || !(await useTotpStep(tx, person.userId, step, { enable: true }))) return invalidCode();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await replaceRecoveryCodes(tx, person.userId, codes.map((code) => recoveryHash(code.replaceAll('-', ''))));
    await recordAudit(tx, person.tenantId, { action: 'user.totp_enabled', actor: self(person), target: self(person), address });
    return { ok: true, value: codes };
  });
}

const invalidCode = () => ({ ok: false, code: 'INVALID_OTP', message: 'The code is wrong, expired or was already used.' }) as const;

/**
 * Checks a second factor of an enrolled person inside their tenant scope, using it up: a TOTP step or a
 * recovery code (audited, with how many are left). 'not_enrolled' when two-factor sign-in is off.
 */
export async function useSecondFactor(
  tx: TransactionSql,
  vault: Vault,
  { tenantId, userId, typed, address }: { tenantId: string; userId: string; typed: string; address: string | null },
): Promise<'not_enrolled' | 'accepted' | 'refused'> {
  const row = await findTotp(tx, userId);
  if (!row?.enabledAt) return 'not_enrolled';
  const factor = readSecondFactor(typed);
  if (!factor) return 'refused';
  if (factor.kind === 'recovery') {
    const left = await useRecoveryCode(tx, userId, factor.hash);
    if (left === null) return 'refused';
    const person = { kind: 'user', id: userId } as const;
    await recordAudit(tx, tenantId, { action: 'user.recovery_code_used', actor: person, target: person, address, detail: { remaining: left } });
    return 'accepted';
  }
  const step = await acceptedStep(vault.open(row.secretSealed, totpAad(tenantId, userId)), factor.code, row.lastUsedStep);
  return step !== null && (await useTotpStep(tx, userId, step)) ? 'accepted' : 'refused';
}

/** Whether the person has two-factor sign-in on. */
export async function totpEnabled(tx: TransactionSql, userId: string): Promise<boolean> {
  return Boolean((await findTotp(tx, userId))?.enabledAt);
}

export type DisableResult = DomainResult<true> | { ok: false; code: 'TOO_MANY_ATTEMPTS'; retryAfterSeconds: number; message: string };

/**
 * Turns two-factor sign-in off with a code or a recovery code. Wrong codes count in the sign-in throttle
 * as a wrong current password does in changePassword: to whoever holds a stolen session, the code is
 * the secret left to guess.
 */
export async function disableTotp(
  { sql, vault, throttle }: { sql: Sql; vault: Vault; throttle: LoginThrottle },
  person: Person,
  { code, address }: { code: string; address: string },
): Promise<DisableResult> {
  const email = await withScope(sql, person, async (tx) => (await findUsersByIds(tx, [person.userId]))[0]?.email ?? null);
  if (!email) return { ok: false, code: 'NOT_FOUND', message: 'User was not found.' };
  const enrolled = await withScope(sql, person, (tx) => totpEnabled(tx, person.userId));
  if (!enrolled) return { ok: false, code: 'TOTP_NOT_ENABLED', message: 'Two-factor sign-in is not on.' };
  const wait = await throttle.take(email, address);
  if (wait > 0) return { ok: false, code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: wait, message: 'Too many wrong codes.' };
  const done = await withScope(sql, person, async (tx) => {
    if ((await useSecondFactor(tx, vault, { tenantId: person.tenantId, userId: person.userId, typed: code, address })) !== 'accepted') return false;
    await deleteTotp(tx, person.userId);
    await recordAudit(tx, person.tenantId, { action: 'user.totp_disabled', actor: self(person), target: self(person), address, detail: { reason: 'own_request' } });
    return true;
  });
  if (!done) return invalidCode();
  await throttle.giveBack(email, address);
  return { ok: true, value: true };
}

/** Accepting a new invitation is how a person who lost their phone and codes gets back in: it starts them afresh. */
export async function resetTwoFactor(tx: TransactionSql, tenantId: string, userId: string, entry: Pick<AuditEntry, 'actor' | 'address'>): Promise<void> {
  if (await deleteTotp(tx, userId)) {
    await recordAudit(tx, tenantId, { action: 'user.totp_disabled', ...entry, target: { kind: 'user', id: userId }, detail: { reason: 'invitation_accepted' } });
  }
}

/** Whether a person must still enrol before changing anything: their tenant requires it and they have not. */
export async function mustEnrolFirst(sql: Sql, person: Person): Promise<boolean> {
  return withTenant(sql, person.tenantId, async (tx) => {
    const [row] = await tx<{ must: boolean }[]>`
      select t.require_two_factor
             and not exists (select 1 from user_totp u where u.tenant_id = t.id and u.user_id = ${person.userId} and u.enabled_at is not null) as must
        from tenants t where t.id = app_tenant_id()`;
    return row?.must ?? false;
  });
}
