// GET /privacy-exports/<request id>: the zip of an ACCESS or PORTABILITY request, for the tenant's admins
// (session cookie from the dashboard's origin) and partner keys with the admin scope, until it expires.
// Anyone else, another tenant's request, or an expired one answers 404 alike. Each download is audited
// (privacy.export.downloaded).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sql } from '@switchboard/db/connect';
import { withScope } from '@switchboard/db/tenant';
import { recordAudit } from '../audit/audit-repository.ts';
import { authenticateCaller } from '../auth/caller.ts';
import { dbScope } from '../context.ts';
import { isUuid } from '../loaders.ts';
import type { BlobStore } from '../media/blob-store.ts';
import { findLiveExports } from '../privacy/request-repository.ts';
import { reply } from './reply.ts';

export const PRIVACY_EXPORT_PATH = '/privacy-exports/';

export function createPrivacyExportRoute({ sql, blobs, allowedOrigins, clientAddress }: { sql: Sql; blobs: BlobStore; allowedOrigins: string[]; clientAddress: (req: IncomingMessage) => string }) {
  return async function privacyExportRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') return reply(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
    const id = new URL(req.url ?? '/', 'http://api.local').pathname.slice(PRIVACY_EXPORT_PATH.length);
    const caller = await authenticateCaller(sql, { authorization: req.headers.authorization, cookie: req.headers.cookie, origin: req.headers.origin }, allowedOrigins);
    const viewer = caller === 'invalid' ? null : caller;
    if (!viewer) return reply(res, 401, { error: 'sign in, or send a partner key: Authorization: Bearer <key>' }, { 'www-authenticate': 'Bearer' });
    const admin = viewer.kind === 'user' ? viewer.role === 'admin' : viewer.kind === 'apiKey' && viewer.scopes.includes('admin');
    if (viewer.kind === 'operator' || !admin) return reply(res, 403, { error: "only the tenant's admins download privacy exports" });
    if (!isUuid(id)) return reply(res, 404, { error: 'export not found' });
    const found = await withScope(sql, dbScope(viewer), async (tx) => {
      const [live] = await findLiveExports(tx, [id]);
      if (!live) return null;
      await recordAudit(tx, viewer.tenantId, {
        action: 'privacy.export.downloaded',
        actor: viewer.kind === 'user' ? { kind: 'user', id: viewer.userId } : { kind: 'api_key', id: viewer.apiKeyId },
        target: { kind: 'privacy_request', id },
        address: clientAddress(req),
        detail: { byteSize: live.byteSize },
      });
      return live;
    });
    const blob = found ? await blobs.get(found.blobKey) : undefined;
    if (!found || !blob) return reply(res, 404, { error: 'export not found, or expired' });
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': String(blob.bytes.byteLength),
      'content-disposition': `attachment; filename="privacy-export-${id}.zip"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end(blob.bytes);
  };
}
