import { describe, expect, it } from 'vitest';
import { m } from '#lib/paraglide/messages.js';
import { AUDIT_ACTIONS_WITH_WORDS, auditActionLabel } from './audit-action.ts';

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

describe('the audit actions the api writes', () => {
	it('each have words in the catalog', async () => {
		const { readdir, readFile } = await import('node:fs/promises');
		const root = new URL('../../../../api/src/', import.meta.url);
		const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
		const actions = new Set<string>();
		for (const file of files) {
			const text = await readFile(new URL(file, root), 'utf8');
			for (const match of text.matchAll(/action: '([a-z_]+\.[a-z_.]+)'/g)) actions.add(match[1]!);
		}
		expect(actions.size).toBeGreaterThan(40);
		const unworded = [...actions].filter((action) => auditActionLabel(action) === action);
		expect(unworded).toEqual([]);
	});
});

describe('the actions the audit page lists', () => {
	it('are exactly the actions the catalog has words for', () => {
		const messages = Object.keys(m).filter((key) => key.startsWith('audit_actions_'));
		expect(messages.length).toBeGreaterThan(40);
		expect(AUDIT_ACTIONS_WITH_WORDS.map((action) => `audit_actions_${action.replaceAll('.', '_')}`).sort()).toEqual(messages.sort());
		for (const action of AUDIT_ACTIONS_WITH_WORDS) expect(auditActionLabel(action)).not.toBe(action);
	});
});
