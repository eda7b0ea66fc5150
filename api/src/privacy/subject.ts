// Who a privacy request is about: a customer (found by phone, business-scoped id or contact id) or a
// staff member (by email). Lists show only a masked label, so a glance at the requests page never
// reveals the person: "+1650 ••••• 23", "US.…18", "a•••@example.com".
import type { TransactionSql } from '@switchboard/db/connect';

const MASK = '•';

/** `16505551223` → `+1650 ••••• 23`: the country and area digits and the last two stay readable. */
export function maskPhone(waId: string): string {
  const digits = waId.replace(/\D/g, '');
  if (digits.length < 8) return `+${MASK.repeat(Math.max(digits.length, 4))}`;
  return `+${digits.slice(0, 4)} ${MASK.repeat(digits.length - 6)} ${digits.slice(-2)}`;
}

/** `US.13491208655302741918` → `US.…18`. */
export function maskUserId(userId: string): string {
  const dot = userId.indexOf('.');
  const head = dot >= 0 && dot <= 4 ? userId.slice(0, dot + 1) : '';
  return `${head}…${userId.slice(-2)}`;
}

/** `ana.lopez@example.com` → `a•••@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return `${MASK.repeat(3)}`;
  return `${email[0]}${MASK.repeat(3)}${email.slice(at)}`;
}

export interface SubjectInput {
  waId?: string | null;
  userId?: string | null;
  contactId?: string | null;
  staffEmail?: string | null;
}

export type Subject =
  | { kind: 'contact'; id: string; label: string; waId: string | null; userId: string | null; erased: boolean }
  | { kind: 'staff'; id: string; label: string; email: string };

export type SubjectLookup = { ok: true; subject: Subject } | { ok: false; code: 'INVALID_INPUT' | 'NOT_FOUND'; message: string; field?: string };

/** Exactly one of the four identifies the subject; the contact or person must exist in the caller's tenant. */
export async function findSubject(tx: TransactionSql, input: SubjectInput): Promise<SubjectLookup> {
  const given = (['waId', 'userId', 'contactId', 'staffEmail'] as const).filter((k) => typeof input[k] === 'string' && input[k]!.trim() !== '');
  if (given.length !== 1) {
    return { ok: false, code: 'INVALID_INPUT', field: 'subject', message: 'Name the subject by exactly one of waId, userId, contactId or staffEmail.' };
  }
  const which = given[0]!;
  if (which === 'staffEmail') {
    const email = input.staffEmail!.trim().toLowerCase();
    const [user] = await tx<{ id: string; email: string }[]>`
      select id, email from users where tenant_id = app_tenant_id() and lower(email) = ${email} and email is not null`;
    if (!user) return { ok: false, code: 'NOT_FOUND', message: 'No staff member has that email address.' };
    return { ok: true, subject: { kind: 'staff', id: user.id, label: maskEmail(user.email), email: user.email } };
  }
  const value = input[which]!.trim();
  const waId = which === 'waId' ? value.replace(/[\s()+-]/g, '') : null;
  if (which === 'waId' && !/^\d{6,20}$/.test(waId!)) {
    return { ok: false, code: 'INVALID_INPUT', field: 'subject.waId', message: 'A phone number is digits with its country code, e.g. 16505551234.' };
  }
  const rows = await tx<{ id: string; waId: string | null; userId: string | null; erasedAt: Date | null }[]>`
    select id, wa_id, user_id, erased_at from contacts
     where tenant_id = app_tenant_id()
       and ${which === 'waId' ? tx`wa_id = ${waId}` : which === 'userId' ? tx`user_id = ${value}` : tx`id = ${value}::uuid`}`;
  const contact = rows[0];
  if (!contact) return { ok: false, code: 'NOT_FOUND', message: 'No customer matches that identifier.' };
  const label = contact.waId ? maskPhone(contact.waId) : contact.userId ? maskUserId(contact.userId) : 'Erased customer';
  return { ok: true, subject: { kind: 'contact', id: contact.id, label, waId: contact.waId, userId: contact.userId, erased: !!contact.erasedAt } };
}
