// User: a person of the tenant (agent, manager, admin), their presence, and the admin work on people.
import { resolveArrayConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { actorId, inTenant, tenantViewer, type Context } from '../context.ts';
import { changeUser, createUser, deactivate } from '../users/manage-users.ts';
import { reactivateUser, listUsers, type UserRecord } from '../users/user-repository.ts';
import { changePresence } from '../users/presence.ts';
import { serveQueues } from '../routing/serve-queues.ts';
import { builder } from './builder.ts';
import { PEOPLE } from './read-rules.ts';
import { COMMON_ERRORS, ConflictError, NotFoundError, ValidationError, unwrap } from './errors.ts';

export const Role = builder.enumType('Role', {
  values: { AGENT: { value: 'agent' }, MANAGER: { value: 'manager' }, ADMIN: { value: 'admin' } } as const,
});
export const Presence = builder.enumType('Presence', {
  values: { ONLINE: { value: 'online' }, AWAY: { value: 'away' }, OFFLINE: { value: 'offline' } } as const,
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
 * Partner keys may provision agents and managers, never admins: a key that could make an admin (whose
 * password it chose) could sign in as them and gain every power a key cannot hold. For the same reason a
 * key cannot change, deactivate or reactivate an admin.
 */
async function refuseKeyOnAdmins(ctx: Context, { role, userId }: { role?: string | null; userId?: string }): Promise<void> {
  if (ctx.viewer?.kind !== 'apiKey') return;
  if (role === 'admin') throw new ValidationError('role', 'Only a signed-in admin can make someone an admin.');
  if (userId) {
    const target = await ctx.loaders.users.load(userId);
    if (target?.role === 'admin') throw new ConflictError('ADMIN_ONLY', 'Only a signed-in admin can change an admin.');
  }
}

builder.mutationFields((t) => ({
  createUser: t.field({
    type: User,
    description: 'Adds a person to the tenant with a first password they should change.',
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: userPayload,
    args: {
      email: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
      role: t.arg({ type: Role, required: true }),
      password: t.arg.string({ required: true }),
      capacity: t.arg.int(),
    },
    resolve: async (_root, args, ctx) => {
      await refuseKeyOnAdmins(ctx, { role: args.role });
      return unwrap(await inTenant(ctx, (tx) => createUser(tx, args)), 'User');
    },
  }),
  updateUser: t.field({
    type: User,
    description: "Changes a person's role, name or capacity.",
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: userPayload,
    args: { id: t.arg.globalID({ required: true, for: User }), role: t.arg({ type: Role }), name: t.arg.string(), capacity: t.arg.int() },
    resolve: async (_root, args, ctx) => {
      await refuseKeyOnAdmins(ctx, { role: args.role, userId: args.id.id });
      return unwrap(await inTenant(ctx, (tx) => changeUser(tx, args.id.id, args)), 'User');
    },
  }),
  deactivateUser: t.field({
    type: User,
    description: 'Ends their sessions and sign-in, and puts their open conversations back in the queue.',
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: userPayload,
    args: { id: t.arg.globalID({ required: true, for: User }) },
    resolve: async (_root, args, ctx) => {
      await refuseKeyOnAdmins(ctx, { userId: args.id.id });
      const viewer = tenantViewer(ctx);
      const result = await inTenant(ctx, (tx) => deactivate(tx, args.id.id, { by: actorId(viewer), tenantId: viewer.tenantId }));
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
      await refuseKeyOnAdmins(ctx, { userId: args.id.id });
      const user = await inTenant(ctx, (tx) => reactivateUser(tx, args.id.id));
      if (!user) throw new NotFoundError('User');
      return user;
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
