// Every object type of the built schema declares who may read it, so a type added later cannot forget:
// without a rule its objects would be readable by anyone who finds a path to them.
import type { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from './index.ts';

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);
/**
 * Root fields open to everyone: signing in, opening and accepting an invitation (the link's token is the
 * credential), and node lookups (each node is checked by its type's rule).
 */
const OPEN_ROOT_FIELDS = new Set(['Query.node', 'Query.nodes', 'Mutation.logIn', 'Query.invitation', 'Mutation.acceptInvitation']);

const pothosOptions = (thing: { extensions?: unknown }) =>
  (thing.extensions as { pothosOptions?: { authScopes?: unknown } } | undefined)?.pothosOptions;

// By tag, not instanceof: the schema's graphql module may be another copy (CommonJS) than this file's.
const objectTypes = Object.values(schema.getTypeMap()).filter(
  (type): type is GraphQLObjectType => Object.prototype.toString.call(type) === '[object GraphQLObjectType]' && !type.name.startsWith('__'),
);

describe('read rules', () => {
  it('finds the schema’s object types', () => {
    expect(objectTypes.map((t) => t.name)).toEqual(expect.arrayContaining(['Conversation', 'Message', 'Contact', 'Note', 'ApiKey']));
  });

  it('gives every object type a read rule', () => {
    const withoutRule = objectTypes.filter((t) => !ROOTS.has(t.name) && !pothosOptions(t)?.authScopes).map((t) => t.name);
    expect(withoutRule).toEqual([]);
  });

  it('gives every root field its own scopes, but sign-in, invitations and node lookups', () => {
    const open = objectTypes
      .filter((t) => ROOTS.has(t.name))
      .flatMap((t) => Object.values(t.getFields()).map((f) => ({ name: `${t.name}.${f.name}`, scopes: pothosOptions(f)?.authScopes })))
      .filter((f) => !f.scopes)
      .map((f) => f.name);
    expect(open.sort()).toEqual([...OPEN_ROOT_FIELDS].sort());
  });
});
