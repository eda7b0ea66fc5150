// The download_media job: an inbound media message's file, fetched from Meta and kept in our blob store.
// Media id → GET /<MEDIA_ID> (a URL that lives 5 minutes) → the bytes, with the number's bearer token →
// SHA-256 checked against what Meta announced → stored under a key of the tenant → row marked stored and
// the message announced, so open conversations show the file. A failed attempt is recorded on the row
// and retried by the queue with backoff; after the last attempt the row is marked failed. The message
// itself was committed by ingest before this job could run and is never held back or changed here.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media
import { createHash } from 'node:crypto';
import type { Task } from 'graphile-worker';
import type { Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import type { GraphClient } from '../meta/graph-client.ts';
import { GraphApiError, MediaTooLargeError } from '../meta/graph-errors.ts';
import { notifyChanges } from '../pubsub/change-events.ts';
import type { createTokenCache } from '../tenants/account-token.ts';
import { BlobStoreError, mediaBlobKey, type BlobStore } from './blob-store.ts';
import { findMediaDownload, recordMediaAttemptFailed, recordMediaStored, type DownloadJob, type MediaDownload } from './media-repository.ts';
import { isMediaKind, MEDIA_LIMITS, normaliseSha256 } from './media-types.ts';

export interface MediaDownloaderDeps {
  sql: Sql;
  graph: GraphClient;
  tokens: ReturnType<typeof createTokenCache>;
  blobs: BlobStore;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** For the whole download, including reading the bytes. */
  timeoutMs?: number;
}

/** A failure described in words for last_error; `permanent` when no retry can fix it. */
class DownloadFailure extends Error {
  readonly permanent: boolean;
  constructor(message: string, { permanent = false } = {}) {
    super(message);
    this.permanent = permanent;
  }
}

export function createDownloadMediaTask(deps: MediaDownloaderDeps): Task {
  return async (payload, helpers) => {
    const job = payload as DownloadJob;
    await downloadInboundMedia(deps, job, { attempt: helpers.job.attempts, finalAttempt: helpers.job.attempts >= helpers.job.max_attempts });
  };
}

async function downloadInboundMedia(
  deps: MediaDownloaderDeps,
  job: DownloadJob,
  { attempt, finalAttempt }: { attempt: number; finalAttempt: boolean },
): Promise<'stored' | 'failed' | 'skipped'> {
  const media = await withTenant(deps.sql, job.tenantId, (tx) => findMediaDownload(tx, job.mediaId));
  // Stored or given up already (a duplicate job, or a retry after a crash after commit): nothing to do.
  if (!media || media.status !== 'pending') return 'skipped';

  try {
    const stored = await fetchAndStore(deps, job.tenantId, media);
    const recorded = await withTenant(deps.sql, job.tenantId, async (tx) => {
      const outcome = await recordMediaStored(tx, media.id, { ...stored, attempts: attempt });
      if (outcome === 'stored') await notifyChanges(tx, job.tenantId, { messages: [[media.messageId, media.conversationId]] });
      return outcome;
    });
    // The customer deleted the message meanwhile: its file must not stay behind.
    if (recorded === 'gone') {
      await deps.blobs.delete(stored.blobKey);
      return 'skipped';
    }
    return 'stored';
  } catch (error) {
    const final = (error instanceof DownloadFailure && error.permanent) || error instanceof MediaTooLargeError || finalAttempt;
    const reason = describeFailure(error);
    await withTenant(deps.sql, job.tenantId, async (tx) => {
      await recordMediaAttemptFailed(tx, media.id, { attempts: attempt, error: reason, final });
      if (final) await notifyChanges(tx, job.tenantId, { messages: [[media.messageId, media.conversationId]] });
    });
    deps.log(final ? 'warn' : 'info', final ? 'media download failed' : 'media download will be retried', { mediaId: media.id, attempt, reason });
    if (final) return 'failed';
    // The queue retries with its exponential backoff; the reason is on the row already.
    throw new Error(reason);
  }
}

async function fetchAndStore(deps: MediaDownloaderDeps, tenantId: string, media: MediaDownload) {
  if (!media.sealedToken) throw new DownloadFailure('This WhatsApp account has no access token; an admin must connect it before media can be downloaded.');
  const token = deps.tokens.open(tenantId, media.accountId, media.sealedToken);
  const maxBytes = isMediaKind(media.messageType) ? MEDIA_LIMITS[media.messageType] : MEDIA_LIMITS.document;
  const info = await deps.graph.getMedia(token, media.metaMediaId);
  if (info.fileSize > maxBytes) {
    throw new DownloadFailure(`Meta reports ${info.fileSize} bytes, more than the ${maxBytes}-byte limit for ${media.messageType} media; it was not downloaded.`, { permanent: true });
  }
  const bytes = await deps.graph.downloadMedia(token, info.url, { maxBytes, timeoutMs: deps.timeoutMs ?? 120_000 });

  // Meta announces the digest twice: base64 in the webhook, hex from GET /<MEDIA_ID>. The bytes must
  // match every digest we were given.
  const actual = createHash('sha256').update(bytes).digest('hex');
  const announced = [
    { by: 'the webhook', digest: media.sha256 ?? undefined },
    { by: 'Meta’s media endpoint', digest: normaliseSha256(info.sha256) },
  ];
  for (const { by, digest } of announced) {
    if (digest !== undefined && digest !== actual) {
      throw new DownloadFailure(`The downloaded file does not match the SHA-256 announced by ${by} (expected ${digest}, got ${actual}); it was not kept.`);
    }
  }

  const mimeType = info.mimeType || media.mimeType || 'application/octet-stream';
  const blobKey = mediaBlobKey(tenantId, media.id);
  await deps.blobs.put(blobKey, bytes, { contentType: mimeType });
  return { blobKey, byteSize: bytes.length, mimeType, sha256: actual };
}

// What lands in last_error: readable, and free of tokens and signed URLs (GraphApiError and
// BlobStoreError never carry either; anything else is reduced to its name).
function describeFailure(error: unknown): string {
  if (error instanceof MediaTooLargeError) return `The file is larger than the ${error.maxBytes}-byte limit for its kind; it was not kept.`;
  if (error instanceof DownloadFailure || error instanceof GraphApiError || error instanceof BlobStoreError) return error.message;
  return `Downloading or storing the file failed (${(error as Error)?.name ?? 'unknown error'}).`;
}
