// The S3 blob store against s3rver, a real S3-compatible server. s3rver parses SigV4 headers and checks
// the access key id, but does not verify V4 signatures, so a wrong secret is not detectable here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import { BlobStoreError, createBlobStore, InvalidBlobKeyError, parseBlobStoreConfig, type BlobStore } from '@switchboard/api/media/blob-store';
import { createS3BlobStore } from '@switchboard/api/media/s3-blob-store';

// s3rver's built-in account.
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

let dir: string;
let s3: S3rver;
let endpoint: string;
let store: BlobStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'switchboard-s3rver-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'media' }] });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  store = createS3BlobStore({ endpoint, bucket: 'media', region: 'us-east-1', ...credentials });
});

afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

describe('S3 blob store', () => {
  describe('put and get', () => {
    it('returns the bytes and content type that were put', async () => {
      await store.put('tenant-1/media/photo.jpg', jpeg, { contentType: 'image/jpeg' });
      expect(await store.get('tenant-1/media/photo.jpg')).toEqual({ bytes: jpeg, contentType: 'image/jpeg' });
    });

    it('replaces a blob put again under the same key', async () => {
      await store.put('tenant-1/replaced.bin', jpeg, { contentType: 'image/jpeg' });
      await store.put('tenant-1/replaced.bin', new Uint8Array([1, 2, 3]), { contentType: 'application/pdf' });
      expect(await store.get('tenant-1/replaced.bin')).toEqual({ bytes: new Uint8Array([1, 2, 3]), contentType: 'application/pdf' });
    });

    it('stores a large blob intact', async () => {
      const large = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
      await store.put('tenant-1/large.mp4', large, { contentType: 'video/mp4' });
      const read = await store.get('tenant-1/large.mp4');
      expect(read?.contentType).toBe('video/mp4');
      expect(Buffer.compare(Buffer.from(read?.bytes ?? []), Buffer.from(large))).toBe(0);
    });

    it('returns undefined for a key that holds nothing', async () => {
      expect(await store.get('tenant-1/never-put.jpg')).toBeUndefined();
    });
  });

  describe('delete', () => {
    it('removes the blob', async () => {
      await store.put('tenant-1/deleted.jpg', jpeg, { contentType: 'image/jpeg' });
      await store.delete('tenant-1/deleted.jpg');
      expect(await store.get('tenant-1/deleted.jpg')).toBeUndefined();
    });

    it('accepts a key that holds nothing', async () => {
      await expect(store.delete('tenant-1/never-put.jpg')).resolves.toBeUndefined();
    });
  });

  describe('failures', () => {
    it('refuses keys outside the shared key rule before any request', async () => {
      await expect(store.put('../other-bucket/x', jpeg, { contentType: 'image/jpeg' })).rejects.toThrow(InvalidBlobKeyError);
      await expect(store.get('/absolute')).rejects.toThrow(InvalidBlobKeyError);
    });

    it('throws with the status and S3 code when the credentials are refused, never the secret', async () => {
      const wrong = createS3BlobStore({ endpoint, bucket: 'media', region: 'us-east-1', accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'not-the-secret' });
      const error = await wrong.get('tenant-1/media/photo.jpg').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BlobStoreError);
      expect((error as BlobStoreError).status).toBe(403);
      expect((error as BlobStoreError).message).toBe('S3 GET media/tenant-1/media/photo.jpg failed with HTTP 403 InvalidAccessKeyId');
      expect((error as BlobStoreError).message).not.toContain('not-the-secret');
    });

    it('throws with the status when the bucket does not exist', async () => {
      const missing = createS3BlobStore({ endpoint, bucket: 'no-such-bucket', region: 'us-east-1', ...credentials });
      const error = await missing.put('a.bin', jpeg, { contentType: 'image/jpeg' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BlobStoreError);
      expect((error as BlobStoreError).message).toBe('S3 PUT no-such-bucket/a.bin failed with HTTP 404 NoSuchBucket');
      expect((error as BlobStoreError).status).toBe(404);
    });

    it('throws a readable error when the store cannot be reached', async () => {
      const closed = createS3BlobStore({ endpoint: 'http://127.0.0.1:1', bucket: 'media', region: 'us-east-1', ...credentials });
      await expect(closed.get('a.bin')).rejects.toThrow(new BlobStoreError('S3 GET media/a.bin could not reach the store'));
    });
  });

  describe('chosen by configuration', () => {
    it('is what BLOB_STORE=s3 builds', async () => {
      const parsed = parseBlobStoreConfig({
        BLOB_STORE: 's3',
        S3_ENDPOINT: endpoint,
        S3_BUCKET: 'media',
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      const configured = createBlobStore(parsed.config);
      await configured.put('tenant-2/doc.pdf', jpeg, { contentType: 'application/pdf' });
      expect(await store.get('tenant-2/doc.pdf')).toEqual({ bytes: jpeg, contentType: 'application/pdf' });
    });
  });
});
