import { describe, expect, it } from 'vitest';
import { replyWindow } from './window.ts';

const now = Date.parse('2026-03-20T12:00:00Z');

describe('replyWindow', () => {
	describe('with an expiry in the future', () => {
		it('is open with the time left until expiry', () => {
			expect(replyWindow('2026-03-20T13:30:00Z', now)).toEqual({ state: 'open', remainingMs: 90 * 60_000 });
		});
	});

	describe('with an expiry in the past or now', () => {
		it('is closed', () => {
			expect(replyWindow('2026-03-20T11:59:59Z', now)).toEqual({ state: 'closed' });
			expect(replyWindow('2026-03-20T12:00:00Z', now)).toEqual({ state: 'closed' });
		});
	});

	describe('without an expiry', () => {
		it('has no window because the customer never wrote', () => {
			expect(replyWindow(null, now)).toEqual({ state: 'none' });
		});
	});
});
