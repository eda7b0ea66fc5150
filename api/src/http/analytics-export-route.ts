// GET /analytics-exports/<id>: an analytics CSV (exportAnalytics), for the tenant's managers and admins
// (session cookie from the dashboard's origin) and partner keys with READ, until it expires. Nobody: 401;
// agents and other keys: 403; another tenant's export, an unknown or an expired one: 404 alike. Each
// download is audited (analytics.export.downloaded).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sql } from '@switchboard/db/connect';
import { withScope } from '@switchboard/db/tenant';
import { recordAudit } from '../audit/audit-repository.ts';
import { authenticateCaller } from '../auth/caller.ts';
import { findLiveAnalyticsExport } from '../analytics/export.ts';
import { dbScope } from '../context.ts';
import { isUuid } from '../loaders.ts';
import type { BlobStore } from '../media/blob-store.ts';
import { reply } from './reply.ts';

export const ANALYTICS_EXPORT_PATH = '/analytics-exports/';

export function createAnalyticsExportRoute({ sql, blobs, allowedOrigins, clientAddress }: { sql: Sql; blobs: BlobStore; allowedOrigins: string[]; clientAddress: (req: IncomingMessage) => string }) {
  return async function analyticsExportRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') return reply(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
    // The dashboard fetches the file from its own origin to show the download's progress: CORS for the
    // dashboard's origins only, with credentials (the session cookie), and the headers progress needs.
    const origin = req.headers.origin;
    if (origin && allowedOrigins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', 'content-length, content-disposition');
      res.setHeader('vary', 'origin');
    }
    const id = new URL(req.url ?? '/', 'http://api.local').pathname.slice(ANALYTICS_EXPORT_PATH.length);
    const caller = await authenticateCaller(sql, { authorization: req.headers.authorization, cookie: req.headers.cookie, origin: req.headers.origin }, allowedOrigins);
    const viewer = caller === 'invalid' ? null : caller;
    if (!viewer) return reply(res, 401, { error: 'sign in, or send a partner key: Authorization: Bearer <key>' }, { 'www-authenticate': 'Bearer' });
    const reader = viewer.kind === 'user' ? viewer.role !== 'agent' : viewer.kind === 'apiKey' && viewer.scopes.includes('read');
    if (viewer.kind === 'operator' || !reader) return reply(res, 403, { error: "only the tenant's managers, admins and READ keys download analytics" });
    if (!isUuid(id)) return reply(res, 404, { error: 'export not found' });
    const found = await withScope(sql, dbScope(viewer), async (tx) => {
      const live = await findLiveAnalyticsExport(tx, id);
      if (!live) return null;
      await recordAudit(tx, viewer.tenantId, {
        action: 'analytics.export.downloaded',
        actor: viewer.kind === 'user' ? { kind: 'user', id: viewer.userId } : { kind: 'api_key', id: viewer.apiKeyId },
        target: { kind: 'analytics_export', id },
        address: clientAddress(req),
        detail: { report: live.report, byteSize: live.byteSize },
      });
      return live;
    });
    const blob = found ? await blobs.get(found.blobKey) : undefined;
    if (!found || !blob) return reply(res, 404, { error: 'export not found, or expired' });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(blob.bytes.byteLength),
      'content-disposition': `attachment; filename="analytics-${found.report}-${id}.csv"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end(blob.bytes);
  };
}
