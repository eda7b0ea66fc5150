// The delete_media_blob job: removes a file from the blob store once its message was revoked by the
// customer. The job is added in the transaction that removed the media row, so the file goes even if
// this process stops before the job runs; deleting a missing blob is not an error, so retries are safe.
import type { Task } from 'graphile-worker';
import { assertBlobKey, type BlobStore } from './blob-store.ts';

export function createDeleteMediaBlobTask({ blobs }: { blobs: BlobStore }): Task {
  return async (payload) => {
    const key = (payload as { key?: unknown }).key;
    if (typeof key !== 'string') return;
    assertBlobKey(key);
    await blobs.delete(key);
  };
}
