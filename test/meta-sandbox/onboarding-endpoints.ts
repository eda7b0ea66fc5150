// What a tech provider calls after Embedded Signup: subscribe the app to the customer's WABA
// webhooks, register the phone number for Cloud API with a two-step PIN, and read the numbers back.
// https://developers.facebook.com/docs/whatsapp/embedded-signup/implementation#step-3--subscribe-to-webhooks-on-the-customer-s-waba
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/registration
// https://developers.facebook.com/docs/whatsapp/business-management-api/manage-phone-numbers
import type { IncomingHttpHeaders } from 'node:http';
import { formatDisplayNumber, type BusinessRegistry, type PhoneNumber } from './businesses.ts';
import { authenticate, authorizeBusiness, authorizePhoneNumber } from './graph-auth.ts';
import { fail, graphFailure, invalidChoice, missingParameter, type GraphResult } from './graph-errors.ts';
import type { App } from './oauth.ts';

export interface OnboardingContext {
  registry: BusinessRegistry;
  app: App & { name: string };
  now: () => number;
}

interface Caller {
  headers: IncomingHttpHeaders;
}

export interface PhoneNumberJson {
  verified_name: string;
  code_verification_status: 'VERIFIED';
  display_phone_number: string;
  quality_rating: 'GREEN';
  platform_type: 'CLOUD_API' | 'NOT_APPLICABLE';
  throughput: { level: 'STANDARD' | 'HIGH' };
  status: 'CONNECTED' | 'PENDING';
  id: string;
}

export function phoneNumberJson(number: PhoneNumber): PhoneNumberJson {
  return {
    verified_name: number.verifiedName,
    code_verification_status: 'VERIFIED',
    display_phone_number: formatDisplayNumber(number.displayPhoneNumber),
    quality_rating: 'GREEN',
    platform_type: number.registered ? 'CLOUD_API' : 'NOT_APPLICABLE',
    throughput: { level: number.throughputPerSecond > 80 ? 'HIGH' : 'STANDARD' },
    status: number.registered ? 'CONNECTED' : 'PENDING',
    id: number.id,
  };
}

function business(context: OnboardingContext, { headers }: Caller, method: string, wabaId: string) {
  const token = authenticate(context.registry, headers, { now: context.now(), appId: context.app.id });
  return token.ok ? authorizeBusiness(context.registry, token.value, method, wabaId) : token;
}

export function subscribeApp(context: OnboardingContext, caller: Caller, wabaId: string): GraphResult<{ success: true }> {
  const found = business(context, caller, 'POST', wabaId);
  if (!found.ok) return found;
  found.value.subscribedApps.add(context.app.id);
  return { ok: true, value: { success: true } };
}

export function unsubscribeApp(context: OnboardingContext, caller: Caller, wabaId: string): GraphResult<{ success: true }> {
  const found = business(context, caller, 'DELETE', wabaId);
  if (!found.ok) return found;
  found.value.subscribedApps.delete(context.app.id);
  return { ok: true, value: { success: true } };
}

export function listSubscribedApps(
  context: OnboardingContext,
  caller: Caller,
  wabaId: string,
): GraphResult<{ data: { whatsapp_business_api_data: { id: string; link: string; name: string } }[] }> {
  const found = business(context, caller, 'GET', wabaId);
  if (!found.ok) return found;
  const data = [...found.value.subscribedApps].map((id) => ({
    whatsapp_business_api_data: { id, link: `https://www.facebook.com/games/?app_id=${id}`, name: context.app.name },
  }));
  return { ok: true, value: { data } };
}

export function listPhoneNumbers(context: OnboardingContext, caller: Caller, wabaId: string): GraphResult<{ data: PhoneNumberJson[] }> {
  const found = business(context, caller, 'GET', wabaId);
  if (!found.ok) return found;
  return { ok: true, value: { data: [...found.value.phoneNumbers.values()].map(phoneNumberJson) } };
}

export function registerPhoneNumber(
  context: OnboardingContext,
  { headers, body }: Caller & { body: unknown },
  phoneNumberId: string,
): GraphResult<{ success: true }> {
  const token = authenticate(context.registry, headers, { now: context.now(), appId: context.app.id });
  if (!token.ok) return token;
  const number = authorizePhoneNumber(context.registry, token.value, 'POST', phoneNumberId);
  if (!number.ok) return number;
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (input.messaging_product === undefined) return fail(missingParameter('messaging_product'));
  if (input.messaging_product !== 'whatsapp') return fail(invalidChoice('messaging_product', ['whatsapp'], input.messaging_product));
  if (input.pin === undefined) return fail(missingParameter('pin'));
  if (typeof input.pin !== 'string' || !/^\d{6}$/.test(input.pin)) {
    return fail(graphFailure(100, { message: '(#100) Param pin must be 6 characters long.', details: 'pin must be exactly 6 digits' }));
  }
  // The first registration sets the number's two-step verification PIN; later ones must repeat it.
  // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/two-step-verification
  if (number.value.twoStepPin !== undefined && number.value.twoStepPin !== input.pin) return fail(graphFailure(133005));
  context.registry.updatePhoneNumber(phoneNumberId, { registered: true, twoStepPin: input.pin });
  return { ok: true, value: { success: true } };
}
