// A closed tenant is read-only (issue 12, tenant closure), enforced in one place: this Pothos plugin
// wraps every Mutation field, so a mutation added later is refused in a closed tenant without anyone
// remembering to. It runs inside scope-auth (a caller without the right still gets FORBIDDEN) and
// inside the errors plugin, which turns the refusal into the typed TenantClosedError of the field's
// result; the few mutations without a result union get a GraphQL error with the same code.
//
// What a person or key of a closed tenant may still do: sign in and out, end sessions (their own or,
// for admins, others'), set their own availability, and export everything. Operators are not tenant
// callers and are never refused here.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { inTenant, type Context } from '../context.ts';

/** Mutations a closed tenant's people and keys may still run, and why. */
export const OPEN_WHEN_CLOSED: Record<string, string> = {
  logIn: 'signing in to read and export',
  logOut: 'signing out',
  logOutEverywhereElse: 'ending sessions',
  revokeSession: 'ending sessions',
  revokeUserSessions: 'ending sessions',
  setPresence: "a person's own availability, changed by signing in and out",
  exportTenant: "the admins' export of everything, the point of the grace period",
  exportAnalytics: 'a read: the figures as a CSV file',
};

const MESSAGE = 'This account is closed and read-only: nothing can be changed. Admins can still export everything until it is deleted.';

/** The refusal, as the typed error of a mutation's result (registered in errors.ts). */
export class TenantClosedError extends Error {
  readonly code = 'TENANT_CLOSED';
  constructor() {
    super(MESSAGE);
  }
}

// One question per request, however many mutations it runs.
const openness = new WeakMap<object, Promise<boolean>>();

/** Whether the caller's tenant takes changes; operators and callers without a tenant are not asked. */
export function callerTenantIsOpen(ctx: Context): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer || viewer.kind === 'operator') return Promise.resolve(true);
  let answer = openness.get(ctx);
  if (!answer) {
    answer = inTenant(ctx, async (tx) => (await tx<{ open: boolean }[]>`select tenant_is_open() as open`)[0]!.open);
    openness.set(ctx, answer);
  }
  return answer;
}

export class ReadOnlyWhenClosedPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (fieldConfig.kind !== 'Mutation' || fieldConfig.name in OPEN_WHEN_CLOSED) return resolver;
    const typed = Boolean(fieldConfig.extensions?.pothosErrors);
    return async (parent, args, ctx, info) => {
      if (!(await callerTenantIsOpen(ctx as Context))) {
        if (typed) throw new TenantClosedError();
        throw new GraphQLError(MESSAGE, { extensions: { code: 'TENANT_CLOSED' } });
      }
      return resolver(parent, args, ctx, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      readOnlyWhenClosed: ReadOnlyWhenClosedPlugin<Types>;
    }
  }
}

const pluginName = 'readOnlyWhenClosed';
SchemaBuilder.registerPlugin(pluginName, ReadOnlyWhenClosedPlugin);
export default pluginName;
