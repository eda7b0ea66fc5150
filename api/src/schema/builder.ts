// Pothos configuration only: plugins, context, auth scopes and scalar types. Types live one noun per file.
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ReadOnlyWhenClosedPlugin, { TenantClosedError } from './read-only-when-closed.ts';
import EnrolmentFirstPlugin, { TwoFactorEnrolmentRequiredError } from './enrolment-first.ts';
import { createGraphQLError } from 'graphql-yoga';
import type { Context, KeyScope, Role } from '../context.ts';
import { CALLER } from './read-rules.ts';
import { LIST_SIZE, pageCost } from './query-cost.ts';

const RANK: Record<Role, number> = { agent: 1, manager: 2, admin: 3 };

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: {
    /** A person of the tenant signed in to the dashboard, with at least this role. */
    role: Role;
    /** A partner API key carrying this scope. */
    keyScope: KeyScope;
    /** Any person signed in to the tenant (not a key). */
    person: boolean;
    /** A platform operator. */
    operator: boolean;
    /** Anyone acting in a tenant: a person or a key of any scope. */
    tenantCaller: boolean;
    /** Whoever the field returning the object let through (read-rules.ts, CALLER). */
    caller: boolean;
  };
  /** File: an upload by the GraphQL multipart request spec (input only). */
  Scalars: { DateTime: { Input: Date; Output: Date }; File: { Input: File; Output: never } };
  DefaultFieldNullability: false;
}>({
  // Last, so that they run inside scope-auth and the errors plugin: see read-only-when-closed.ts.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, ComplexityPlugin, ReadOnlyWhenClosedPlugin, EnrolmentFirstPlugin],
  defaultFieldNullability: false,
  // What an operation may ask for is priced before it runs (http/query-cost.ts holds the budgets): a
  // field costs 1, and what is selected under a list costs once per item it may hold — a connection's
  // `first`/`last` (else its largest page), `nodes`' ids, and LIST_SIZE for lists without paging.
  // Checked in the execute hook, so the plugin's own per-resolver check stays off.
  complexity: { defaultComplexity: 1, defaultListMultiplier: LIST_SIZE, disabled: true },
  // Every object type carries a read rule (read-rules.ts); the generated ones get theirs here.
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    defaultConnectionTypeOptions: { authScopes: CALLER },
    defaultEdgeTypeOptions: { authScopes: CALLER },
    pageInfoTypeOptions: { authScopes: CALLER },
    // A connection multiplies by its page size; its edges then count once each.
    defaultConnectionFieldOptions: { complexity: pageCost },
    edgesFieldOptions: { complexity: { field: 1, multiplier: 1 } },
    nodesQueryOptions: { complexity: (args: { ids: readonly unknown[] }) => ({ field: 1, multiplier: args.ids.length }) },
  },
  // Any mutation may meet a closed tenant, or a person who must enrol in two-factor sign-in first.
  errors: { defaultTypes: [TenantClosedError, TwoFactorEnrolmentRequiredError], defaultResultOptions: { authScopes: CALLER } },
  scopeAuth: {
    // A type's rule is checked once per object, at the field that returns it: null and one error there,
    // on every path (nested, node/nodes, mutation payloads, subscription events).
    runScopesOnType: true,
    // A subscription's own scopes are checked when it starts, not only when its events arrive.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      role: (needed: Role) => ctx.viewer?.kind === 'user' && RANK[ctx.viewer.role] >= RANK[needed],
      keyScope: (needed: KeyScope) => ctx.viewer?.kind === 'apiKey' && ctx.viewer.scopes.includes(needed),
      person: ctx.viewer?.kind === 'user',
      operator: ctx.viewer?.kind === 'operator',
      tenantCaller: ctx.viewer?.kind === 'user' || ctx.viewer?.kind === 'apiKey',
      caller: true,
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer
        ? createGraphQLError('You do not have access to this.', { extensions: { code: 'FORBIDDEN' } })
        : createGraphQLError('Sign in, or send a valid API key: Authorization: Bearer <key>', {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
          }),
  },
});
