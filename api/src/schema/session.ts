// Session: signing in and out of the dashboard (the token travels only in an HttpOnly cookie), the
// person's open sessions and ending them, and one's own password, whose change ends the other sessions.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { auditSource, recordChange } from '../audit/audit-source.ts';
import { changeOwnPassword, type PasswordResult } from '../auth/change-password.ts';
import { logIn } from '../auth/login.ts';
import { listUserSessions, revokeUserSession, revokeUserSessions, type ActiveSession } from '../auth/session-repository.ts';
import { closeSession, clearedSessionCookie, sessionCookie } from '../auth/sessions.ts';
import { dbScope, inTenant, tenantViewer, type Context, type Viewer } from '../context.ts';
import { isUuid } from '../loaders.ts';
import { builder } from './builder.ts';
import { CALLER, PERSON } from './read-rules.ts';
import { InvalidCredentialsError, InvalidOtpError, NotFoundError, OtpRequiredError, TooManyAttemptsError, ValidationError } from './errors.ts';
import { User } from './user.ts';

export const SignedIn = builder.objectRef<{ kind: 'user' | 'operator'; expiresAt: Date }>('SignedIn').implement({
  authScopes: CALLER,
  description: 'A new session; the token is in the Set-Cookie header, never in the body.',
  fields: (t) => ({
    operator: t.boolean({ description: 'True for a platform operator (no tenant).', resolve: (s) => s.kind === 'operator' }),
    expiresAt: t.field({ type: 'DateTime', resolve: (s) => s.expiresAt }),
  }),
});

/**
 * Login CSRF: another site's page must not sign a browser in (to an account of its choosing). Every
 * mutation that sets a session cookie (logIn, acceptInvitation) calls this first.
 */
export function refuseForeignSignIn(http: NonNullable<Context['http']>): void {
  if (!http.signInOriginAllowed) throw new GraphQLError('Sign in from the dashboard: this Origin may not sign in.', { extensions: { code: 'FORBIDDEN' } });
}

const LogInInput = builder.inputType('LogInInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    otp: t.string({
      description:
        'For a person with two-factor sign-in on (the answer was OtpRequiredError): the 6-digit code from their app, or one of their recovery codes.',
    }),
  }),
});

function signInRefusal(result: Extract<Awaited<ReturnType<typeof logIn>>, { ok: false }>): Error {
  switch (result.reason) {
    case 'throttled':
      return new TooManyAttemptsError(result.retryAfterSeconds);
    case 'otp_required':
      return new OtpRequiredError();
    case 'invalid_otp':
      return new InvalidOtpError();
    case 'invalid_credentials':
      return new InvalidCredentialsError();
  }
}

builder.mutationFields((t) => ({
  logIn: t.field({
    type: SignedIn,
    description:
      'Signs a person or operator in. A person with two-factor sign-in on gets OtpRequiredError for the password alone, and signs in by sending it again with `otp`. ' +
      'Repeated failures (wrong passwords and wrong codes alike) pause sign-in for the account and the address.',
    errors: { types: [InvalidCredentialsError, OtpRequiredError, InvalidOtpError, TooManyAttemptsError], dataField: { name: 'session' } },
    args: { input: t.arg({ type: LogInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (!ctx.http) throw new GraphQLError('Sign in over HTTP, not on a socket.');
      refuseForeignSignIn(ctx.http);
      const result = await logIn(
        {
          sql: ctx.sql,
          vault: ctx.services.vault,
          throttle: ctx.services.loginThrottle,
          sessionTtlSeconds: ctx.services.sessions.ttlSeconds,
          onAuditFailure: (error) => ctx.services.log('warn', 'audit of a failed sign-in not recorded', { error: (error as Error)?.name }),
        },
        { email: input.email, password: input.password, otp: input.otp, address: ctx.http.clientAddress, userAgent: ctx.http.request.headers.get('user-agent') },
      );
      if (!result.ok) throw signInRefusal(result);
      ctx.http.setCookies.push(sessionCookie(result.token, result.expiresAt, ctx.services.sessions));
      return { kind: result.principal.kind, expiresAt: result.expiresAt };
    },
  }),
  logOut: t.boolean({
    description: 'Ends this session (the cookie is cleared as well).',
    authScopes: { person: true, operator: true },
    resolve: async (_root, _args, ctx) => {
      await closeSession(ctx.sql, ctx.viewer!, { address: ctx.http?.clientAddress });
      ctx.http?.setCookies.push(clearedSessionCookie(ctx.services.sessions));
      return true;
    },
  }),
}));

// Sessions of the signed-in person, and the ways to end them.

const Session = builder.objectRef<ActiveSession>('Session').implement({
  authScopes: PERSON,
  description: 'A signed-in browser of yours. Sessions end at expiresAt, on sign-out, or when revoked.',
  fields: (t) => ({
    id: t.globalID({ resolve: (s) => ({ type: 'Session', id: s.id }) }),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
    lastSeenAt: t.field({ type: 'DateTime', description: 'To the minute.', resolve: (s) => s.lastSeenAt }),
    expiresAt: t.field({ type: 'DateTime', resolve: (s) => s.expiresAt }),
    userAgent: t.exposeString('userAgent', { nullable: true, description: 'The browser, as it described itself at sign-in.' }),
    current: t.boolean({
      description: 'The session making this request.',
      resolve: (s, _args, ctx) => ctx.viewer?.kind === 'user' && ctx.viewer.sessionId === s.id,
    }),
  }),
});

function signedInPerson(ctx: Pick<Context, 'viewer'>): Extract<Viewer, { kind: 'user' }> {
  const viewer = tenantViewer(ctx);
  // The `person` scope is checked first; a key reaching here is a schema mistake.
  if (viewer.kind !== 'user') throw new GraphQLError('Only people have sessions', { extensions: { code: 'FORBIDDEN' } });
  return viewer;
}

builder.queryField('mySessions', (t) =>
  t.field({
    type: [Session],
    description: 'Your sessions that are still open, newest first.',
    authScopes: { person: true },
    resolve: (_root, _args, ctx) => inTenant(ctx, (tx) => listUserSessions(tx, signedInPerson(ctx).userId)),
  }),
);

builder.objectField(User, 'sessions', (t) =>
  t.field({
    type: [Session],
    description: "This person's open sessions, newest first (admins: to see where someone is signed in before ending it).",
    authScopes: { role: 'admin' },
    resolve: (user, _args, ctx) => inTenant(ctx, (tx) => listUserSessions(tx, user.id)),
  }),
);

function passwordOutcome(result: PasswordResult): number {
  if (result.ok) return result.endedSessions;
  switch (result.code) {
    case 'INVALID_CREDENTIALS':
      throw new InvalidCredentialsError();
    case 'TOO_MANY_ATTEMPTS':
      throw new TooManyAttemptsError(result.retryAfterSeconds);
    case 'INVALID_INPUT':
      throw new ValidationError(result.field, result.message);
  }
}

const endedSessions = { name: 'endedSessions', description: 'How many sessions were ended.' } as const;

builder.mutationFields((t) => ({
  revokeSession: t.field({
    type: 'ID',
    description: 'Ends one of your sessions (this one too, if you name it).',
    authScopes: { person: true },
    errors: { types: [NotFoundError], dataField: { name: 'sessionId' } },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const person = signedInPerson(ctx);
      const { typename, id } = args.id;
      const ended =
        typename === 'Session' &&
        isUuid(id) &&
        (await inTenant(ctx, async (tx) => {
          const done = await revokeUserSession(tx, person.userId, id);
          if (done) await recordChange(tx, auditSource(ctx), { action: 'session.revoked', target: { kind: 'session', id } });
          return done;
        }));
      if (!ended) throw new NotFoundError('Session');
      if (id === person.sessionId) ctx.http?.setCookies.push(clearedSessionCookie(ctx.services.sessions));
      return encodeGlobalID('Session', id);
    },
  }),
  logOutEverywhereElse: t.int({
    description: 'Ends all your other sessions; this one stays. Answers how many ended.',
    authScopes: { person: true },
    resolve: (_root, _args, ctx) => {
      const person = signedInPerson(ctx);
      return inTenant(ctx, async (tx) => {
        const ended = await revokeUserSessions(tx, person.userId, { except: person.sessionId });
        await recordChange(tx, auditSource(ctx), { action: 'session.others_revoked', detail: { endedSessions: ended } });
        return ended;
      });
    },
  }),
  revokeUserSessions: t.field({
    type: 'Int',
    description: "Ends every session of a person of the tenant (admins), e.g. after a lost laptop.",
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: { types: [NotFoundError], dataField: endedSessions },
    args: { userId: t.arg.globalID({ required: true, for: User }) },
    resolve: async (_root, args, ctx) => {
      const userId = args.userId.id;
      if (!isUuid(userId) || !(await ctx.loaders.users.load(userId))) throw new NotFoundError('User');
      return inTenant(ctx, async (tx) => {
        const ended = await revokeUserSessions(tx, userId);
        await recordChange(tx, auditSource(ctx), { action: 'user.sessions_revoked', target: { kind: 'user', id: userId }, detail: { endedSessions: ended } });
        return ended;
      });
    },
  }),
  changePassword: t.field({
    type: 'Int',
    description:
      'Changes your password. Your other sessions end; this one stays. Wrong current passwords count towards the sign-in pause.',
    authScopes: { person: true },
    errors: { types: [InvalidCredentialsError, TooManyAttemptsError, ValidationError], dataField: endedSessions },
    args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const person = signedInPerson(ctx);
      const result = await changeOwnPassword(
        { sql: ctx.sql, throttle: ctx.services.loginThrottle },
        { ...dbScope(person), userId: person.userId, sessionId: person.sessionId },
        { ...args, address: ctx.http?.clientAddress ?? 'socket' },
      );
      return passwordOutcome(result);
    },
  }),
}));
