import { GraphQLError } from 'graphql';
import { inTenant, tenantViewer } from '../context.ts';
import { findCurrentTenant, type TenantRecord } from '../tenants/tenant-repository.ts';
import { builder } from './builder.ts';

export const Tenant = builder.objectRef<TenantRecord>('Tenant');

builder.node(Tenant, {
  description: 'A business using Switchboard.',
  id: { resolve: (t) => t.id },
  loadMany: async (ids, ctx) => {
    const tenant = await inTenant(ctx, findCurrentTenant);
    return ids.map((id) => (tenant && tenant.id === id ? tenant : null));
  },
  fields: (t) => ({ name: t.exposeString('name') }),
});

const Viewer = builder.objectRef<{ tenantId: string }>('Viewer').implement({
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

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    authScopes: { role: 'agent', keyScope: 'read' },
    resolve: (_root, _args, ctx) => ({ tenantId: tenantViewer(ctx).tenantId }),
  }),
);
