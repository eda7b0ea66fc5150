// Cloud API media: upload (multipart, Meta's types and size limits), retrieve the URL and hash,
// delete, and the CDN download itself, which needs the same bearer token and stops working five
// minutes after the URL was handed out.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
import type { IncomingHttpHeaders } from 'node:http';
import type { BusinessRegistry } from './businesses.ts';
import type { Faults } from './faults.ts';
import { authenticate, authorizePhoneNumber } from './graph-auth.ts';
import { fail, graphFailure, invalidChoice, missingParameter, type GraphResult } from './graph-errors.ts';
import { mediaKindOf, mediaLimits, supportedMimeTypes, type MediaRecord, type MediaStore } from './media-store.ts';
import type { RouteResponse } from './router.ts';

export interface MediaContext {
  registry: BusinessRegistry;
  media: MediaStore;
  faults: Faults;
  appId: string;
  now: () => number;
  newMediaId: () => string;
}

export interface MediaInfo {
  messaging_product: 'whatsapp';
  url: string;
  mime_type: string;
  /** Hex here; webhooks carry the same digest in base64. */
  sha256: string;
  file_size: number;
  id: string;
}

export async function uploadMedia(
  context: MediaContext,
  { phoneNumberId, headers, rawBody }: { phoneNumberId: string; headers: IncomingHttpHeaders; rawBody: Buffer },
): Promise<GraphResult<{ id: string }>> {
  const at = context.now();
  const token = authenticate(context.registry, headers, { now: at, appId: context.appId });
  if (!token.ok) return token;
  const number = authorizePhoneNumber(context.registry, token.value, 'POST', phoneNumberId);
  if (!number.ok) return number;

  const contentType = headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) return fail(missingParameter('file'));
  let form: FormData;
  try {
    form = await new Request('http://sandbox.local/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(rawBody) }).formData();
  } catch {
    return fail(graphFailure(100, { details: 'The multipart body could not be parsed' }));
  }
  const product = form.get('messaging_product');
  if (product === null) return fail(missingParameter('messaging_product'));
  if (product !== 'whatsapp') return fail(invalidChoice('messaging_product', ['whatsapp'], product));
  const file = form.get('file');
  if (file === null || typeof file === 'string') return fail(missingParameter('file'));
  const declared = form.get('type');
  const mimeType = typeof declared === 'string' && declared !== '' ? declared : file.type;
  const kind = mediaKindOf(mimeType);
  if (!kind) {
    return fail(
      graphFailure(100, {
        message: `(#100) Param file must be a file with one of the following types: ${supportedMimeTypes.join(', ')}. Received file of type '${mimeType}'.`,
        details: `type: ${mimeType} is not a supported media type`,
      }),
    );
  }
  if (file.size > mediaLimits[kind]) {
    return fail(graphFailure(100, { details: `file: ${file.size} bytes exceeds the ${mediaLimits[kind]}-byte limit for ${kind} media` }));
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const record = context.media.put({ id: context.newMediaId(), phoneNumberId, wabaId: number.value.wabaId, mimeType, bytes, at });
  return { ok: true, value: { id: record.id } };
}

export function mediaInfo(
  context: MediaContext,
  { media, headers, origin }: { media: MediaRecord; headers: IncomingHttpHeaders; origin: string },
): GraphResult<MediaInfo> {
  const at = context.now();
  const token = authenticate(context.registry, headers, { now: at, appId: context.appId });
  if (!token.ok) return token;
  if (!token.value.wabaIds.has(media.wabaId)) return fail(graphFailure(10));
  return {
    ok: true,
    value: {
      messaging_product: 'whatsapp',
      url: context.media.downloadUrl(origin, media.id, at),
      mime_type: media.mimeType,
      sha256: media.sha256Hex,
      file_size: media.bytes.length,
      id: media.id,
    },
  };
}

export function deleteMedia(context: MediaContext, { media, headers }: { media: MediaRecord; headers: IncomingHttpHeaders }): GraphResult<{ success: true }> {
  const token = authenticate(context.registry, headers, { now: context.now(), appId: context.appId });
  if (!token.ok) return token;
  if (!token.value.wabaIds.has(media.wabaId)) return fail(graphFailure(10));
  context.media.delete(media.id);
  return { ok: true, value: { success: true } };
}

/** The CDN: bearer token first (401), then the signed URL (404 once expired), then injected 5xx. */
export function downloadMedia(context: MediaContext, { url, headers }: { url: URL; headers: IncomingHttpHeaders }): RouteResponse {
  const at = context.now();
  const token = authenticate(context.registry, headers, { now: at, appId: context.appId });
  const unauthorized: RouteResponse = { status: 401, text: 'Unauthorized' };
  if (!token.ok) return unauthorized;
  const check = context.media.checkDownload(url, at);
  if (!check.ok) return { status: 404, text: 'URL signature expired' };
  if (!token.value.wabaIds.has(check.media.wabaId)) return unauthorized;
  const fault = context.faults.takeMediaDownload(check.media.id);
  if (fault) return { status: fault.httpStatus, text: '' };
  return {
    status: 200,
    bytes: check.media.bytes,
    headers: { 'content-type': check.media.mimeType.split(';')[0] ?? 'application/octet-stream', 'content-length': String(check.media.bytes.length) },
  };
}
