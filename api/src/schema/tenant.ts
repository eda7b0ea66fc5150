// Tenant: a business using Switchboard. Its people and keys see it through `viewer`; platform operators
// list every tenant with an overview of its people and numbers, and create tenants with a first admin.
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { inPlatform, inTenant, tenantViewer, type Context } from '../context.ts';
import { isUuid } from '../loaders.ts';
import { closeTenant, reopenTenant, MAX_GRACE_DAYS, DEFAULT_GRACE_DAYS } from '../tenants/close-tenant.ts';
import { createTenant, type CreatedTenant } from '../tenants/create-tenant.ts';
import { TENANT_NAME_MAX, updateTenant } from '../tenants/update-tenant.ts';
import {
  findCurrentTenant,
  findTenantOverviews,
  findTenantsByIds,
  listTenants,
  type TenantOverview,
  type TenantRecord,
} from '../tenants/tenant-repository.ts';
import { builder } from './builder.ts';
import { KEY_ADMINS, TENANT, TENANT_CALLERS } from './read-rules.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { ConflictError, NotFoundError, unwrap, ValidationError } from './errors.ts';
import { auditSource } from '../audit/audit-source.ts';
import { User } from './user.ts';

/** A tenant, with its overview when the operators' list has already loaded it. */
type TenantNode = TenantRecord & { overview?: TenantOverview };

export const Tenant = builder.objectRef<TenantNode>('Tenant');

const TenantStatus = builder.enumType('TenantStatus', {
  values: {
    ONBOARDING: { value: 'onboarding', description: 'No WhatsApp number is connected yet.' },
    ACTIVE: { value: 'active', description: 'At least one number is connected and none needs attention.' },
    NEEDS_ATTENTION: { value: 'needs_attention', description: 'A number needs re-authorisation or is disconnected.' },
    CLOSED: { value: 'closed', description: 'Closed by an operator: read-only until purgeAfter, when its data is purged.' },
    PURGED: { value: 'purged', description: 'Closed and purged: only this tombstone is left.' },
  } as const,
});

async function overviewOf(tenant: TenantNode, ctx: Context): Promise<TenantOverview> {
  if (tenant.overview) return tenant.overview;
  const [overview] = await inPlatform(ctx, (tx) => findTenantOverviews(tx, [tenant.id]));
  return overview ?? { tenantId: tenant.id, people: 0, phoneNumbers: 0, connectedNumbers: 0, troubledNumbers: 0 };
}

const operators = { operator: true } as const;

builder.node(Tenant, {
  authScopes: TENANT,
  description: 'A business using Switchboard.',
  id: { resolve: (t) => t.id },
  loadMany: async (ids, ctx) => {
    if (!ctx.viewer) return ids.map(() => null);
    if (ctx.viewer.kind === 'operator') {
      const rows = await inPlatform(ctx, (tx) => findTenantsByIds(tx, ids.filter(isUuid)));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }
    const tenant = await inTenant(ctx, findCurrentTenant);
    return ids.map((id) => (tenant && tenant.id === id ? tenant : null));
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone', { description: "The IANA zone its analytics count days, hours and weekdays in (UTC until set)." }),
    requireTwoFactor: t.exposeBoolean('requireTwoFactor', {
      description: 'Everyone must sign in with two factors: a person who has not enrolled changes nothing until they have (TwoFactorEnrolmentRequiredError).',
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (tenant) => tenant.createdAt }),
    closedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When an operator closed it: from then on it is read-only. Null while open.',
      resolve: (tenant) => tenant.closedAt,
    }),
    purgeAfter: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When a closed tenant is purged: everything of it is deleted. Export before then (exportTenant).',
      resolve: (tenant) => tenant.purgeAfter,
    }),
    status: t.field({
      type: TenantStatus,
      description: 'Operators only.',
      authScopes: operators,
      resolve: async (tenant, _args, ctx) => {
        if (tenant.purgedAt) return 'purged';
        if (tenant.closedAt) return 'closed';
        const o = await overviewOf(tenant, ctx);
        return o.troubledNumbers > 0 ? 'needs_attention' : o.connectedNumbers > 0 ? 'active' : 'onboarding';
      },
    }),
    peopleCount: t.int({
      description: 'Active people (agents, managers, admins). Operators only.',
      authScopes: operators,
      resolve: async (tenant, _args, ctx) => (await overviewOf(tenant, ctx)).people,
    }),
    phoneNumberCount: t.int({
      description: 'WhatsApp numbers in any state. Operators only.',
      authScopes: operators,
      resolve: async (tenant, _args, ctx) => (await overviewOf(tenant, ctx)).phoneNumbers,
    }),
    connectedPhoneNumberCount: t.int({
      description: 'Operators only.',
      authScopes: operators,
      resolve: async (tenant, _args, ctx) => (await overviewOf(tenant, ctx)).connectedNumbers,
    }),
  }),
});

/**
 * The tenant a request acts on: a person's or key's own, or for an operator the one named (which must
 * exist). A person or key naming another tenant finds nothing.
 */
export async function actingTenantId(ctx: Context, requested: { id: string } | null | undefined): Promise<string> {
  if (ctx.viewer?.kind === 'operator') {
    if (!requested) throw new ValidationError('tenantId', 'Name the tenant to act on.');
    const [found] = isUuid(requested.id) ? await inPlatform(ctx, (tx) => findTenantsByIds(tx, [requested.id])) : [];
    if (!found) throw new NotFoundError('Tenant');
    return found.id;
  }
  const own = tenantViewer(ctx).tenantId;
  if (requested && requested.id !== own) throw new NotFoundError('Tenant');
  return own;
}

const Viewer = builder.objectRef<{ tenantId: string }>('Viewer').implement({
  authScopes: TENANT_CALLERS,
  description: 'Who is asking: the tenant the credentials belong to.',
  fields: (t) => ({
    tenant: t.field({
      type: Tenant,
      resolve: async (_viewer, _args, ctx) => {
        const tenant = await inTenant(ctx, findCurrentTenant);
        if (!tenant) throw new GraphQLError('Tenant not found');
        return tenant;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    authScopes: { role: 'agent', keyScope: 'read' },
    resolve: (_root, _args, ctx) => ({ tenantId: tenantViewer(ctx).tenantId }),
  }),
  tenants: t.connection({
    type: Tenant,
    description: 'Every tenant, newest first (operators only).',
    authScopes: operators,
    args: { search: t.arg.string({ description: 'Part of the name, any case.' }) },
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<TenantNode[]>>(
        { args, defaultSize: 50, maxSize: 200, toCursor: (tenant: TenantNode) => encodeCursor(tenant.createdAt, tenant.id) },
        async ({ before, after, limit, inverted }): Promise<TenantNode[]> =>
          inPlatform(ctx, async (tx) => {
            const search = args.search?.trim() || null;
            const tenants = await listTenants(tx, { search, after: decodeCursor(after), before: decodeCursor(before), limit, inverted });
            const overviews = new Map((await findTenantOverviews(tx, tenants.map((x) => x.id))).map((o) => [o.tenantId, o]));
            return tenants.map((tenant) => ({ ...tenant, overview: overviews.get(tenant.id) }));
          }),
      ),
  }),
}));

const CreateTenantAdminInput = builder.inputType('CreateTenantAdminInput', {
  fields: (t) => ({
    email: t.string({ required: true, description: 'Their sign-in name: unique within the tenant (sign-in tries each account with the email; the password picks it).' }),
    name: t.string({ required: true }),
    password: t.string({
      description: 'At least 10 characters. Omit it to have one generated: it is returned once, in generatedPassword, to hand over.',
    }),
  }),
});

const CreateTenantInput = builder.inputType('CreateTenantInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    admin: t.field({ type: CreateTenantAdminInput, required: true, description: "The tenant's first admin." }),
  }),
});

type CreatedTenantNode = TenantNode & Pick<CreatedTenant, 'admin' | 'generatedPassword'>;

builder.mutationField('createTenant', (t) =>
  t.field({
    type: Tenant,
    description: 'Creates a tenant with its first admin and a default "Support" department the admin belongs to (operators only).',
    authScopes: operators,
    errors: {
      types: [ValidationError, ConflictError],
      dataField: { name: 'tenant' },
      result: {
        fields: (r) => ({
          admin: r.field({ type: User, resolve: (created) => (created as CreatedTenantNode).admin }),
          generatedPassword: r.string({
            nullable: true,
            description: "The admin's generated password when none was given; shown this once, never stored in the clear.",
            resolve: (created) => (created as CreatedTenantNode).generatedPassword,
          }),
        }),
      },
    },
    args: { input: t.arg({ type: CreateTenantInput, required: true }) },
    resolve: async (_root, { input }, ctx): Promise<CreatedTenantNode> => {
      const operator = ctx.viewer?.kind === 'operator' ? ctx.viewer.operatorId : null;
      const result = await createTenant(ctx.sql, input, { actor: { kind: 'operator', id: operator }, address: ctx.http?.clientAddress ?? null });
      if (!result.ok) {
        if (result.code === 'INVALID_INPUT') throw new ValidationError(result.field, result.message);
        throw new ConflictError(result.code, result.message);
      }
      const { tenant, admin, generatedPassword } = result.value;
      return { ...tenant, admin, generatedPassword };
    },
  }),
);

/** The tenant an operator names by its global id; a malformed or unknown one is NotFound. */
const tenantArg = (id: { id: string; typename: string }) => {
  if (id.typename !== 'Tenant' || !isUuid(id.id)) throw new NotFoundError('Tenant');
  return id.id;
};

builder.mutationField('closeTenant', (t) =>
  t.field({
    type: Tenant,
    description:
      `Closes a tenant (operators only): its people and keys can still sign in, read and export everything, but change nothing; ` +
      `webhooks for it are dropped; after graceDays (1–${MAX_GRACE_DAYS}, default ${DEFAULT_GRACE_DAYS}) all its data is purged.`,
    authScopes: operators,
    errors: { types: [ValidationError, NotFoundError, ConflictError], dataField: { name: 'tenant' } },
    args: {
      id: t.arg.globalID({ required: true }),
      graceDays: t.arg.int({ description: `Days before the purge, 1–${MAX_GRACE_DAYS}; ${DEFAULT_GRACE_DAYS} when left out.` }),
    },
    resolve: async (_root, args, ctx) => {
      const tenantId = tenantArg(args.id);
      const { actor, address } = auditSource(ctx, tenantId);
      return unwrap(await closeTenant(ctx.sql, tenantId, { graceDays: args.graceDays, audit: { actor, address } }), 'Tenant');
    },
  }),
);

builder.mutationField('reopenTenant', (t) =>
  t.field({
    type: Tenant,
    description: 'Reopens a closed tenant during its grace period (operators only): it takes changes and webhooks again.',
    authScopes: operators,
    errors: { types: [NotFoundError, ConflictError], dataField: { name: 'tenant' } },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const tenantId = tenantArg(args.id);
      const { actor, address } = auditSource(ctx, tenantId);
      return unwrap(await reopenTenant(ctx.sql, tenantId, { audit: { actor, address } }), 'Tenant');
    },
  }),
);

// An admin's own tenant settings: its name and time zone.

const UpdateTenantInput = builder.inputType('UpdateTenantInput', {
  description: 'What to change; what is left out stays.',
  fields: (t) => ({
    name: t.string({ description: `The business's name, 1 to ${TENANT_NAME_MAX} characters (trimmed).` }),
    timeZone: t.string({ description: 'An IANA zone (e.g. Europe/Madrid): analytics count days, hours and weekdays in it, past figures included.' }),
    requireTwoFactor: t.boolean({ description: 'Require two-factor sign-in of everyone in the tenant (Tenant.requireTwoFactor).' }),
  }),
});

builder.mutationField('updateTenant', (t) =>
  t.field({
    type: Tenant,
    description:
      "Changes the tenant's name, time zone or two-factor requirement. Admins and ADMIN keys; recorded in the audit log " +
      "(tenant.updated: the fields changed, and the old and new values of the zone and the requirement).",
    authScopes: KEY_ADMINS,
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'tenant' } },
    args: { input: t.arg({ type: UpdateTenantInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const tenantId = viewer.tenantId;
      const actor = viewer.kind === 'user' ? ({ kind: 'user', id: viewer.userId } as const) : ({ kind: 'api_key', id: viewer.apiKeyId } as const);
      const result = await inTenant(ctx, (tx) => updateTenant(tx, { tenantId, patch: args.input, actor, address: ctx.http?.clientAddress ?? null }));
      return unwrap(result, 'Tenant');
    },
  }),
);
