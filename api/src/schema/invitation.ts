// Invitation: what the invitee sees when opening their link, and accepting it with a password of their
// own, which signs them in. Both are open root fields: the link's random token is the credential.
// Issuing links is admin work on people (user.ts: createUser, reissueInvitation).
import { GraphQLError } from 'graphql';
import { sessionCookie } from '../auth/sessions.ts';
import { acceptInvitation, describeInvitation } from '../users/invitations.ts';
import type { OpenInvitation } from '../users/invitation-repository.ts';
import { builder } from './builder.ts';
import { CALLER } from './read-rules.ts';
import { InvalidInvitationError, ValidationError } from './errors.ts';
import { refuseForeignSignIn, SignedIn } from './session.ts';

const Invitation = builder.objectRef<OpenInvitation>('Invitation').implement({
  authScopes: CALLER,
  description: 'An invitation that can still be accepted, as its invitee sees it.',
  fields: (t) => ({
    tenantName: t.exposeString('tenantName', { description: 'The business that invites.' }),
    email: t.exposeString('email', { description: 'The email address the invitee will sign in with.' }),
    name: t.exposeString('name'),
    expiresAt: t.field({ type: 'DateTime', resolve: (i) => i.expiresAt }),
  }),
});

builder.queryField('invitation', (t) =>
  t.field({
    type: Invitation,
    nullable: true,
    description: 'The invitation a link carries; null when the link is unknown, used, replaced by a newer one, or expired.',
    args: { token: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => describeInvitation(ctx.sql, args.token),
  }),
);

builder.mutationField('acceptInvitation', (t) =>
  t.field({
    type: SignedIn,
    description:
      'Sets the invitee’s password and signs them in (the session cookie is set as by logIn). A link works once; their other sessions end.',
    errors: { types: [InvalidInvitationError, ValidationError], dataField: { name: 'session' } },
    args: { token: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      if (!ctx.http) throw new GraphQLError('Accept an invitation over HTTP, not on a socket.');
      refuseForeignSignIn(ctx.http);
      const result = await acceptInvitation(
        { sql: ctx.sql, sessionTtlSeconds: ctx.services.sessions.ttlSeconds },
        { ...args, userAgent: ctx.http.request.headers.get('user-agent'), address: ctx.http.clientAddress },
      );
      if (!result.ok) throw result.code === 'INVALID_INVITATION' ? new InvalidInvitationError() : new ValidationError(result.field, result.message);
      ctx.http.setCookies.push(sessionCookie(result.token, result.expiresAt, ctx.services.sessions));
      return { kind: 'user' as const, expiresAt: result.expiresAt };
    },
  }),
);
