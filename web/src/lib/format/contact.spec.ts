import { describe, expect, it } from 'vitest';
import { contactLabel, formatWaId, maskPhone, maskUserId } from './contact.ts';

describe('contact formatting', () => {
	describe('maskPhone', () => {
		it('keeps the first two and last four digits of a full number', () => {
			expect(maskPhone('15550783881')).toBe('+15•••••3881');
			expect(maskPhone('447700900123')).toBe('+44••••••0123');
		});

		it('ignores formatting characters in the input', () => {
			expect(maskPhone('+1 (555) 078-3881')).toBe('+15•••••3881');
		});

		it('shows only the last four of a short number', () => {
			expect(maskPhone('123456')).toBe('+••3456');
		});

		it('masks numbers of four digits or fewer entirely', () => {
			expect(maskPhone('1234')).toBe('••••');
		});
	});

	describe('maskUserId', () => {
		it('keeps the country prefix and the last four characters of a BSUID', () => {
			expect(maskUserId('US.13491208655302741918')).toBe('US.…1918');
		});

		it('keeps two leading characters when there is no prefix', () => {
			expect(maskUserId('ab12345678')).toBe('ab…5678');
		});

		it('reveals nothing after the prefix when the id is short', () => {
			expect(maskUserId('US.1234')).toBe('US.…');
		});
	});

	describe('contactLabel', () => {
		it('prefers the display name', () => {
			expect(contactLabel({ displayName: 'Layla', waId: '15550783881', userId: null })).toBe('Layla');
		});

		it('falls back to the masked number when the name is blank', () => {
			expect(contactLabel({ displayName: '  ', waId: '15550783881', userId: null })).toBe('+15•••••3881');
		});

		it('falls back to the masked BSUID when there is no number', () => {
			expect(contactLabel({ displayName: null, waId: null, userId: 'US.13491208655302741918' })).toBe(
				'US.…1918'
			);
		});

		it('names a contact without any identifier as unknown', () => {
			expect(contactLabel({ displayName: null, waId: null, userId: null })).toBe('Unknown contact');
		});

		it('names a contact the reader may not see as unknown', () => {
			expect(contactLabel(null)).toBe('Unknown contact');
		});
	});

	describe('formatWaId', () => {
		it('prefixes a plus sign once', () => {
			expect(formatWaId('15550783881')).toBe('+15550783881');
			expect(formatWaId('+15550783881')).toBe('+15550783881');
		});
	});
});
