// The dashboard's typed GraphQL: `graphql()` parses a document in the type system against the contract
// (schema/schema.graphql, introspected into graphql-env.d.ts by `pnpm --filter @switchboard/web graphql`,
// which test and typecheck run first), so a document's result and variables are typed from the schema
// itself and a contract change that breaks a page fails svelte-check. Documents live beside the page
// or component that uses them, in an `operations.ts` of their own; fragments several folders share, in a
// `fragments.ts` beside the code that owns them (docs/dashboard.md, "The dashboard's GraphQL").
//
// Fragments are not masked: a document's result holds its fragments' fields as if written inline. The
// dashboard keeps whole results in state and merges live updates into them (the inbox, a conversation's
// timeline), which masking would make into a readFragment at every reader for no safety gained here.
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

export const graphql = initGraphQLTada<{
	introspection: introspection;
	scalars: { DateTime: string; File: File };
	disableMasking: true;
}>();

export type { ResultOf, VariablesOf } from 'gql.tada';

/** What a mutation's answer is besides its payload: a typed error, with the field a ValidationError names. */
export const REFUSAL = `__typename ... on ValidationError { field } ... on Error { code message }`;

/** The same for a mutation whose input cannot be refused field by field: its answer holds no ValidationError. */
export const FAILURE = `__typename ... on Error { code message }`;
