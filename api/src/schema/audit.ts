// AuditEvent and Query.auditLog: who did what to what, when and from where, for the tenant's admins
// (and ADMIN keys). Entries hold ids; the labels are read when shown (audit/audit-repository.ts).
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { findAuditEventsByIds, listAuditEvents, type AuditEventRecord } from '../audit/audit-repository.ts';
import { findApiKeysByIds } from '../auth/api-key-repository.ts';
import { inTenant, type Context } from '../context.ts';
import { isUuid } from '../loaders.ts';
import { builder } from './builder.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { KEY_ADMINS } from './read-rules.ts';

export const AuditEvent = builder.objectRef<AuditEventRecord>('AuditEvent');

const MAX_PAGE = 100;

/** Who someone in the log is, as the tenant's admins know them; never a customer's name or number. */
async function label(kind: string | null, id: string | null, ctx: Context): Promise<string | null> {
  if (kind === 'user' && id) return (await ctx.loaders.users.load(id))?.name ?? 'Former staff member';
  if (kind === 'api_key' && id) return (await inTenant(ctx, (tx) => findApiKeysByIds(tx, [id])))[0]?.name ?? 'Removed API key';
  if (kind === 'operator') return 'Platform operator';
  if (kind === 'system') return 'Switchboard';
  if (kind === 'anonymous') return 'Someone not signed in';
  if (kind === 'customer') return 'Customer';
  return null;
}

builder.node(AuditEvent, {
  authScopes: KEY_ADMINS,
  description: 'One entry of the audit log. Entries are never changed or removed, except by retention.',
  id: { resolve: (e) => e.id },
  loadMany: async (ids, ctx) => {
    const wanted = ids.filter(isUuid);
    const found = await inTenant(ctx, (tx) => findAuditEventsByIds(tx, wanted));
    return ids.map((id) => found.find((e) => e.id === id) ?? null);
  },
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    action: t.exposeString('action', { description: 'Dotted and stable, e.g. session.signed_in (docs/security.md lists them).' }),
    actorLabel: t.string({ nullable: true, description: 'Who did it: a person, a key, Switchboard itself, or someone not signed in.', resolve: (e, _args, ctx) => label(e.actorKind, e.actorId, ctx) }),
    targetLabel: t.string({ nullable: true, description: 'What it was done to, when that is a person or a key.', resolve: (e, _args, ctx) => label(e.targetKind, e.targetId, ctx) }),
    address: t.string({ nullable: true, description: "The client's IP address.", resolve: (e) => e.address }),
  }),
});

const AuditLogFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    actorId: t.globalID({ description: 'A User or ApiKey id: only what they did.' }),
    action: t.string({ description: 'One action name, e.g. session.sign_in_failed.' }),
    since: t.field({ type: 'DateTime', description: 'From this time on (inclusive).' }),
    until: t.field({ type: 'DateTime', description: 'Before this time.' }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.connection({
    type: AuditEvent,
    description: "The tenant's audit log, newest first: sign-ins (and failed ones), and more as issue 12 adds them.",
    authScopes: KEY_ADMINS,
    args: { filter: t.arg({ type: AuditLogFilter }) },
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<AuditEventRecord[]>>(
        { args, defaultSize: 50, maxSize: MAX_PAGE, toCursor: (e: AuditEventRecord) => encodeCursor(e.at, e.id) },
        ({ after, limit }) => {
          const actor = args.filter?.actorId;
          // An id of anything but a person or a key names nobody: an empty page.
          if (actor && (!['User', 'ApiKey'].includes(actor.typename) || !isUuid(actor.id))) return Promise.resolve([] as AuditEventRecord[]);
          const filter = { actorId: actor?.id, action: args.filter?.action ?? undefined, since: args.filter?.since ?? undefined, until: args.filter?.until ?? undefined };
          return inTenant(ctx, (tx) => listAuditEvents(tx, { after: decodeCursor(after), limit, filter }));
        },
      ),
  }),
);
