// Reading a stored file for someone who asked for it: the row as the caller may see it (RLS: their
// tenant, and for agents only media of conversations they can see or their own uploads), then the bytes.
import type { Sql } from '@switchboard/db/connect';
import { type DbScope, withScope } from '@switchboard/db/tenant';
import type { BlobStore } from './blob-store.ts';
import { findMediaByIds, type MediaRecord } from './media-repository.ts';

export type ReadMedia =
  | { ok: true; media: MediaRecord; bytes: Uint8Array; contentType: string }
  /** `not_found` also for media of another tenant or out of the caller's sight: its existence is not told. */
  | { ok: false; reason: 'not_found' | 'not_stored' };

export async function readMedia(sql: Sql, blobs: BlobStore, scope: DbScope, mediaId: string): Promise<ReadMedia> {
  const [media] = await withScope(sql, scope, (tx) => findMediaByIds(tx, [mediaId]));
  if (!media) return { ok: false, reason: 'not_found' };
  if (media.status !== 'stored' || !media.blobKey) return { ok: false, reason: 'not_stored' };
  const blob = await blobs.get(media.blobKey);
  // The row says stored but the bytes are gone (erased, or a store that lost them): nothing to serve.
  if (!blob) return { ok: false, reason: 'not_stored' };
  return { ok: true, media, bytes: blob.bytes, contentType: media.mimeType ?? blob.contentType };
}
