// What a mutation came to, as one value: its payload, or a problem the person can read and act on.
// Typed errors (window closed, opted out, at capacity…) arrive as data; a failed request or an
// unexpected server error arrives as urql's CombinedError. Both become a `Problem`.
import type { CombinedError } from '@urql/core';
import { m } from '#lib/paraglide/messages.js';
import { graphql, type ResultOf } from './tada.ts';
import { locale, type Locale } from '#lib/i18n/i18n.ts';
import { labelOf, problems } from '#lib/i18n/labels.ts';

export interface Problem {
	/** The api's stable code (WINDOW_CLOSED, INVALID_INPUT…), or NETWORK / UNEXPECTED. */
	code: string;
	/** The api's English explanation, used when the code has no translation of its own. */
	message: string;
	field?: string;
	parameter?: string | null;
	retryAfterSeconds?: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/**
 * Every typed failure a mutation may answer instead of its payload (each member of the schema's `Error`
 * interface), with what the ones that say more say: the input field at fault, the template parameter at
 * fault (when one is), how long to wait.
 */
const TypedErrorFields = graphql(`
	fragment TypedErrorFields on Error {
		__typename
		code
		message
		... on ValidationError {
			field
		}
		... on TemplateParameterError {
			parameter
		}
		... on TooManyAttemptsError {
			retryAfterSeconds
		}
	}
`);

export type TypedError = ResultOf<typeof TypedErrorFields>;

export function isTypedError(value: unknown): value is TypedError {
	return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

export function problemOfError(error: CombinedError): Problem {
	if (error.networkError) return { code: 'NETWORK', message: error.networkError.message };
	const first = error.graphQLErrors[0];
	const code = first?.extensions?.code;
	return { code: typeof code === 'string' ? code : 'UNEXPECTED', message: first?.message ?? error.message };
}

/** What a success payload holds under `key`; typed errors hold nothing there. */
type ValueAt<P, K extends string> = P extends Record<K, infer V> ? V : never;

/**
 * A mutation's result: the value under `key` of its success payload, its typed error, or why the request
 * failed. Takes a hand-typed `Payload` or a result typed from the contract (gql.tada) alike.
 */
export function outcomeOf<P extends { __typename: string }, K extends string>(
	payload: P | null | undefined,
	key: K,
	error?: CombinedError
): Outcome<ValueAt<P, K>> {
	if (payload && !isTypedError(payload)) return { ok: true, value: (payload as unknown as Record<K, ValueAt<P, K>>)[key] };
	if (payload) {
		const { __typename: _, ...problem } = payload as TypedError;
		return { ok: false, problem };
	}
	return { ok: false, problem: error ? problemOfError(error) : { code: 'UNEXPECTED', message: '' } };
}

/**
 * The sentence shown for a problem: our own words for known codes, else the api's, never nothing. The
 * api explains a refused field or a conflict in English; other languages get our own general words for
 * those (pages that know the field say more at it).
 */
export function problemText(problem: Problem, language: string = locale): string {
	if (language !== 'en' && problem.code === 'INVALID_INPUT') return m.problems_inputRefused({}, { locale: language as Locale });
	if (language !== 'en' && problem.code === 'CONFLICT') return m.problems_conflictRefused({}, { locale: language as Locale });
	return labelOf(problems, problem.code, { message: problem.message }) ?? (problem.message || m.problems_UNEXPECTED());
}
