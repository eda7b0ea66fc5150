// User: a person of the tenant (agent, manager, admin), their presence, and the admin work on people,
// who join through an invitation link where they set their own password.
import { resolveArrayConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { actorId, inTenant, tenantViewer, type Context, type KeyScope, type Role as RoleName } from '../context.ts';
import { isUuid } from '../loaders.ts';
import { issueInvitation, reissueInvitation, type InvitationLink as InvitationLinkRecord, type Issuer } from '../users/invitations.ts';
import { changeProfile, changeUser, createUser, deactivate, type ManageResult } from '../users/manage-users.ts';
import { findUsersByIds, reactivateUser, listUsers, type UserRecord } from '../users/user-repository.ts';
import { auditSource, changedFields, recordChange, type AuditSource } from '../audit/audit-source.ts';
import { changePresence } from '../users/presence.ts';
import { serveQueues } from '../routing/serve-queues.ts';
import { builder } from './builder.ts';
import { CALLER, PEOPLE } from './read-rules.ts';
import { COMMON_ERRORS, ConflictError, NotFoundError, ValidationError, unwrap } from './errors.ts';

export const Role = builder.enumType('Role', {
  values: { AGENT: { value: 'agent' }, MANAGER: { value: 'manager' }, ADMIN: { value: 'admin' } } as const,
});
export const Presence = builder.enumType('Presence', {
  values: { ONLINE: { value: 'online' }, AWAY: { value: 'away' }, OFFLINE: { value: 'offline' } } as const,
});

export const Language = builder.enumType('Language', {
  description: "The dashboard's languages.",
  values: { EN: { value: 'en', description: 'English' }, ES: { value: 'es', description: 'Spanish' }, AR: { value: 'ar', description: 'Arabic' }, HE: { value: 'he', description: 'Hebrew' } } as const,
});

export const User = builder.objectRef<UserRecord>('User');

builder.node(User, {
  authScopes: PEOPLE,
  description: 'A person who works in the tenant: an agent, manager or admin.',
  id: { resolve: (u) => u.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.users.load(id)),
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    role: t.field({ type: Role, resolve: (u) => u.role }),
    capacity: t.exposeInt('capacity', { description: 'Open or pending conversations auto-assignment may give them at once.' }),
    presence: t.field({ type: Presence, resolve: (u) => u.presence }),
    presenceChangedAt: t.field({ type: 'DateTime', resolve: (u) => u.presenceChangedAt }),
    active: t.boolean({ resolve: (u) => !u.deactivatedAt }),
    createdAt: t.field({ type: 'DateTime', resolve: (u) => u.createdAt }),
    language: t.field({
      type: Language,
      nullable: true,
      description: "The dashboard language they chose (updateMyProfile); null until they choose, and the dashboard follows their browser's.",
      resolve: (u) => u.language,
    }),
  }),
});

const UpdateMyProfileInput = builder.inputType('UpdateMyProfileInput', {
  fields: (t) => ({
    name: t.string({ description: '1 to 120 characters; unchanged when left out.' }),
    language: t.field({ type: Language, description: "The dashboard's language; null goes back to following the browser, left out keeps it." }),
  }),
});


builder.queryFields((t) => ({
  me: t.field({
    type: User,
    description: 'The signed-in person.',
    authScopes: { person: true },
    resolve: async (_root, _args, ctx) => {
      const viewer = tenantViewer(ctx);
      const me = viewer.kind === 'user' ? await ctx.loaders.users.load(viewer.userId) : null;
      if (!me) throw new GraphQLError('Your account is no longer active.', { extensions: { code: 'UNAUTHENTICATED' } });
      return me;
    },
  }),
  users: t.connection({
    type: User,
    description: "The tenant's people, by name.",
    authScopes: { role: 'agent', keyScope: 'admin' },
    args: { includeDeactivated: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_root, args, ctx) => {
      const users = await inTenant(ctx, (tx) => listUsers(tx, { includeDeactivated: !!args.includeDeactivated }));
      return resolveArrayConnection({ args, defaultSize: 100, maxSize: 500 }, users);
    },
  }),
}));

const userPayload = { types: COMMON_ERRORS, dataField: { name: 'user' } } as const;

/**
 * What each role can do, as key scopes: any person reads and sends; a manager also manages numbers and
 * sees analytics, which for keys is ADMIN. An admin can do more than any key (manage every key, every
 * admin), so no key makes, changes or invites one.
 */
const ROLE_POWERS: Record<RoleName, readonly KeyScope[] | null> = { agent: ['read', 'send'], manager: ['read', 'send', 'admin'], admin: null };

/**
 * A key creates or changes only people whose powers lie within its own scopes: otherwise it could make
 * a person, open their invitation, sign in as them and hold powers it was not given. The roles checked
 * are the person's current one (for a change) and the one they would get.
 */
async function refuseBeyondKeyScopes(ctx: Context, { role, userId }: { role?: RoleName | null; userId?: string }): Promise<void> {
  const viewer = ctx.viewer;
  if (viewer?.kind !== 'apiKey') return;
  if (role === 'admin') throw new ValidationError('role', 'Only a signed-in admin can make someone an admin.');
  const current = userId && isUuid(userId) ? await ctx.loaders.users.load(userId) : null;
  if (current?.role === 'admin') throw new ConflictError('ADMIN_ONLY', 'Only a signed-in admin can change an admin.');
  const needed = new Set([...(role ? ROLE_POWERS[role]! : []), ...(current ? ROLE_POWERS[current.role]! : ROLE_POWERS.agent!)]);
  const lacking = [...needed].filter((scope) => !viewer.scopes.includes(scope));
  if (lacking.length > 0)
    throw new ConflictError('SCOPE_NOT_HELD', `A key can only create or change people whose powers it has itself; this one lacks: ${lacking.join(', ')}.`);
}

/** A change of role, capacity or name, each its own entry; a name is never written, only that it changed. */
async function recordUserChanges(tx: Parameters<typeof recordChange>[0], source: AuditSource, before: UserRecord, after: UserRecord): Promise<void> {
  const target = { kind: 'user', id: after.id };
  const { role, capacity } = changedFields(before, after, ['role', 'capacity']);
  if (role) await recordChange(tx, source, { action: 'user.role_changed', target, detail: role });
  if (capacity) await recordChange(tx, source, { action: 'user.capacity_changed', target, detail: capacity });
  if (before.name !== after.name) await recordChange(tx, source, { action: 'user.renamed', target });
}

/** Who issues an invitation, as stored with it. */
function issuer(ctx: Context): Issuer {
  const viewer = tenantViewer(ctx);
  return viewer.kind === 'user' ? { createdBy: viewer.userId, createdByKey: null } : { createdBy: null, createdByKey: viewer.apiKeyId };
}

export const InvitationLink = builder.objectRef<InvitationLinkRecord>('InvitationLink').implement({
  authScopes: CALLER,
  description:
    'The link a person opens to set their own password. Hand it to them: it works once, until expiresAt (72 hours), and a newer link for the same person replaces it.',
  fields: (t) => ({
    url: t.exposeString('url'),
    expiresAt: t.field({ type: 'DateTime', resolve: (l) => l.expiresAt }),
  }),
});

/** What createUser returns: the person and, this once, their invitation link. */
type CreatedUser = UserRecord & { invitation: InvitationLinkRecord };

builder.mutationFields((t) => ({
  createUser: t.field({
    type: User,
    description:
      'Adds a person to the tenant, without a password: the answer carries their invitation link, where they set their own. ' +
      'A key may add only people whose powers it has itself (READ, SEND and ADMIN), and never an admin.',
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: {
      ...userPayload,
      result: {
        fields: (r) => ({
          invitation: r.field({ type: InvitationLink, resolve: (created) => (created as CreatedUser).invitation }),
        }),
      },
    },
    args: {
      email: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
      role: t.arg({ type: Role, required: true }),
      capacity: t.arg.int(),
    },
    resolve: async (_root, args, ctx): Promise<CreatedUser> => {
      await refuseBeyondKeyScopes(ctx, { role: args.role });
      const by = issuer(ctx);
      const created = await inTenant(ctx, async (tx): Promise<ManageResult<CreatedUser>> => {
        const user = await createUser(tx, args);
        if (!user.ok) return user;
        const { role, capacity } = user.value;
        await recordChange(tx, auditSource(ctx), { action: 'user.created', target: { kind: 'user', id: user.value.id }, detail: { role, capacity } });
        return { ok: true, value: { ...user.value, invitation: await issueInvitation(tx, user.value.id, by, ctx.services.dashboardUrl) } };
      });
      return unwrap(created, 'User');
    },
  }),
  reissueInvitation: t.field({
    type: InvitationLink,
    description:
      'A new invitation link for a person who lost their password or whose link expired; their earlier links stop working. ' +
      'Accepting it sets their password and ends their sessions. Same rules for keys as createUser.',
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: { types: COMMON_ERRORS, dataField: { name: 'invitation' } },
    args: { userId: t.arg.globalID({ required: true, for: User }) },
    resolve: async (_root, args, ctx) => {
      const userId = args.userId.id;
      if (!isUuid(userId)) throw new NotFoundError('User');
      await refuseBeyondKeyScopes(ctx, { userId });
      const link = await inTenant(ctx, async (tx) => {
        const issued = await reissueInvitation(tx, userId, issuer(ctx), ctx.services.dashboardUrl);
        if (issued.ok) await recordChange(tx, auditSource(ctx), { action: 'user.invitation_reissued', target: { kind: 'user', id: userId } });
        return issued;
      });
      return unwrap(link, 'User');
    },
  }),
  updateUser: t.field({
    type: User,
    description: "Changes a person's role, name or capacity.",
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: userPayload,
    args: { id: t.arg.globalID({ required: true, for: User }), role: t.arg({ type: Role }), name: t.arg.string(), capacity: t.arg.int() },
    resolve: async (_root, args, ctx) => {
      await refuseBeyondKeyScopes(ctx, { role: args.role, userId: args.id.id });
      const id = args.id.id;
      const changed = await inTenant(ctx, async (tx) => {
        const [before] = isUuid(id) ? await findUsersByIds(tx, [id]) : [];
        const result = await changeUser(tx, id, args);
        if (result.ok && before) await recordUserChanges(tx, auditSource(ctx), before, result.value);
        return result;
      });
      return unwrap(changed, 'User');
    },
  }),
  deactivateUser: t.field({
    type: User,
    description: 'Ends their sessions and sign-in, and puts their open conversations back in the queue.',
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: userPayload,
    args: { id: t.arg.globalID({ required: true, for: User }) },
    resolve: async (_root, args, ctx) => {
      await refuseBeyondKeyScopes(ctx, { userId: args.id.id });
      const viewer = tenantViewer(ctx);
      const result = await inTenant(ctx, async (tx) => {
        const done = await deactivate(tx, args.id.id, { by: actorId(viewer), tenantId: viewer.tenantId });
        if (done.ok) {
          const detail = { requeuedConversations: done.value.requeuedDepartments.length };
          await recordChange(tx, auditSource(ctx), { action: 'user.deactivated', target: { kind: 'user', id: args.id.id }, detail });
        }
        return done;
      });
      const { user, requeuedDepartments } = unwrap(result, 'User');
      await serveQueues(ctx.sql, viewer.tenantId, requeuedDepartments);
      return user;
    },
  }),
  reactivateUser: t.field({
    type: User,
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: userPayload,
    args: { id: t.arg.globalID({ required: true, for: User }) },
    resolve: async (_root, args, ctx) => {
      await refuseBeyondKeyScopes(ctx, { userId: args.id.id });
      const user = await inTenant(ctx, async (tx) => {
        const reactivated = isUuid(args.id.id) ? await reactivateUser(tx, args.id.id) : null;
        if (reactivated) await recordChange(tx, auditSource(ctx), { action: 'user.reactivated', target: { kind: 'user', id: args.id.id } });
        return reactivated;
      });
      if (!user) throw new NotFoundError('User');
      return user;
    },
  }),
  updateMyProfile: t.field({
    type: User,
    description: "The signed-in person's own name and dashboard language.",
    authScopes: { person: true },
    errors: userPayload,
    args: { input: t.arg({ type: UpdateMyProfileInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = tenantViewer(ctx);
      if (viewer.kind !== 'user') throw new GraphQLError('Only people have a profile');
      const changed = await inTenant(ctx, async (tx) => {
        const [before] = await findUsersByIds(tx, [viewer.userId]);
        const result = await changeProfile(tx, viewer.userId, { name: input.name, language: 'language' in input ? (input.language ?? null) : undefined });
        if (result.ok && before) await recordUserChanges(tx, auditSource(ctx), before, result.value);
        return result;
      });
      if (!changed.ok && changed.code === 'NOT_FOUND') throw new GraphQLError('Your account is no longer active.', { extensions: { code: 'UNAUTHENTICATED' } });
      return unwrap(changed, 'User');
    },
  }),
  setPresence: t.field({
    type: User,
    description: 'Online people receive conversations automatically; away and offline people do not.',
    authScopes: { person: true },
    args: { presence: t.arg({ type: Presence, required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      if (viewer.kind !== 'user') throw new GraphQLError('Only people have presence');
      const user = await changePresence(ctx.sql, viewer, args.presence);
      if (!user) throw new GraphQLError('Your account is no longer active.', { extensions: { code: 'UNAUTHENTICATED' } });
      return user;
    },
  }),
}));

builder.subscriptionField('presenceChanged', (t) =>
  t.field({
    type: User,
    description: "A person's presence changed (managers and admins).",
    authScopes: { role: 'manager' },
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('userChanged', tenantViewer(ctx).tenantId),
    resolve: async (event, _args, ctx) => {
      const user = await ctx.loaders.users.load(event.id);
      if (!user) throw new GraphQLError('User not found');
      return user;
    },
  }),
);
