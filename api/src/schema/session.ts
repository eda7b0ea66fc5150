// Session: signing in and out of the dashboard. The token travels only in an HttpOnly cookie.
import { GraphQLError } from 'graphql';
import { logIn } from '../auth/login.ts';
import { closeSession, clearedSessionCookie, sessionCookie } from '../auth/sessions.ts';
import { builder } from './builder.ts';
import { InvalidCredentialsError, TooManyAttemptsError } from './errors.ts';

const SignedIn = builder.objectRef<{ kind: 'user' | 'operator'; expiresAt: Date }>('SignedIn').implement({
  description: 'A new session; the token is in the Set-Cookie header, never in the body.',
  fields: (t) => ({
    operator: t.boolean({ description: 'True for a platform operator (no tenant).', resolve: (s) => s.kind === 'operator' }),
    expiresAt: t.field({ type: 'DateTime', resolve: (s) => s.expiresAt }),
  }),
});

builder.mutationFields((t) => ({
  logIn: t.field({
    type: SignedIn,
    description: 'Signs a person or operator in. Repeated failures pause sign-in for the account and the address.',
    errors: { types: [InvalidCredentialsError, TooManyAttemptsError], dataField: { name: 'session' } },
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      if (!ctx.http) throw new GraphQLError('Sign in over HTTP, not on a socket.');
      const result = await logIn(
        { sql: ctx.sql, throttle: ctx.services.loginThrottle, sessionTtlSeconds: ctx.services.sessions.ttlSeconds },
        { ...args, address: ctx.http.clientAddress, userAgent: ctx.http.request.headers.get('user-agent') },
      );
      if (!result.ok) throw result.reason === 'throttled' ? new TooManyAttemptsError(result.retryAfterSeconds) : new InvalidCredentialsError();
      ctx.http.setCookies.push(sessionCookie(result.token, result.expiresAt, ctx.services.sessions));
      return { kind: result.principal.kind, expiresAt: result.expiresAt };
    },
  }),
  logOut: t.boolean({
    description: 'Ends this session (the cookie is cleared as well).',
    authScopes: { person: true, operator: true },
    resolve: async (_root, _args, ctx) => {
      await closeSession(ctx.sql, ctx.viewer!);
      ctx.http?.setCookies.push(clearedSessionCookie(ctx.services.sessions));
      return true;
    },
  }),
}));
