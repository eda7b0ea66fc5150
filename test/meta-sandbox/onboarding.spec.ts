import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dev, startHarness, text, withoutTrace, type Harness } from './graph-harness.test-support.ts';
import { signupCodeLifetimeMs } from './oauth.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

const customer = { wabaId: '410000000000001', phoneNumberIds: ['420000000000001'], businessId: '430000000000001' };

const exchange = (params: Record<string, string>) => h.graph(`/v24.0/oauth/access_token?${new URLSearchParams(params)}`, { token: null });
const credentials = (code: string) => ({ client_id: dev.appId, client_secret: dev.appSecret, code });

const oauthError = (code: number, message: string, subcode?: number) => ({
  error: { message, type: 'OAuthException', code, ...(subcode === undefined ? {} : { error_subcode: subcode }) },
});

describe('Embedded Signup, server side', () => {
  describe('GET /oauth/access_token', () => {
    it('trades a fresh code for a business token scoped to the signed-up WABA', async () => {
      const { code } = h.sandbox.issueSignupCode({ ...customer, code: 'AQ-spec-code' });
      const response = await exchange(credentials(code));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ access_token: expect.stringMatching(/^EAA[A-Za-z0-9]{180}$/), token_type: 'bearer' });
      const token = (response.json as { access_token: string }).access_token;

      expect((await h.graph(`/v24.0/${customer.wabaId}/phone_numbers`, { token })).json).toEqual({
        data: [
          {
            verified_name: 'Sandbox business 0001',
            code_verification_status: 'VERIFIED',
            display_phone_number: '+1 555-000-0001',
            quality_rating: 'GREEN',
            platform_type: 'NOT_APPLICABLE',
            throughput: { level: 'STANDARD' },
            status: 'PENDING',
            id: '420000000000001',
          },
        ],
      });
      // The new token cannot act on the dev WABA.
      expect((await h.graph(`/v24.0/${dev.wabaId}/phone_numbers`, { token })).json).toMatchObject({ error: { code: 10 } });
    });

    it('works once: the second exchange is refused (subcode 36009)', async () => {
      const { code } = h.sandbox.issueSignupCode(customer);
      await exchange(credentials(code));
      const again = await exchange(credentials(code));
      expect(again.status).toBe(400);
      expect(withoutTrace(again.json)).toEqual(oauthError(100, 'This authorization code has been used.', 36009));
    });

    it('expires after 30 seconds (subcode 36007)', async () => {
      const first = h.sandbox.issueSignupCode(customer);
      const second = h.sandbox.issueSignupCode({ ...customer, code: 'AQ-second' });
      h.clock.advance(signupCodeLifetimeMs - 1);
      expect((await exchange(credentials(first.code))).status).toBe(200);
      h.clock.advance(1);
      expect(withoutTrace((await exchange(credentials(second.code))).json)).toEqual(oauthError(100, 'This authorization code has expired.', 36007));
    });

    it('checks the app id, the app secret and the code', async () => {
      const { code } = h.sandbox.issueSignupCode(customer);
      expect(withoutTrace((await exchange({ ...credentials(code), client_secret: 'wrong' })).json)).toEqual(oauthError(1, 'Error validating client secret.'));
      expect(withoutTrace((await exchange({ ...credentials(code), client_id: '1' })).json)).toEqual(
        oauthError(101, 'Error validating application. Invalid application ID.'),
      );
      expect(withoutTrace((await exchange(credentials('AQ-never-issued'))).json)).toEqual(oauthError(100, 'Invalid verification code format.'));
      // Failed attempts did not use the code up.
      expect((await exchange(credentials(code))).status).toBe(200);
    });
  });

  describe('POST and GET /<WABA_ID>/subscribed_apps', () => {
    it('subscribes our app and lists it', async () => {
      const { code } = h.sandbox.issueSignupCode(customer);
      const token = ((await exchange(credentials(code))).json as { access_token: string }).access_token;
      expect((await h.graph(`/v24.0/${customer.wabaId}/subscribed_apps`, { token })).json).toEqual({ data: [] });
      expect((await h.graph(`/v24.0/${customer.wabaId}/subscribed_apps`, { method: 'POST', token })).json).toEqual({ success: true });
      expect((await h.graph(`/v24.0/${customer.wabaId}/subscribed_apps`, { token })).json).toEqual({
        data: [{ whatsapp_business_api_data: { id: dev.appId, link: `https://www.facebook.com/games/?app_id=${dev.appId}`, name: 'Switchboard' } }],
      });
    });
  });

  describe('POST /<PHONE_NUMBER_ID>/register', () => {
    it('needs a 6-digit pin, then registers the number so it can send', async () => {
      const { code } = h.sandbox.issueSignupCode(customer);
      const token = ((await exchange(credentials(code))).json as { access_token: string }).access_token;
      const number = customer.phoneNumberIds[0] as string;
      expect((await h.send(text('16505550123'), { token, phoneNumberId: number })).json).toMatchObject({ error: { code: 133010 } });

      for (const pin of ['12345', '1234567', 'abcdef']) {
        const refused = await h.graph(`/v24.0/${number}/register`, { method: 'POST', token, body: { messaging_product: 'whatsapp', pin } });
        expect(refused.status).toBe(400);
        expect(withoutTrace(refused.json)).toEqual({
          error: {
            message: '(#100) Param pin must be 6 characters long.',
            type: 'OAuthException',
            code: 100,
            error_data: { messaging_product: 'whatsapp', details: 'pin must be exactly 6 digits' },
          },
        });
      }
      const registered = await h.graph(`/v24.0/${number}/register`, { method: 'POST', token, body: { messaging_product: 'whatsapp', pin: '123456' } });
      expect(registered.json).toEqual({ success: true });
      expect((await h.graph(`/v24.0/${customer.wabaId}/phone_numbers`, { token })).json).toMatchObject({
        data: [{ id: number, platform_type: 'CLOUD_API', status: 'CONNECTED' }],
      });
      expect((await h.send(text('16505550123'), { token, phoneNumberId: number })).status).toBe(200);
    });

    it('keeps the first PIN: registering again needs the same one (133005 otherwise)', async () => {
      const { code } = h.sandbox.issueSignupCode(customer);
      const token = ((await exchange(credentials(code))).json as { access_token: string }).access_token;
      const number = customer.phoneNumberIds[0] as string;
      h.sandbox.updatePhoneNumber(number, { twoStepPin: '246810' });
      const register = (pin: string) => h.graph(`/v24.0/${number}/register`, { method: 'POST', token, body: { messaging_product: 'whatsapp', pin } });

      const refused = await register('123456');
      expect(refused.status).toBe(400);
      expect(withoutTrace(refused.json)).toEqual({
        error: {
          message: '(#133005) Two step verification PIN Mismatch',
          type: 'OAuthException',
          code: 133005,
          error_data: { messaging_product: 'whatsapp', details: 'Two-step verification PIN incorrect.' },
        },
      });
      expect(h.sandbox.updatePhoneNumber(number, {})).toMatchObject({ status: 'PENDING' });
      expect((await register('246810')).json).toEqual({ success: true });
      expect((await register('246810')).json).toEqual({ success: true });
    });
  });

  describe('GET /<PHONE_NUMBER_ID> and /<WABA_ID>', () => {
    it('read the dev number and WABA', async () => {
      expect((await h.graph(`/v24.0/${dev.phoneNumberId}`)).json).toEqual({
        verified_name: 'Acme Coffee',
        code_verification_status: 'VERIFIED',
        display_phone_number: '+1 555-078-3881',
        quality_rating: 'GREEN',
        platform_type: 'CLOUD_API',
        throughput: { level: 'STANDARD' },
        status: 'CONNECTED',
        id: dev.phoneNumberId,
      });
      expect((await h.graph(`/v24.0/${dev.wabaId}`)).json).toEqual({ id: dev.wabaId, name: 'Acme Coffee' });
    });
  });
});
