import { describe, expect, it } from 'vitest';
import { auditActionLabel } from './audit-action.ts';

describe('auditActionLabel', () => {
	it('reads an action the catalog knows', () => {
		expect(auditActionLabel('session.signed_in')).toBe('Signed in');
		expect(auditActionLabel('privacy.export.downloaded')).toBe('Downloaded a privacy export');
	});

	it('puts a privacy request step together from its kind and step', () => {
		expect(auditActionLabel('privacy.erasure.erased')).toBe('Erasure request: data erased');
		expect(auditActionLabel('privacy.consent_withdrawal.completed')).toBe('Consent withdrawal request: completed');
	});

	it('shows an action nobody has words for as its code', () => {
		expect(auditActionLabel('privacy.erasure.teleported')).toBe('privacy.erasure.teleported');
		expect(auditActionLabel('privacy.gossip.received')).toBe('privacy.gossip.received');
		expect(auditActionLabel('robot.arrived')).toBe('robot.arrived');
	});
});
