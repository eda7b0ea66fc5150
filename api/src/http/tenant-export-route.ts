// GET /tenant-exports/<id>: the zip of a tenant export (tenants/export-tenant.ts), for an admin signed
// in to that tenant (session cookie, from the dashboard's origin or none) or a key with the admin
// scope, until it expires. Anyone else's export, or an expired one, answers 404 like one that never
// existed. Each download is audited as tenant.export.downloaded, with the caller and their address.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sql } from '@switchboard/db/connect';
import { withScope } from '@switchboard/db/tenant';
import { recordAudit } from '../audit/audit-repository.ts';
import { authenticateCaller } from '../auth/caller.ts';
import { dbScope } from '../context.ts';
import { isUuid } from '../loaders.ts';
import type { BlobStore } from '../media/blob-store.ts';
import { findLiveTenantExport } from '../tenants/export-tenant.ts';
import { contentDisposition } from './media-route.ts';
import { reply } from './reply.ts';

export const TENANT_EXPORT_PATH = '/tenant-exports/';

export function createTenantExportRoute({
  sql,
  blobs,
  allowedOrigins,
  clientAddressOf,
}: {
  sql: Sql;
  blobs: BlobStore;
  allowedOrigins: string[];
  clientAddressOf: (req: IncomingMessage) => string;
}) {
  return async function tenantExportRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') return reply(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
    const id = new URL(req.url ?? '/', 'http://api.local').pathname.slice(TENANT_EXPORT_PATH.length);

    const caller = await authenticateCaller(sql, { authorization: req.headers.authorization, cookie: req.headers.cookie, origin: req.headers.origin }, allowedOrigins);
    const viewer = caller === 'invalid' ? null : caller;
    if (!viewer) return reply(res, 401, { error: 'sign in, or send a partner key: Authorization: Bearer <key>' }, { 'www-authenticate': 'Bearer' });
    if (viewer.kind === 'operator') return reply(res, 403, { error: "an export belongs to a tenant; its admins download it" });
    if (viewer.kind === 'user' && viewer.role !== 'admin') return reply(res, 403, { error: 'only admins download exports' });
    if (viewer.kind === 'apiKey' && !viewer.scopes.includes('admin')) return reply(res, 403, { error: 'this key lacks the admin scope' });
    if (!isUuid(id)) return reply(res, 404, { error: 'export not found' });

    const found = await withScope(sql, dbScope(viewer), (tx) => findLiveTenantExport(tx, id));
    const blob = found ? await blobs.get(found.blobKey) : undefined;
    if (!found || !blob) return reply(res, 404, { error: 'export not found' });

    const actor = viewer.kind === 'user' ? ({ kind: 'user', id: viewer.userId } as const) : ({ kind: 'api_key', id: viewer.apiKeyId } as const);
    await withScope(sql, dbScope(viewer), (tx) =>
      recordAudit(tx, viewer.tenantId, { action: 'tenant.export.downloaded', actor, target: { kind: 'tenant_export', id }, address: clientAddressOf(req), detail: { byteSize: found.byteSize } }),
    );
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': String(blob.bytes.byteLength),
      'content-disposition': contentDisposition('attachment', `switchboard-export-${found.createdAt.toISOString().slice(0, 10)}.zip`),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'same-site',
      'referrer-policy': 'no-referrer',
    });
    res.end(blob.bytes);
  };
}
