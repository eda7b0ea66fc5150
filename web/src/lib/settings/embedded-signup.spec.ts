import { describe, expect, it } from 'vitest';
import { readSignupMessage, trustedOrigins } from './embedded-signup.ts';

const message = (body: unknown) => JSON.stringify(body);

describe('Embedded Signup session info', () => {
	it('reads a finished signup (version 3) as its WABA, number and business', () => {
		const data = message({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', version: '3', data: { phone_number_id: '106540352242922', waba_id: '102290129340398', business_id: '101' } });
		expect(readSignupMessage(data)).toEqual({ event: 'finish', session: { wabaId: '102290129340398', phoneNumberId: '106540352242922', businessId: '101' } });
	});

	it('reads a cancel with the step it stopped at, and an error with its message', () => {
		expect(readSignupMessage(message({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'PHONE_NUMBER_SETUP' } }))).toEqual({ event: 'cancel', step: 'PHONE_NUMBER_SETUP' });
		expect(readSignupMessage(message({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { error_message: 'Number in use', error_id: '524126' } }))).toEqual({ event: 'error', message: 'Number in use' });
	});

	it('counts a finish without its ids as an error, and ignores anything that is not session info', () => {
		expect(readSignupMessage(message({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { waba_id: '1' } }))).toEqual({ event: 'error', message: null });
		expect(readSignupMessage(message({ type: 'SOMETHING_ELSE', event: 'FINISH', data: {} }))).toBeNull();
		expect(readSignupMessage('not json')).toBeNull();
		expect(readSignupMessage({ type: 'WA_EMBEDDED_SIGNUP' })).toBeNull();
	});

	it("trusts Facebook's windows and the SDK's own origin, nothing else", () => {
		expect(trustedOrigins('https://connect.facebook.net/en_US/sdk.js')).toEqual(['https://www.facebook.com', 'https://web.facebook.com', 'https://connect.facebook.net']);
		expect(trustedOrigins('http://localhost:4010/sdk.js')).toContain('http://localhost:4010');
	});
});
