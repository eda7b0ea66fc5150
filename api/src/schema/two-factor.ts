// Two-factor sign-in: a signed-in person enrols an authenticator app (TOTP) and gets ten recovery codes,
// or turns it off with a code. Only people, for themselves: a key cannot enrol or disable anyone, since
// whoever saw the secret could then sign in as that person. Signing in with a code is logIn's `otp`.
import { GraphQLError } from 'graphql';
import { confirmTotpEnrolment, disableTotp, startTotpEnrolment } from '../auth/two-factor.ts';
import { dbScope, tenantViewer, type Context, type Viewer } from '../context.ts';
import { builder } from './builder.ts';
import { ConflictError, InvalidOtpError, NotFoundError, TooManyAttemptsError, unwrap } from './errors.ts';
import { PERSON } from './read-rules.ts';
import { User } from './user.ts';

function signedInPerson(ctx: Pick<Context, 'viewer'>): Extract<Viewer, { kind: 'user' }> {
  const viewer = tenantViewer(ctx);
  // The `person` scope is checked first; a key reaching here is a schema mistake.
  if (viewer.kind !== 'user') throw new GraphQLError('Only people enrol in two-factor sign-in', { extensions: { code: 'FORBIDDEN' } });
  return viewer;
}

const personOf = (ctx: Context) => {
  const viewer = signedInPerson(ctx);
  return { ...dbScope(viewer), userId: viewer.userId };
};

builder.objectField(User, 'totpEnabled', (t) =>
  t.exposeBoolean('totpEnabled', { description: 'Whether they sign in with a code from an authenticator app as well as their password.' }),
);

builder.mutationFields((t) => ({
  startTotpEnrolment: t.field({
    type: 'String',
    description:
      'Starts enrolling an authenticator app: a new secret, answered once inside an otpauth:// URI (show it as a QR code). ' +
      'Nothing changes at sign-in until confirmTotpEnrolment; starting again replaces the pending secret. ConflictError TOTP_ALREADY_ENABLED while it is on.',
    authScopes: PERSON,
    errors: { types: [ConflictError, NotFoundError], dataField: { name: 'otpauthUri' } },
    resolve: async (_root, _args, ctx) => unwrap(await startTotpEnrolment({ sql: ctx.sql, vault: ctx.services.vault }, personOf(ctx)), 'User'),
  }),
  confirmTotpEnrolment: t.field({
    type: ['String'],
    description:
      'Turns two-factor sign-in on with a code from the app just enrolled, and answers ten recovery codes, this once: each signs in once instead of a code. ' +
      'Audited as user.totp_enabled. InvalidOtpError for a wrong code; ConflictError NO_ENROLMENT_STARTED without startTotpEnrolment.',
    authScopes: PERSON,
    errors: { types: [InvalidOtpError, ConflictError], dataField: { name: 'recoveryCodes' } },
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const result = await confirmTotpEnrolment({ sql: ctx.sql, vault: ctx.services.vault }, personOf(ctx), { code: args.code, address: ctx.http?.clientAddress ?? null });
      if (!result.ok && result.code === 'INVALID_OTP') throw new InvalidOtpError();
      return unwrap(result, 'User');
    },
  }),
  disableTotp: t.field({
    type: User,
    description:
      'Turns two-factor sign-in off with a code from the app or a recovery code; the secret and the recovery codes are deleted. ' +
      'Wrong codes count in the sign-in pause. Audited as user.totp_disabled.',
    authScopes: PERSON,
    errors: { types: [InvalidOtpError, TooManyAttemptsError, ConflictError, NotFoundError], dataField: { name: 'user' } },
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const person = personOf(ctx);
      const result = await disableTotp(
        { sql: ctx.sql, vault: ctx.services.vault, throttle: ctx.services.loginThrottle },
        person,
        { code: args.code, address: ctx.http?.clientAddress ?? 'socket' },
      );
      if (!result.ok && result.code === 'INVALID_OTP') throw new InvalidOtpError();
      if (!result.ok && 'retryAfterSeconds' in result) throw new TooManyAttemptsError(result.retryAfterSeconds);
      unwrap(result, 'User');
      ctx.loaders.users.clear(person.userId);
      const me = await ctx.loaders.users.load(person.userId);
      if (!me) throw new NotFoundError('User');
      return me;
    },
  }),
}));
