// Connecting a WhatsApp number after Embedded Signup, the server's half: trade the browser's code for a
// business token (sealed at once, never returned), read the number from the WABA, subscribe our app to
// the WABA's webhooks and register the number for Cloud API with its two-step PIN.
// https://developers.facebook.com/docs/whatsapp/embedded-signup/implementation
//
// No transaction is held open across a Meta call. The token and the number (pending_registration) are
// stored before the first call that changes anything at Meta, and every later failure is written to the
// number's status_reason, so a failed run leaves a consistent, visible state; running again (with a new
// code, or without one to reuse the stored token) completes it. Subscribing and registering are
// idempotent at Meta, so a second run on a connected number changes nothing.
//
// One business's number is never moved to another, and the answer never says whether another tenant
// holds a WABA or number: ownership is checked only once Meta has listed the number under the WABA for
// this caller's token, and a WABA or number held elsewhere then gets the very answer Meta gives for an
// account it does not know. Before that point the answers are Meta's own, whoever holds the account.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { recordChange, type AuditSource } from '../audit/audit-source.ts';
import type { GraphClient, PhoneNumber } from '../meta/graph-client.ts';
import { GraphApiError } from '../meta/graph-errors.ts';
import { accessTokenAad } from '../vault/sealed-token-repository.ts';
import { VaultError, type Vault } from '../vault/vault.ts';
import { storeAccountToken } from './account-token.ts';
import {
  clearReauthorisation,
  findOwners,
  findSealedAccountToken,
  markConnected,
  recordPendingReason,
  saveAccount,
  savePendingNumber,
  type PhoneNumberRecord,
} from './phone-number-repository.ts';
import { isUniqueViolation } from '@switchboard/db/errors';

export type OnboardingStep = 'exchange_code' | 'fetch_number' | 'subscribe_app' | 'register_number';

export type ConnectResult =
  | { ok: true; value: PhoneNumberRecord }
  | { ok: false; code: 'INVALID_INPUT'; field: string; message: string }
  | { ok: false; code: 'NOT_CONFIGURED'; message: string }
  | { ok: false; code: 'ONBOARDING_STEP_FAILED'; step: OnboardingStep; metaCode: number | null; message: string };

export interface ConnectNumberInput {
  tenantId: string;
  /** The Embedded Signup code (lives 30 seconds, works once). Omitted: retry with the stored token. */
  code?: string | null;
  wabaId: string;
  phoneNumberId: string;
  pin: string;
  businessId?: string | null;
  /** Who connects it, for the audit log (written in the transactions that store the account and the number). */
  audit?: Omit<AuditSource, 'tenantId'>;
}

export interface OnboardingServices {
  sql: Sql;
  graph: GraphClient;
  vault: Vault;
  /** Our Meta app (META_APP_ID, META_APP_SECRET); needed to trade signup codes. */
  metaApp: { appId: string; appSecret: string } | null;
}

// Meta's object ids are numeric strings.
const GRAPH_ID = /^\d{1,32}$/;
const PIN = /^\d{6}$/;

const STEP_LABEL: Record<OnboardingStep, string> = {
  exchange_code: 'Trading the signup code for a business token',
  fetch_number: 'Reading the phone number from the WhatsApp Business Account',
  subscribe_app: "Subscribing Switchboard to the account's webhooks",
  register_number: 'Registering the number for the WhatsApp Cloud API',
};

// Meta's throughput levels: STANDARD is 80 messages per second, HIGH up to 1000.
// https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput
const THROUGHPUT = { STANDARD: 80, HIGH: 1000 } as const;

export async function connectNumber(services: OnboardingServices, input: ConnectNumberInput): Promise<ConnectResult> {
  const { sql, graph, vault } = services;
  const { tenantId, wabaId, phoneNumberId, pin } = input;
  const code = input.code?.trim() || null;
  const businessId = input.businessId?.trim() || null;
  if (!GRAPH_ID.test(wabaId)) return invalid('wabaId', 'A WhatsApp Business Account id is the number Embedded Signup returned as waba_id.');
  if (!GRAPH_ID.test(phoneNumberId)) return invalid('phoneNumberId', 'A phone number id is the number Embedded Signup returned as phone_number_id.');
  if (businessId !== null && !GRAPH_ID.test(businessId)) return invalid('businessId', 'A business id is the number Embedded Signup returned as business_id.');
  if (!PIN.test(pin)) return invalid('pin', 'The two-step verification PIN is exactly 6 digits.');
  if (code !== null && code.length > 4096) return invalid('code', 'That is not a signup code.');

  // Only this tenant's own stored token: another tenant's account has none here, as an unknown one.
  const stored = code === null ? await withTenant(sql, tenantId, (tx) => findSealedAccountToken(tx, wabaId)) : null;

  // 1. The business token: freshly traded, or the one stored by an earlier run.
  let token: string;
  let fresh: boolean;
  if (code !== null) {
    if (!services.metaApp) return { ok: false, code: 'NOT_CONFIGURED', message: 'Connecting numbers needs META_APP_ID and META_APP_SECRET on the api.' };
    try {
      token = (await graph.exchangeCode({ ...services.metaApp, code })).accessToken;
    } catch (error) {
      const failed = stepFailure('exchange_code', error, ' Start Embedded Signup again for a new code: codes work once and only for 30 seconds.');
      await withTenant(sql, tenantId, (tx) => recordPendingReason(tx, phoneNumberId, failed.message));
      return failed;
    }
    fresh = true;
  } else {
    const retry = stored ? openStored(vault, tenantId, stored) : null;
    if (retry === null) return invalid('code', 'There is no working connection to this account to retry with; start Embedded Signup for a new code.');
    token = retry;
    fresh = false;
  }

  // 2. The number as Meta lists it under the WABA. This also proves the token reaches the WABA, which
  // must hold before anything is stored: otherwise anyone could claim another business's WABA id.
  let listed: PhoneNumber | undefined;
  try {
    listed = (await graph.listPhoneNumbers(token, wabaId)).find((n) => n.id === phoneNumberId);
  } catch (error) {
    return stepFailure('fetch_number', error);
  }
  if (!listed) {
    return {
      ok: false,
      code: 'ONBOARDING_STEP_FAILED',
      step: 'fetch_number',
      metaCode: null,
      message: `${STEP_LABEL.fetch_number} failed: Meta lists no number ${phoneNumberId} in account ${wabaId}.`,
    };
  }

  // Held by another tenant: answered as Meta answers for an account it does not know.
  const owners = await withTenant(sql, tenantId, (tx) => findOwners(tx, wabaId, phoneNumberId));
  if ((owners.waba ?? tenantId) !== tenantId || (owners.number ?? tenantId) !== tenantId) return unknownToMeta(wabaId);

  // 3. Keep the account, its token (sealed) and the number, waiting for registration.
  const details = numberDetails(wabaId, listed);
  const conflict = await saveOrConflict(sql, tenantId, wabaId, async (tx) => {
    await saveAccount(tx, { wabaId, businessId });
    if (fresh) await storeAccountToken(tx, vault, { tenantId, wabaId, token });
    if (fresh && input.audit) await recordChange(tx, { ...input.audit, tenantId }, { action: 'whatsapp_account.connected', target: { kind: 'whatsapp_account', id: wabaId } });
    await savePendingNumber(tx, details, 'Connecting: the number is not registered yet.');
  });
  if (conflict) return conflict;

  // 4. Webhooks for the WABA, then 5. the number's registration.
  for (const [step, call] of [
    ['subscribe_app', () => graph.subscribeApp(token, wabaId)],
    ['register_number', () => graph.registerNumber(token, phoneNumberId, pin)],
  ] as const) {
    try {
      await call();
    } catch (error) {
      const failed = stepFailure(step, error);
      await withTenant(sql, tenantId, (tx) => recordPendingReason(tx, phoneNumberId, failed.message));
      return failed;
    }
  }

  const connected = await withTenant(sql, tenantId, async (tx) => {
    if (fresh) await clearReauthorisation(tx, wabaId);
    const number = await markConnected(tx, phoneNumberId);
    if (input.audit) {
      const detail = { wabaId, phoneNumberId, tokenRenewed: fresh };
      await recordChange(tx, { ...input.audit, tenantId }, { action: 'phone_number.connected', target: { kind: 'phone_number', id: number.id }, detail });
    }
    return number;
  });
  return { ok: true, value: connected };
}

/** Writes in the tenant's scope; another tenant taking the account or number a moment ago is answered as above. */
async function saveOrConflict(sql: Sql, tenantId: string, wabaId: string, write: (tx: TransactionSql) => Promise<void>): Promise<ConnectResult | null> {
  try {
    await withTenant(sql, tenantId, write);
    return null;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return unknownToMeta(wabaId);
  }
}

/**
 * Exactly what reading the number answers when Meta does not know the WABA (error 100, subcode 33, in
 * Meta's words), so a WABA or number another tenant holds cannot be told from one that does not exist.
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 */
function unknownToMeta(wabaId: string): Extract<ConnectResult, { code: 'ONBOARDING_STEP_FAILED' }> {
  return stepFailure(
    'fetch_number',
    new GraphApiError({
      kind: 'http',
      method: 'GET',
      path: `/${wabaId}/phone_numbers`,
      status: 400,
      meta: {
        code: 100,
        error_subcode: 33,
        type: 'GraphMethodException',
        message: `Unsupported get request. Object with ID '${wabaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      },
    }),
  );
}

function invalid(field: string, message: string): ConnectResult {
  return { ok: false, code: 'INVALID_INPUT', field, message };
}

function openStored(vault: Vault, tenantId: string, stored: { accountId: string; sealed: string }): string | null {
  try {
    return vault.open(stored.sealed, accessTokenAad(tenantId, stored.accountId));
  } catch (error) {
    if (error instanceof VaultError) return null;
    throw error;
  }
}

function numberDetails(wabaId: string, listed: PhoneNumber) {
  return {
    wabaId,
    phoneNumberId: listed.id,
    // Webhooks carry the number as digits ("15550783881"); the Graph API formats it ("+1 555-078-3881").
    displayPhoneNumber: listed.displayPhoneNumber.replace(/\D/g, ''),
    verifiedName: listed.verifiedName ?? null,
    qualityRating: listed.qualityRating ?? null,
    throughputPerSecond: listed.throughputLevel === 'HIGH' ? THROUGHPUT.HIGH : THROUGHPUT.STANDARD,
  };
}

/** What Meta said, for the caller and the number's status_reason. Anything but a Graph failure is a bug. */
function stepFailure(step: OnboardingStep, error: unknown, hint = ''): Extract<ConnectResult, { code: 'ONBOARDING_STEP_FAILED' }> {
  if (!(error instanceof GraphApiError)) throw error;
  return { ok: false, code: 'ONBOARDING_STEP_FAILED', step, metaCode: error.code ?? null, message: `${STEP_LABEL[step]} failed: ${metaSaid(error)}${hint}` };
}

function metaSaid(error: GraphApiError): string {
  if (error.kind === 'network') return 'Meta could not be reached; try again.';
  if (error.kind === 'timeout') return 'Meta did not answer in time; try again.';
  if (error.kind === 'malformed') return "Meta's answer could not be read; try again.";
  const meta = error.meta;
  if (!meta) return `Meta answered HTTP ${error.status}.`;
  const said = (meta.error_user_msg || meta.message).trim();
  const details = meta.error_data?.details?.trim();
  const text = details && !said.includes(details) ? `${said} (${details})` : said;
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}
