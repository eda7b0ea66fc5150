// The server half of Embedded Signup: the browser's FB.login hands our frontend a code bound to the
// customer's WABA and numbers; our backend trades it, with the app id and secret, for a business
// token at GET /oauth/access_token. Codes live 30 seconds and work once. The sandbox issues codes
// through a control endpoint, standing in for the browser flow.
// https://developers.facebook.com/docs/whatsapp/embedded-signup/implementation#step-2--exchange-the-token-code-for-a-business-token
import type { BusinessRegistry } from './businesses.ts';
import { fail, graphFailure, type GraphResult } from './graph-errors.ts';
import type { Random } from './seeded-random.ts';

export const signupCodeLifetimeMs = 30_000;

export interface SignupCodeInput {
  code?: string;
  wabaId: string;
  phoneNumberIds: readonly string[];
  businessId: string;
}

interface SignupCode {
  wabaId: string;
  expiresAt: number;
  used: boolean;
}

export interface App {
  id: string;
  secret: string;
}

export interface SignupCodes {
  issue(input: SignupCodeInput, at: number): { code: string; expiresAt: number };
  exchange(query: URLSearchParams, at: number): GraphResult<{ access_token: string; token_type: 'bearer' }>;
}

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function createSignupCodes({ registry, app, random }: { registry: BusinessRegistry; app: App; random: Random }): SignupCodes {
  const codes = new Map<string, SignupCode>();
  const randomText = (length: number): string => Array.from({ length }, () => alphanumeric[Math.floor(random() * alphanumeric.length)]).join('');

  return {
    issue({ code = `AQ${randomText(120)}`, wabaId, phoneNumberIds, businessId }, at) {
      // Embedded Signup creates the WABA and adds numbers that still need POST /register.
      const known = registry.business(wabaId);
      registry.addBusiness({
        wabaId,
        businessId,
        phoneNumbers: phoneNumberIds
          .filter((id) => !known?.phoneNumbers.has(id))
          .map((id) => ({ id, displayPhoneNumber: `1555${id.slice(-7).padStart(7, '0')}`, registered: false })),
      });
      const expiresAt = at + signupCodeLifetimeMs;
      codes.set(code, { wabaId, expiresAt, used: false });
      return { code, expiresAt };
    },
    exchange(query, at) {
      const clientId = query.get('client_id');
      if (!clientId) return fail(graphFailure(101, { message: 'Missing client_id parameter.' }));
      if (clientId !== app.id) return fail(graphFailure(101, { message: 'Error validating application. Invalid application ID.' }));
      if (query.get('client_secret') !== app.secret) return fail(graphFailure(1, { message: 'Error validating client secret.' }));
      const code = query.get('code');
      if (!code) return fail(graphFailure(100, { message: 'Missing authorization code.' }));
      const issued = codes.get(code);
      if (!issued) return fail(graphFailure(100, { message: 'Invalid verification code format.' }));
      if (issued.used) return fail(graphFailure(100, { subcode: 36009, message: 'This authorization code has been used.' }));
      if (at >= issued.expiresAt) return fail(graphFailure(100, { subcode: 36007, message: 'This authorization code has expired.' }));
      issued.used = true;
      const token = `EAA${randomText(180)}`;
      registry.grant(token, issued.wabaId);
      return { ok: true, value: { access_token: token, token_type: 'bearer' } };
    },
  };
}
