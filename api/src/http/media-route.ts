// GET /media/<id>: the bytes of a stored media file, for a person signed in to its tenant (session
// cookie, from the dashboard's origin or none) or a partner key with the read scope. Agents get only
// media of conversations they can see; anyone else's media answers 404, exactly like media that does
// not exist. Files are never cached by the browser or proxies, never sniffed, and only images, audio
// and video are shown inline; everything else downloads.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sql } from '@switchboard/db/connect';
import { authenticateCaller } from '../auth/caller.ts';
import { dbScope, type Viewer } from '../context.ts';
import { isUuid } from '../loaders.ts';
import type { BlobStore } from '../media/blob-store.ts';
import { readMedia } from '../media/read-media.ts';
import { baseMimeType, extensionOf } from '../media/media-types.ts';
import { reply } from './reply.ts';

export const MEDIA_PATH = '/media/';

const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/3gpp', 'audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg']);
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(?:\s*;\s*[a-z0-9_-]+=[a-z0-9_.+-]+)*$/i;

export function createMediaRoute({ sql, blobs, allowedOrigins }: { sql: Sql; blobs: BlobStore; allowedOrigins: string[] }) {
  return async function mediaRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://api.local');
    const id = url.pathname.slice(MEDIA_PATH.length);

    const caller = await authenticateCaller(sql, { authorization: req.headers.authorization, cookie: req.headers.cookie, origin: req.headers.origin }, allowedOrigins);
    const viewer = caller === 'invalid' ? null : caller;
    if (!viewer) return reply(res, 401, { error: 'sign in, or send a partner key: Authorization: Bearer <key>' }, { 'www-authenticate': 'Bearer' });
    if (viewer.kind === 'operator') return reply(res, 403, { error: 'media belongs to a tenant; sign in to it' });
    if (viewer.kind === 'apiKey' && !viewer.scopes.includes('read')) return reply(res, 403, { error: 'this key lacks the read scope' });
    if (!isUuid(id)) return reply(res, 404, { error: 'media not found' });

    const read = await readMedia(sql, blobs, dbScope(viewer), id);
    if (!read.ok) return reply(res, 404, { error: read.reason === 'not_found' ? 'media not found' : 'media is not stored (yet)' });

    const type = MIME_TYPE.test(read.contentType) ? read.contentType : 'application/octet-stream';
    const inline = INLINE_TYPES.has(baseMimeType(type)) && !url.searchParams.has('download');
    const filename = read.media.filename ?? `media-${read.media.id}.${extensionOf(type)}`;
    res.writeHead(200, {
      'content-type': type,
      'content-length': String(read.bytes.byteLength),
      'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', filename),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      // A customer's file opened on its own must not run anything with the api's origin.
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'same-site',
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : read.bytes);
  };
}

/** As for GraphQL over HTTP: a key when one is offered, else the session cookie from an allowed origin. */
/**
 * RFC 6266: an ASCII `filename` for old clients and the exact name as `filename*` (RFC 8187). Path
 * separators, quotes and control characters never reach either.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const safe = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f"\\/:*?<>|]+/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const cleaned = [...safe].slice(0, 150).join('') || 'download';
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, '_').replace(/%/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
