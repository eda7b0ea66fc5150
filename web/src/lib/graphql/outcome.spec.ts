import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { outcomeOf, problemText, type TypedError } from './outcome.ts';

/** A send's answer, as a document's result types it: the success payload, or any typed error. */
type Sent = { __typename: 'MutationSendTextSuccess'; reply: { id: string } } | TypedError;

describe('outcomeOf', () => {
	describe('a success payload', () => {
		it('is the value under its key', () => {
			const payload: Sent = { __typename: 'MutationSendTextSuccess', reply: { id: 'm1' } };
			expect(outcomeOf(payload, 'reply')).toEqual({ ok: true, value: { id: 'm1' } });
		});
	});

	describe('a typed error', () => {
		it('is a problem with the code, message and the field or parameter at fault', () => {
			const refused: Sent = {
				__typename: 'TemplateParameterError',
				code: 'TEMPLATE_PARAMETERS',
				message: 'The template needs a value for {{first_name}}.',
				parameter: 'first_name'
			};
			expect(outcomeOf(refused, 'reply')).toEqual({
				ok: false,
				problem: { code: 'TEMPLATE_PARAMETERS', message: 'The template needs a value for {{first_name}}.', parameter: 'first_name' }
			});
		});
	});

	describe('a failed request', () => {
		it('is a NETWORK problem when the api could not be reached', () => {
			const error = new CombinedError({ networkError: new TypeError('Failed to fetch') });
			expect(outcomeOf<Sent, 'reply'>(undefined, 'reply', error)).toEqual({
				ok: false,
				problem: { code: 'NETWORK', message: 'Failed to fetch' }
			});
		});

		it('takes the code of the first GraphQL error', () => {
			const error = new CombinedError({
				graphQLErrors: [new GraphQLError('You do not have access to this.', { extensions: { code: 'FORBIDDEN' } })]
			});
			expect(outcomeOf<Sent, 'reply'>(null, 'reply', error)).toEqual({
				ok: false,
				problem: { code: 'FORBIDDEN', message: 'You do not have access to this.' }
			});
		});

		it('is UNEXPECTED when the error has no code', () => {
			const error = new CombinedError({ graphQLErrors: [new GraphQLError('Unexpected error.')] });
			expect(outcomeOf<Sent, 'reply'>(null, 'reply', error)).toMatchObject({ problem: { code: 'UNEXPECTED' } });
		});
	});
});

describe('problemText', () => {
	it('says every send refusal in words of its own', () => {
		const codes = [
			'WINDOW_CLOSED',
			'CONTACT_OPTED_OUT',
			'CONTACT_RESTRICTED',
			'CONSENT_WITHDRAWN',
			'NO_OPT_IN',
			'MARKETING_OPTED_OUT',
			'NUMBER_DISCONNECTED',
			'NUMBER_NEEDS_REAUTHORISATION',
			'TEMPLATE_NOT_APPROVED'
		];
		const texts = codes.map((code) => problemText({ code, message: 'api text' }));
		expect(texts.every((text) => text.startsWith('Not sent: ') && !text.includes('api text'))).toBe(true);
		expect(new Set(texts).size).toBe(codes.length);
		expect(problemText({ code: 'WINDOW_CLOSED', message: '' })).toBe(
			'Not sent: the 24-hour reply window has closed. Send an approved template instead.'
		);
	});

	it('keeps the api’s explanation of a parameter or input problem', () => {
		expect(problemText({ code: 'TEMPLATE_PARAMETERS', message: 'The template takes 2 parameter(s); 1 given.' })).toBe(
			'Not sent: The template takes 2 parameter(s); 1 given.'
		);
		expect(problemText({ code: 'INVALID_INPUT', message: 'A text message needs 1 to 4096 characters.', field: 'body' })).toBe(
			'A text message needs 1 to 4096 characters.'
		);
	});

	it('falls back to the api’s message for a code it does not know, and never to nothing', () => {
		expect(problemText({ code: 'SOMETHING_NEW', message: 'A new rule stopped this.' })).toBe('A new rule stopped this.');
		expect(problemText({ code: 'SOMETHING_NEW', message: '' })).toBe('Something went wrong. Try again.');
	});
});

describe('problemText', () => {
	const refused = { code: 'INVALID_INPUT', message: 'Names need 1 to 120 characters.', field: 'name' };
	const conflict = { code: 'CONFLICT', message: 'A department with that name exists.' };

	it("shows the api's own explanation of a refused field or a conflict in English", () => {
		expect(problemText(refused, 'en')).toBe('Names need 1 to 120 characters.');
		expect(problemText(conflict, 'en')).toBe('A department with that name exists.');
	});

	it('never shows that English in another language, but our own words', () => {
		expect(problemText(refused, 'he')).toBe('מה שהוזן לא התקבל: כדאי לבדוק את השדות ולנסות שוב.');
		expect(problemText(conflict, 'es')).toBe('Eso ya existe o choca con otro cambio: revisa los campos e inténtalo de nuevo.');
		expect(problemText(refused, 'ar')).not.toContain('Names');
	});
});
