import { describe, expect, it } from 'vitest';
import { fillTemplate, sendableTemplates, templateParameters, templateShape } from './templates.ts';

const template = (body: string | null, parameterFormat: string | null = 'POSITIONAL') => ({ body, parameterFormat });

describe('templates', () => {
	describe('templateShape', () => {
		it('lists positional placeholders in number order, once each', () => {
			expect(templateShape(template('Hi {{2}}, {{1}} and {{ 2 }} again'))).toEqual({ named: false, parameters: ['1', '2'] });
		});

		it('lists named placeholders in the order they appear', () => {
			expect(templateShape(template('Hello {{first_name}}, enjoy {{discount}} off today.', 'NAMED'))).toEqual({
				named: true,
				parameters: ['first_name', 'discount']
			});
		});

		it('treats a template with word placeholders as named even without a declared format', () => {
			expect(templateShape(template('Hello {{first_name}}', null)).named).toBe(true);
		});

		it('has no parameters without placeholders or without a body', () => {
			expect(templateShape(template('¡Bienvenido a Acme Coffee!'))).toEqual({ named: false, parameters: [] });
			expect(templateShape(template(null))).toEqual({ named: false, parameters: [] });
		});
	});

	describe('fillTemplate', () => {
		it('shows the message as the customer will read it', () => {
			expect(fillTemplate('Hi {{1}}, your order {{2}} has shipped.', { '1': 'Lina', '2': 'A-1042' })).toBe(
				'Hi Lina, your order A-1042 has shipped.'
			);
		});

		it('keeps placeholders that have no value yet', () => {
			expect(fillTemplate('Hello {{first_name}}, enjoy {{discount}} off.', { first_name: 'Lina', discount: '  ' })).toBe(
				'Hello Lina, enjoy {{discount}} off.'
			);
		});
	});

	describe('templateParameters', () => {
		it('sends positional values in order, without names', () => {
			expect(templateParameters({ named: false, parameters: ['1', '2'] }, { '2': 'A-1042', '1': 'Lina' })).toEqual([
				{ value: 'Lina' },
				{ value: 'A-1042' }
			]);
		});

		it('sends named values with their names, empty when not filled in (the api says which is missing)', () => {
			expect(templateParameters({ named: true, parameters: ['first_name', 'discount'] }, { first_name: 'Lina' })).toEqual([
				{ name: 'first_name', value: 'Lina' },
				{ name: 'discount', value: '' }
			]);
		});
	});

	describe('sendableTemplates', () => {
		it('keeps approved templates only, by name and language', () => {
			const all = [
				{ name: 'welcome_offer', language: 'en_US', status: 'APPROVED' },
				{ name: 'seasonal_promo', language: 'es_ES', status: 'PAUSED' },
				{ name: 'bienvenida', language: 'es_ES', status: 'APPROVED' },
				{ name: 'draft', language: 'en_US', status: 'PENDING' }
			];
			expect(sendableTemplates(all).map((t) => t.name)).toEqual(['bienvenida', 'welcome_offer']);
		});
	});
});
