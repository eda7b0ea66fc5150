// Media Meta holds for a business: uploads (POST /<PHONE_NUMBER_ID>/media) and what customers sent.
// GET /<MEDIA_ID> hands out a CDN URL that lives 5 minutes and is fetched with the same bearer
// token; the sandbox signs the expiry into the query, as lookaside.fbsbx.com does, and answers an
// expired or tampered URL with 404. Supported types and size limits are Meta's, written out here on
// their own rather than taken from api/src/media: the sandbox judges our sender as Meta would, so a
// mistake in the api's table must not be copied into the judge.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type MediaKind = 'audio' | 'document' | 'image' | 'sticker' | 'video';

const megabyte = 1024 * 1024;

export const mediaLimits: Readonly<Record<MediaKind, number>> = {
  audio: 16 * megabyte,
  document: 100 * megabyte,
  image: 5 * megabyte,
  sticker: 500 * 1024,
  video: 16 * megabyte,
};

const kindByMimeType: Readonly<Record<string, MediaKind>> = {
  'audio/aac': 'audio',
  'audio/amr': 'audio',
  'audio/mpeg': 'audio',
  'audio/mp4': 'audio',
  'audio/ogg': 'audio',
  'text/plain': 'document',
  'application/pdf': 'document',
  'application/msword': 'document',
  'application/vnd.ms-excel': 'document',
  'application/vnd.ms-powerpoint': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'document',
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'sticker',
  'video/3gpp': 'video',
  'video/mp4': 'video',
};

export const supportedMimeTypes = Object.keys(kindByMimeType);

/** `audio/ogg; codecs=opus` → audio. */
export function mediaKindOf(mimeType: string): MediaKind | undefined {
  return kindByMimeType[mimeType.split(';')[0]?.trim().toLowerCase() ?? ''];
}

export const mediaUrlLifetimeMs = 5 * 60 * 1_000;

/** Where the sandbox serves downloads, shaped like Meta's CDN path. */
export const mediaDownloadPath = '/whatsapp_business/attachments/';

export interface MediaRecord {
  id: string;
  phoneNumberId: string;
  wabaId: string;
  mimeType: string;
  bytes: Uint8Array;
  sha256Hex: string;
  createdAt: number;
}

export type DownloadCheck = { ok: true; media: MediaRecord } | { ok: false };

export interface MediaStore {
  put(input: { id: string; phoneNumberId: string; wabaId: string; mimeType: string; bytes: Uint8Array; at: number }): MediaRecord;
  get(id: string): MediaRecord | undefined;
  delete(id: string): boolean;
  /** A download URL on `origin` that expires 5 minutes after `now`. */
  downloadUrl(origin: string, id: string, now: number): string;
  checkDownload(url: URL, now: number): DownloadCheck;
}

export function createMediaStore(): MediaStore {
  const media = new Map<string, MediaRecord>();
  const key = randomBytes(32);
  const sign = (mid: string, ext: string): string => `AT${createHmac('sha256', key).update(`${mid}.${ext}`).digest('base64url').slice(0, 32)}`;

  return {
    put({ id, phoneNumberId, wabaId, mimeType, bytes, at }) {
      const record = { id, phoneNumberId, wabaId, mimeType, bytes, sha256Hex: createHash('sha256').update(bytes).digest('hex'), createdAt: at };
      media.set(id, record);
      return record;
    },
    get: (id) => media.get(id),
    delete: (id) => media.delete(id),
    downloadUrl(origin, id, now) {
      const ext = String(Math.ceil((now + mediaUrlLifetimeMs) / 1_000));
      const url = new URL(mediaDownloadPath, origin);
      url.search = new URLSearchParams({ mid: id, ext, hash: sign(id, ext) }).toString();
      return url.toString();
    },
    checkDownload(url, now) {
      const mid = url.searchParams.get('mid') ?? '';
      const ext = url.searchParams.get('ext') ?? '';
      const given = Buffer.from(url.searchParams.get('hash') ?? '');
      const expected = Buffer.from(sign(mid, ext));
      const record = media.get(mid);
      const valid = given.length === expected.length && timingSafeEqual(given, expected);
      if (!valid || !record || now >= Number(ext) * 1_000) return { ok: false };
      return { ok: true, media: record };
    },
  };
}
