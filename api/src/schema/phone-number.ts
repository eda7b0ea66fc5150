// PhoneNumber: a tenant's WhatsApp business numbers, connecting one after Embedded Signup, and their
// settings. The WABA's access token is sealed in the database and no field here can return it.
import { GraphQLError } from 'graphql';
import { withTenant } from '@switchboard/db/tenant';
import { inTenant, type Context } from '../context.ts';
import { isUuid } from '../loaders.ts';
import { findDepartmentsByIds } from '../routing/department-repository.ts';
import { connectNumber } from '../tenants/connect-number.ts';
import { auditSource, changedFields, recordChange } from '../audit/audit-source.ts';
import { findPhoneNumbersByIds, listPhoneNumbers, updateNumberSettings, type PhoneNumberRecord } from '../tenants/phone-number-repository.ts';
import { builder } from './builder.ts';
import { NUMBER_MANAGERS } from './read-rules.ts';
import { Department } from './department.ts';
import { ConflictError, NotFoundError, OnboardingStepError, UserError, ValidationError } from './errors.ts';
import { actingTenantId, Tenant } from './tenant.ts';

const PhoneNumberStatus = builder.enumType('PhoneNumberStatus', {
  values: {
    PENDING_REGISTRATION: { value: 'pending_registration', description: 'Connecting did not finish; statusReason says where it stopped.' },
    CONNECTED: { value: 'connected', description: 'Sends and receives messages.' },
    NEEDS_REAUTHORISATION: { value: 'needs_reauthorisation', description: "Meta no longer accepts the account's token; connect it again." },
    DISCONNECTED: { value: 'disconnected', description: 'No longer in use.' },
  } as const,
});

export const PhoneNumber = builder.objectRef<PhoneNumberRecord>('PhoneNumber');

builder.node(PhoneNumber, {
  authScopes: NUMBER_MANAGERS,
  description: 'A WhatsApp business number of the tenant.',
  id: { resolve: (p) => p.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.phoneNumbers.load(id)),
  fields: (t) => ({
    phoneNumberId: t.exposeString('phoneNumberId', { description: "Meta's id of the number (phone_number_id)." }),
    wabaId: t.exposeString('wabaId', { description: 'The WhatsApp Business Account it belongs to.' }),
    displayPhoneNumber: t.exposeString('displayPhoneNumber', { description: 'Digits with the country code, as in webhooks: "15550783881".' }),
    verifiedName: t.exposeString('verifiedName', { nullable: true, description: 'The display name Meta approved.' }),
    status: t.field({ type: PhoneNumberStatus, resolve: (p) => p.status }),
    statusReason: t.exposeString('statusReason', { nullable: true, description: 'Why it is not connected, in plain words.' }),
    qualityRating: t.exposeString('qualityRating', { nullable: true, description: "Meta's quality rating when last connected: GREEN, YELLOW, RED or UNKNOWN." }),
    throughputPerSecond: t.exposeInt('throughputPerSecond', { description: 'The pace outbound messages leave at (Meta allows 80, or up to 1000 on HIGH).' }),
    defaultDepartment: t.field({
      type: Department,
      nullable: true,
      description: 'Where new conversations on this number wait.',
      resolve: async (p, _args, ctx) => {
        if (!p.defaultDepartmentId) return null;
        // Operators have no tenant of their own to load through; they read the number's tenant.
        if (ctx.viewer?.kind !== 'operator') return ctx.loaders.departments.load(p.defaultDepartmentId);
        const [department] = await withTenant(ctx.sql, p.tenantId, (tx) => findDepartmentsByIds(tx, [p.defaultDepartmentId!]));
        return department ?? null;
      },
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (p) => p.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (p) => p.updatedAt }),
  }),
});

builder.queryField('phoneNumbers', (t) =>
  t.field({
    type: [PhoneNumber],
    description: "The tenant's WhatsApp numbers in every state. Operators name the tenant.",
    authScopes: { role: 'manager', keyScope: 'admin', operator: true },
    args: { tenantId: t.arg.globalID({ for: Tenant }) },
    resolve: async (_root, args, ctx) => {
      const tenantId = await actingTenantId(ctx, args.tenantId).catch(asQueryError);
      return withTenant(ctx.sql, tenantId, listPhoneNumbers);
    },
  }),
);

/** Queries have no typed errors: a user error becomes a plain GraphQL error with its code. */
function asQueryError(error: unknown): never {
  if (error instanceof UserError) throw new GraphQLError(error.message, { extensions: { code: error.code } });
  throw error;
}

const ConnectWhatsAppNumberInput = builder.inputType('ConnectWhatsAppNumberInput', {
  description: "What Embedded Signup gave the browser (FB.login's code and the WA_EMBEDDED_SIGNUP message) and the number's PIN.",
  fields: (t) => ({
    code: t.string({
      description: 'The code from FB.login (lives 30 seconds, works once). Omit it to retry a failed connection with the token already stored.',
    }),
    wabaId: t.string({ required: true }),
    phoneNumberId: t.string({ required: true }),
    businessId: t.string(),
    pin: t.string({ required: true, description: 'The 6-digit two-step verification PIN to register the number with.' }),
    tenantId: t.globalID({ for: Tenant, description: 'Operators only: the tenant to connect the number to.' }),
  }),
});

async function connect(ctx: Context, input: typeof ConnectWhatsAppNumberInput.$inferInput): Promise<PhoneNumberRecord> {
  const tenantId = await actingTenantId(ctx, input.tenantId);
  const { sql, services } = ctx;
  const { actor, address } = auditSource(ctx, tenantId);
  const result = await connectNumber({ sql, graph: services.graph, vault: services.vault, metaApp: services.metaApp }, { ...input, tenantId, audit: { actor, address } });
  if (result.ok) return result.value;
  switch (result.code) {
    case 'INVALID_INPUT':
      throw new ValidationError(result.field, result.message);
    case 'ONBOARDING_STEP_FAILED':
      throw new OnboardingStepError(result.step, result.metaCode, result.message);
    case 'NOT_CONFIGURED':
      throw new GraphQLError(result.message, { extensions: { code: result.code } });
  }
}

builder.mutationFields((t) => ({
  connectWhatsAppNumber: t.field({
    type: PhoneNumber,
    description:
      'Connects a number after Embedded Signup: trades the code for a business token (stored sealed, never returned), subscribes ' +
      'the app to the WABA, registers the number with its PIN and records it as CONNECTED. A failed step leaves the number ' +
      'PENDING_REGISTRATION with the reason; running again completes it. Admins for their tenant, operators for any.',
    authScopes: { role: 'admin', operator: true },
    errors: { types: [ValidationError, NotFoundError, ConflictError, OnboardingStepError], dataField: { name: 'phoneNumber' } },
    args: { input: t.arg({ type: ConnectWhatsAppNumberInput, required: true }) },
    resolve: (_root, { input }, ctx) => connect(ctx, input),
  }),
  updatePhoneNumber: t.field({
    type: PhoneNumber,
    description: "Changes a number's sending pace or the department its new conversations wait in (null: the tenant's default).",
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'phoneNumber' } },
    args: {
      id: t.arg.globalID({ required: true, for: PhoneNumber }),
      throughputPerSecond: t.arg.int({ description: '1 to 1000 messages per second.' }),
      defaultDepartmentId: t.arg.globalID({ for: Department }),
    },
    resolve: async (_root, args, ctx) => {
      const throughput = args.throughputPerSecond ?? undefined;
      if (throughput !== undefined && (!Number.isInteger(throughput) || throughput < 1 || throughput > 1000)) {
        throw new ValidationError('throughputPerSecond', 'Throughput is 1 to 1000 messages per second.');
      }
      const departmentId = args.defaultDepartmentId === undefined ? undefined : (args.defaultDepartmentId?.id ?? null);
      const updated = await inTenant(ctx, async (tx) => {
        if (departmentId && (!isUuid(departmentId) || (await findDepartmentsByIds(tx, [departmentId])).length === 0)) throw new NotFoundError('Department');
        const [before] = isUuid(args.id.id) ? await findPhoneNumbersByIds(tx, [args.id.id]) : [];
        if (!before) return null;
        const after = await updateNumberSettings(tx, args.id.id, { throughputPerSecond: throughput, defaultDepartmentId: departmentId });
        const changed = after ? changedFields(before, after, ['throughputPerSecond', 'defaultDepartmentId']) : {};
        if (Object.keys(changed).length > 0) await recordChange(tx, auditSource(ctx), { action: 'phone_number.updated', target: { kind: 'phone_number', id: before.id }, detail: changed });
        return after;
      });
      if (!updated) throw new NotFoundError('Phone number');
      return updated;
    },
  }),
}));
