import { readFileSync } from 'node:fs';
import { buildSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { DocumentNode } from 'graphql';

/** The documents kept beside their routes and components, each module with its own `operations` list. */
const colocated = import.meta.glob<Record<string, unknown>>(['/src/routes/**/operations.ts', '/src/lib/**/operations.ts'], { eager: true });
const isDocument = (value: unknown): value is DocumentNode => typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'Document';
const operations: DocumentNode[] = Object.values(colocated).flatMap((module) => (module.operations as DocumentNode[] | undefined) ?? []);

const contract = new URL('../../../../schema/schema.graphql', import.meta.url);

// The dashboard depends on the printed contract, never on api internals (ARCHITECTURE.md). A missing
// contract is a failure, not a reason to check nothing: readFileSync throws and every case fails.
describe('dashboard operations', () => {
	describe('against schema/schema.graphql', () => {
		it('has operations to check', () => {
			expect(Object.keys(colocated).length).toBeGreaterThan(1);
			expect(operations.length).toBeGreaterThan(0);
		});

		it.each(Object.entries(colocated))('%s lists every document it exports', (_, module) => {
			expect(module.operations).toBeInstanceOf(Array);
			expect(new Set(module.operations as DocumentNode[])).toEqual(new Set(Object.values(module).filter(isDocument)));
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

function name(document: DocumentNode): string {
	const definition = document.definitions.find((d) => d.kind === 'OperationDefinition');
	return definition?.name?.value ?? 'anonymous';
}
