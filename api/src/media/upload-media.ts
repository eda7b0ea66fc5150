// An agent's (or partner's) file, kept in our store until it is sent: checked against what WhatsApp
// accepts (type and Meta's size limit for its kind) before anything is written, then stored under a key
// of the tenant and recorded as an upload of its author.
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Sql } from '@switchboard/db/connect';
import { type DbScope, withScope } from '@switchboard/db/tenant';
import { mediaBlobKey, type BlobStore } from './blob-store.ts';
import { insertUploadedMedia, type MediaRecord } from './media-repository.ts';
import { baseMimeType, extensionOf, MEDIA_LIMITS, mediaKindOfType } from './media-types.ts';

export type StoredUpload = { ok: true; media: MediaRecord } | { ok: false; message: string };

const SUPPORTED_IN_WORDS =
  'JPEG or PNG images, WebP stickers, MP4 or 3GPP videos, AAC, AMR, MP3, M4A or OGG audio, and PDF, text, Word, Excel or PowerPoint documents';

/** What is wrong with a file of this type and size for WhatsApp, or null when it can be sent. */
export function uploadProblem(mimeType: string, size: number): string | null {
  const kind = mediaKindOfType(mimeType);
  if (!kind) return `Files of type ${mimeType ? `"${baseMimeType(mimeType)}"` : 'unknown'} cannot be sent on WhatsApp; it takes ${SUPPORTED_IN_WORDS}.`;
  if (size === 0) return 'The file is empty.';
  const limit = MEDIA_LIMITS[kind];
  if (size > limit) return `WhatsApp takes ${kind} files of at most ${megabytes(limit)} (${limit} bytes); this one has ${size} bytes.`;
  return null;
}

export async function storeUpload(
  { sql, blobs }: { sql: Sql; blobs: BlobStore },
  scope: DbScope,
  { file, uploadedBy }: { file: File; uploadedBy: string | null },
): Promise<StoredUpload> {
  const problem = uploadProblem(file.type, file.size);
  if (problem) return { ok: false, message: problem };
  const mimeType = baseMimeType(file.type);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const id = uuidv7();
  const blobKey = mediaBlobKey(scope.tenantId, id);
  // Bytes first: a row always has its bytes; a crash between the two leaves only an unreferenced blob.
  await blobs.put(blobKey, bytes, { contentType: mimeType });
  const media = await withScope(sql, scope, (tx) =>
    insertUploadedMedia(tx, {
      id,
      mimeType,
      filename: cleanFilename(file.name) ?? `upload.${extensionOf(mimeType)}`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      byteSize: bytes.length,
      blobKey,
      uploadedBy,
    }),
  );
  return { ok: true, media };
}

/** The last path segment, without control characters, at most 240 characters; null if nothing is left. */
export function cleanFilename(name: string | undefined): string | null {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = [...base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()].slice(0, 240).join('');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? null : cleaned;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}
