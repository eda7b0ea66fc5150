// What Meta knows about the businesses our app serves: WhatsApp Business Accounts, their phone
// numbers (throughput, registration) and the access tokens allowed to act on them. A tech
// provider holds one business token per onboarded customer (Embedded Signup), so a token is
// scoped to the WABAs it was issued for.
// https://developers.facebook.com/docs/whatsapp/embedded-signup/manage-accounts

export interface PhoneNumber {
  id: string;
  wabaId: string;
  /** Digits only, as webhooks' `metadata.display_phone_number` carries it. */
  displayPhoneNumber: string;
  verifiedName: string;
  /** Messages per second; Meta's default is 80, up to 1000 after an upgrade. */
  throughputPerSecond: number;
  /** Until POST /<id>/register, sends fail with 133010. */
  registered: boolean;
  /** The two-step verification PIN, once set (by the first registration, or by the business). */
  twoStepPin?: string;
}

export interface PhoneNumberChange {
  throughputPerSecond?: number;
  registered?: boolean;
  twoStepPin?: string;
}

export interface Business {
  wabaId: string;
  name: string;
  businessId?: string;
  phoneNumbers: Map<string, PhoneNumber>;
  /** App ids subscribed to this WABA's webhooks. */
  subscribedApps: Set<string>;
}

export type TokenState = 'active' | 'expired' | 'revoked';

export interface AccessToken {
  value: string;
  wabaIds: Set<string>;
  state: TokenState;
  /** When it expired or was revoked, for Meta's "Session has expired on …" message. */
  stateSince?: number;
}

export interface PhoneNumberInput {
  id: string;
  displayPhoneNumber: string;
  verifiedName?: string;
  throughputPerSecond?: number;
  registered?: boolean;
}

export interface BusinessInput {
  wabaId: string;
  name?: string;
  businessId?: string;
  /** A token that may act on this WABA; more can be granted later. */
  accessToken?: string;
  phoneNumbers?: readonly PhoneNumberInput[];
}

export const defaultThroughputPerSecond = 80;

export interface BusinessRegistry {
  /** Adds the WABA or merges into it: new numbers are added, known ones updated. */
  addBusiness(input: BusinessInput): Business;
  business(wabaId: string): Business | undefined;
  phoneNumber(id: string): PhoneNumber | undefined;
  phoneNumbers(): PhoneNumber[];
  updatePhoneNumber(id: string, change: PhoneNumberChange): PhoneNumber | undefined;
  token(value: string): AccessToken | undefined;
  grant(value: string, wabaId: string): AccessToken;
  setTokenState(value: string, state: TokenState, at: number): AccessToken | undefined;
}

export function createBusinessRegistry(): BusinessRegistry {
  const businesses = new Map<string, Business>();
  const numbers = new Map<string, PhoneNumber>();
  const tokens = new Map<string, AccessToken>();

  function grant(value: string, wabaId: string): AccessToken {
    let token = tokens.get(value);
    if (!token) tokens.set(value, (token = { value, wabaIds: new Set(), state: 'active' }));
    token.wabaIds.add(wabaId);
    return token;
  }

  return {
    addBusiness({ wabaId, name, businessId, accessToken, phoneNumbers = [] }) {
      let business = businesses.get(wabaId);
      if (!business) {
        business = { wabaId, name: name ?? `Sandbox business ${wabaId.slice(-4)}`, phoneNumbers: new Map(), subscribedApps: new Set() };
        businesses.set(wabaId, business);
      }
      if (name !== undefined) business.name = name;
      if (businessId !== undefined) business.businessId = businessId;
      for (const input of phoneNumbers) {
        const owner = numbers.get(input.id)?.wabaId;
        if (owner !== undefined && owner !== wabaId) throw new RangeError(`phone number ${input.id} already belongs to WABA ${owner}`);
        const existing = business.phoneNumbers.get(input.id);
        const number: PhoneNumber = {
          id: input.id,
          wabaId,
          displayPhoneNumber: input.displayPhoneNumber.replace(/\D/g, ''),
          verifiedName: input.verifiedName ?? existing?.verifiedName ?? business.name,
          throughputPerSecond: input.throughputPerSecond ?? existing?.throughputPerSecond ?? defaultThroughputPerSecond,
          registered: input.registered ?? existing?.registered ?? true,
        };
        business.phoneNumbers.set(number.id, number);
        numbers.set(number.id, number);
      }
      if (accessToken !== undefined) grant(accessToken, wabaId);
      return business;
    },
    business: (wabaId) => businesses.get(wabaId),
    phoneNumber: (id) => numbers.get(id),
    phoneNumbers: () => [...numbers.values()],
    updatePhoneNumber(id, { throughputPerSecond, registered, twoStepPin }) {
      const number = numbers.get(id);
      if (!number) return undefined;
      if (throughputPerSecond !== undefined) number.throughputPerSecond = throughputPerSecond;
      if (registered !== undefined) number.registered = registered;
      if (twoStepPin !== undefined) number.twoStepPin = twoStepPin;
      return number;
    },
    token: (value) => tokens.get(value),
    grant,
    setTokenState(value, state, at) {
      const token = tokens.get(value);
      if (token) Object.assign(token, { state, stateSince: at });
      return token;
    },
  };
}

/** Meta shows numbers formatted in the Graph API ("+1 555-078-3881") and as digits in webhooks. */
export function formatDisplayNumber(digits: string): string {
  const us = /^1(\d{3})(\d{3})(\d{4})$/.exec(digits);
  return us ? `+1 ${us[1]}-${us[2]}-${us[3]}` : `+${digits}`;
}
