// When a tenant requires two-factor sign-in (Tenant.requireTwoFactor), a person who has not enrolled
// still signs in, but changes nothing until they have: this Pothos plugin wraps every Mutation field
// (so a mutation added later is covered without anyone remembering to) and refuses it with the typed
// TwoFactorEnrolmentRequiredError, or a GraphQL error with the same code where the field has no result
// union. Reads keep working, so the dashboard can show the person where to enrol.
//
// Whether a person must enrol is asked at every request, not stored on the session: turning the
// requirement on applies to sessions already open, and enrolling lifts it at once. Keys and operators
// are not people of a tenant signing in and are never refused here.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { mustEnrolFirst } from '../auth/two-factor.ts';
import type { Context } from '../context.ts';

/** Mutations a person who must still enrol may run, and why. */
export const OPEN_BEFORE_ENROLMENT: Record<string, string> = {
  logIn: 'signing in',
  acceptInvitation: 'signing in',
  logOut: 'signing out',
  revokeSession: 'ending sessions',
  logOutEverywhereElse: 'ending sessions',
  startTotpEnrolment: 'enrolling',
  confirmTotpEnrolment: 'enrolling',
  setPresence: 'the dashboard sets it when a person signs in and out',
  updateMyProfile: 'the language of the page that asks them to enrol',
};

const MESSAGE = 'Your organisation requires two-factor sign-in: set it up on your account page first.';

export class TwoFactorEnrolmentRequiredError extends Error {
  readonly code = 'TWO_FACTOR_ENROLMENT_REQUIRED';
  constructor() {
    super(MESSAGE);
  }
}

const answers = new WeakMap<object, Promise<boolean>>();

function mustEnrol(ctx: Context): Promise<boolean> {
  const viewer = ctx.viewer;
  if (viewer?.kind !== 'user') return Promise.resolve(false);
  let answer = answers.get(ctx);
  if (!answer) {
    answer = mustEnrolFirst(ctx.sql, { tenantId: viewer.tenantId, userId: viewer.userId, role: viewer.role });
    answers.set(ctx, answer);
  }
  return answer;
}

export class EnrolmentFirstPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (fieldConfig.kind !== 'Mutation' || fieldConfig.name in OPEN_BEFORE_ENROLMENT) return resolver;
    const typed = Boolean(fieldConfig.extensions?.pothosErrors);
    return async (parent, args, ctx, info) => {
      if (await mustEnrol(ctx as Context)) {
        if (typed) throw new TwoFactorEnrolmentRequiredError();
        throw new GraphQLError(MESSAGE, { extensions: { code: 'TWO_FACTOR_ENROLMENT_REQUIRED' } });
      }
      return resolver(parent, args, ctx, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      enrolmentFirst: EnrolmentFirstPlugin<Types>;
    }
  }
}

const pluginName = 'enrolmentFirst';
SchemaBuilder.registerPlugin(pluginName, EnrolmentFirstPlugin);
export default pluginName;
