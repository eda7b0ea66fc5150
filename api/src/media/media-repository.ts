// SQL for media: inbound media rows (written by ingest, set-based) and their download jobs, what the
// download job reads and records, uploads, and the copy of an upload that an outbound message carries.
import type { Sql, TransactionSql } from '@switchboard/db/connect';

export type MediaStatus = 'pending' | 'stored' | 'failed' | 'unavailable';
export type UnavailableReason = 'missing_media_id' | 'malformed_sha256';

export interface MediaRecord {
  id: string;
  messageId: string | null;
  metaMediaId: string | null;
  mimeType: string | null;
  filename: string | null;
  /** Hex. While pending: the digest the webhook announced; once stored: the digest of the bytes kept. */
  sha256: string | null;
  byteSize: number | null;
  blobKey: string | null;
  status: MediaStatus;
  attempts: number;
  lastError: string | null;
  /** Why there is no file to fetch, when status is unavailable. */
  unavailableReason: UnavailableReason | null;
  uploadedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

// Sizes stay below Meta's 100 MB limit, so they fit an int and come back as numbers, not strings.
const mediaColumns = (tx: TransactionSql) =>
  tx`id, message_id, meta_media_id, mime_type, filename, sha256, byte_size::int as byte_size, blob_key, status, attempts,
      last_error, unavailable_reason, uploaded_by, created_at, updated_at`;

export interface InboundMediaWrite {
  id: string;
  messageId: string;
  metaMediaId: string | null;
  mimeType: string | null;
  filename: string | null;
  sha256: string | null;
  /** Set when Meta's reference is unusable: the row is stored unavailable and never downloaded. */
  unavailableReason: UnavailableReason | null;
}

/**
 * The media rows of a whole ingest batch, in one statement; returns the ids of the rows new now that
 * wait for a download. A message that already has its media row (a duplicate delivery) gets no second
 * one. Their download jobs are added once the batch has committed (download-queue.ts).
 */
export async function insertInboundMedia(tx: TransactionSql, rows: InboundMediaWrite[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const payload = rows.map((m) => ({
    id: m.id,
    message_id: m.messageId,
    meta_media_id: m.metaMediaId,
    mime_type: m.mimeType,
    filename: m.filename,
    sha256: m.sha256,
    status: m.unavailableReason ? 'unavailable' : 'pending',
    unavailable_reason: m.unavailableReason,
  }));
  const inserted = await tx<{ id: string; status: MediaStatus }[]>`
    insert into media (tenant_id, id, message_id, meta_media_id, mime_type, filename, sha256, status, unavailable_reason)
    select app_tenant_id(), x.id, x.message_id, x.meta_media_id, x.mime_type, x.filename, x.sha256, x.status, x.unavailable_reason
      from json_to_recordset(${JSON.stringify(payload)}::text::json)
        as x(id uuid, message_id uuid, meta_media_id text, mime_type text, filename text, sha256 text, status text,
             unavailable_reason text)
    on conflict (tenant_id, message_id) where message_id is not null do nothing
    returning id, status`;
  return inserted.flatMap((r) => (r.status === 'pending' ? [r.id] : []));
}

export interface DownloadJob {
  tenantId: string;
  mediaId: string;
}

/**
 * One `download_media` job per media row, in one call. No job key: a keyed job costs graphile-worker an
 * extra update, and the download itself skips media that is no longer pending, so a second job for the
 * same row (the sweep racing a slow flush) costs one lookup.
 */
export async function addDownloadJobs(sql: Sql, jobs: DownloadJob[], { maxAttempts }: { maxAttempts: number }): Promise<void> {
  if (jobs.length === 0) return;
  await sql`
    select count(*) from graphile_worker.add_jobs(array(
      select ('download_media', json_build_object('tenantId', x.tenant_id, 'mediaId', x.media_id), null, null,
              ${maxAttempts}::smallint, null, 1::smallint, null)::graphile_worker.job_spec
        from json_to_recordset(${JSON.stringify(jobs.map((j) => ({ tenant_id: j.tenantId, media_id: j.mediaId })))}::text::json)
          as x(tenant_id text, media_id text)))`;
}

/** Inbound media of any tenant still pending `olderThanSeconds` after it was stored, with no download job. */
export function findMediaWithoutJob(sql: Sql, { olderThanSeconds, limit }: { olderThanSeconds: number; limit: number }): Promise<DownloadJob[]> {
  return sql<DownloadJob[]>`select tenant_id, media_id from media_without_download_job(make_interval(secs => ${olderThanSeconds}), ${limit})`;
}

export interface MediaDownload {
  id: string;
  messageId: string;
  conversationId: string;
  messageType: string;
  metaMediaId: string;
  mimeType: string | null;
  /** The webhook's digest, as hex. */
  sha256: string | null;
  status: MediaStatus;
  phoneNumberId: string;
  accountId: string;
  sealedToken: string | null;
}

/** An inbound media row with what downloading it needs: its message and the number's sealed token. */
export async function findMediaDownload(tx: TransactionSql, mediaId: string): Promise<MediaDownload | null> {
  const [row] = await tx<MediaDownload[]>`
    select md.id, md.message_id, m.conversation_id, m.type as message_type, md.meta_media_id, md.mime_type, md.sha256,
           md.status, m.phone_number_id, a.id as account_id, a.access_token_sealed as sealed_token
      from media md
      join messages m on m.tenant_id = md.tenant_id and m.id = md.message_id
      join phone_numbers p on p.tenant_id = m.tenant_id and p.phone_number_id = m.phone_number_id
      join whatsapp_accounts a on a.tenant_id = p.tenant_id and a.waba_id = p.waba_id
     where md.tenant_id = app_tenant_id() and md.id = ${mediaId} and md.meta_media_id is not null`;
  return row ?? null;
}

/**
 * Records a downloaded file. Answers `gone` when the media row no longer exists (the customer deleted
 * the message while the file was downloading): the caller then removes the file it just stored.
 */
export async function recordMediaStored(
  tx: TransactionSql,
  mediaId: string,
  stored: { blobKey: string; byteSize: number; mimeType: string; sha256: string; attempts: number },
): Promise<'stored' | 'unchanged' | 'gone'> {
  const [row] = await tx<{ updated: boolean; present: boolean }[]>`
    with updated as (
      update media set status = 'stored', blob_key = ${stored.blobKey}, byte_size = ${stored.byteSize},
             mime_type = ${stored.mimeType}, sha256 = ${stored.sha256}, attempts = ${stored.attempts}, last_error = null,
             updated_at = now()
       where tenant_id = app_tenant_id() and id = ${mediaId} and status = 'pending'
      returning 1)
    select exists (select 1 from updated) as updated,
           exists (select 1 from media where tenant_id = app_tenant_id() and id = ${mediaId}) as present`;
  return row!.updated ? 'stored' : row!.present ? 'unchanged' : 'gone';
}

/** A failed attempt; `final` gives up (status failed), otherwise the row stays pending for the retry. */
export async function recordMediaAttemptFailed(tx: TransactionSql, mediaId: string, failure: { attempts: number; error: string; final: boolean }): Promise<void> {
  await tx`
    update media set attempts = ${failure.attempts}, last_error = ${failure.error},
           status = ${failure.final ? 'failed' : 'pending'}, updated_at = now()
     where tenant_id = app_tenant_id() and id = ${mediaId} and status = 'pending'`;
}

export async function insertUploadedMedia(
  tx: TransactionSql,
  upload: { id: string; mimeType: string; filename: string; sha256: string; byteSize: number; blobKey: string; uploadedBy: string | null },
): Promise<MediaRecord> {
  const [row] = await tx<MediaRecord[]>`
    insert into media (tenant_id, id, mime_type, filename, sha256, byte_size, blob_key, status, uploaded_by)
    values (app_tenant_id(), ${upload.id}, ${upload.mimeType}, ${upload.filename}, ${upload.sha256}, ${upload.byteSize},
            ${upload.blobKey}, 'stored', ${upload.uploadedBy})
    returning ${mediaColumns(tx)}`;
  return row!;
}

/**
 * An outbound message carries its own media row, a copy of the upload (same bytes, same blob), so one
 * upload can be sent several times and each message shows what it sent.
 */
export async function attachUploadToMessage(tx: TransactionSql, uploadId: string, messageId: string): Promise<void> {
  await tx`
    insert into media (tenant_id, message_id, mime_type, filename, sha256, byte_size, blob_key, status, uploaded_by)
    select tenant_id, ${messageId}, mime_type, filename, sha256, byte_size, blob_key, 'stored', uploaded_by
      from media
     where tenant_id = app_tenant_id() and id = ${uploadId} and message_id is null and status = 'stored'`;
}

export async function findMediaByIds(tx: TransactionSql, ids: string[]): Promise<MediaRecord[]> {
  if (ids.length === 0) return [];
  return tx<MediaRecord[]>`select ${mediaColumns(tx)} from media where tenant_id = app_tenant_id() and id = any(${ids}::uuid[])`;
}

export async function findMediaByMessageIds(tx: TransactionSql, messageIds: string[]): Promise<MediaRecord[]> {
  if (messageIds.length === 0) return [];
  return tx<MediaRecord[]>`
    select ${mediaColumns(tx)} from media where tenant_id = app_tenant_id() and message_id = any(${messageIds}::uuid[])`;
}

/** Remembers Meta's id for an uploaded file, so a retried send does not upload it again. */
export async function recordMetaMediaId(tx: TransactionSql, mediaId: string, metaMediaId: string): Promise<void> {
  await tx`update media set meta_media_id = ${metaMediaId}, updated_at = now() where tenant_id = app_tenant_id() and id = ${mediaId}`;
}
