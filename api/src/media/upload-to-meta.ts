// Files agents uploaded to us travel to Meta only when their message is sent: the send job uploads
// the message's file for the sending number (POST /<PHONE_NUMBER_ID>/media) and sends it by the media
// id Meta returns. The id is kept on the message's media row, so a retried send does not upload again.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#upload-media
import type { Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import type { GraphClient } from '../meta/graph-client.ts';
import type { BlobStore } from './blob-store.ts';
import { findMediaByMessageIds, recordMetaMediaId } from './media-repository.ts';
import { isMediaKind } from './media-types.ts';

export interface UploadToMetaDeps {
  sql: Sql;
  graph: GraphClient;
  blobs: BlobStore;
}

export type MetaMediaId = { ok: true; id: string } | { ok: false; reason: string } | undefined;

/**
 * Meta's media id for an outbound media message that carries a file of ours (its content has neither
 * `link` nor `id`), uploading the file first if needed; undefined for every other message. Graph and
 * blob store failures are thrown, for the send job to retry or give up on as it does for sends.
 */
export async function metaMediaIdFor(
  deps: UploadToMetaDeps,
  tenantId: string,
  message: { id: string; type: string; content: Record<string, unknown>; phoneNumberId: string },
  token: string,
): Promise<MetaMediaId> {
  if (!isMediaKind(message.type) || 'link' in message.content || 'id' in message.content) return undefined;
  const [media] = await withTenant(deps.sql, tenantId, (tx) => findMediaByMessageIds(tx, [message.id]));
  if (media?.metaMediaId) return { ok: true, id: media.metaMediaId };
  const blob = media?.status === 'stored' && media.blobKey ? await deps.blobs.get(media.blobKey) : undefined;
  if (!media || !blob) return { ok: false, reason: 'The file for this message is no longer stored; upload it again and resend.' };
  const id = await deps.graph.uploadMedia(token, message.phoneNumberId, {
    bytes: blob.bytes,
    mimeType: media.mimeType ?? blob.contentType,
    filename: media.filename ?? `${message.type}-${media.id}`,
  });
  await withTenant(deps.sql, tenantId, (tx) => recordMetaMediaId(tx, media.id, id));
  return { ok: true, id };
}
