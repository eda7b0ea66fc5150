// TenantExport: everything a tenant holds, as one zip its admins download (tenants/export-tenant.ts).
// Admins and ADMIN keys make one with exportTenant, also while the tenant is closed.
import { auditSource } from '../audit/audit-source.ts';
import { tenantViewer } from '../context.ts';
import { TENANT_EXPORT_PATH } from '../http/tenant-export-route.ts';
import { exportTenant, type TenantExportRecord } from '../tenants/export-tenant.ts';
import { builder } from './builder.ts';
import { KEY_ADMINS } from './read-rules.ts';

export const TenantExport = builder.objectRef<TenantExportRecord>('TenantExport').implement({
  authScopes: KEY_ADMINS,
  description: "A zip of all the tenant's data: a JSON file per table, its media files, and manifest.json.",
  fields: (t) => ({
    url: t.string({
      description: 'Where the zip is served until expiresAt: a path on the api (GET, with an admin\'s session cookie or a key with the admin scope).',
      resolve: (e) => `${TENANT_EXPORT_PATH}${e.id}`,
    }),
    expiresAt: t.field({ type: 'DateTime', description: "Then the file is deleted (the retention policy's exportDays).", resolve: (e) => e.expiresAt }),
    byteSize: t.int({ resolve: (e) => e.byteSize }),
  }),
});

builder.mutationField('exportTenant', (t) =>
  t.field({
    type: TenantExport,
    description: "Exports everything the tenant holds into one zip (admins and ADMIN keys). Works while the tenant is closed, until it is purged.",
    authScopes: KEY_ADMINS,
    errors: { types: [], dataField: { name: 'export' } },
    resolve: (_root, _args, ctx) => exportTenant(ctx.sql, ctx.services.blobs, tenantViewer(ctx).tenantId, { audit: auditSource(ctx) }),
  }),
);
