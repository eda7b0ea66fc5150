import { readFileSync } from 'node:fs';
import { buildSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as everything from './operations.ts';
import { operations } from './operations.ts';

const contract = new URL('../../../../schema/schema.graphql', import.meta.url);

// The dashboard depends on the printed contract, never on api internals (ARCHITECTURE.md). A missing
// contract is a failure, not a reason to check nothing: readFileSync throws and every case fails.
describe('dashboard operations', () => {
	describe('against schema/schema.graphql', () => {
		it('has operations to check, every one the module exports', () => {
			expect(operations.length).toBeGreaterThan(0);
			const exported = Object.values(everything).filter((value) => typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'Document');
			expect(new Set(operations)).toEqual(new Set(exported));
		});

		it.each(operations.map((document) => [name(document), document] as const))(
			'%s is valid',
			(_, document) => {
				const schema = buildSchema(readFileSync(contract, 'utf8'));
				expect(validate(schema, document).map((error) => error.message)).toEqual([]);
			}
		);
	});
});

function name(document: (typeof operations)[number]): string {
	const definition = document.definitions.find((d) => d.kind === 'OperationDefinition');
	return definition?.name?.value ?? 'anonymous';
}
