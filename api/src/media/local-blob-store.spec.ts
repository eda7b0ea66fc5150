import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBlobStore, InvalidBlobKeyError, parseBlobStoreConfig, type BlobStore } from './blob-store.ts';
import { createLocalBlobStore } from './local-blob-store.ts';

let dir: string;
let store: BlobStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'switchboard-blobs-'));
  store = createLocalBlobStore({ dir });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const key = 'tenant-6f1c0a9e/media/1234567890.jpg';

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('local blob store', () => {
  describe('put and get', () => {
    it('returns the bytes and content type that were put', async () => {
      await store.put(key, jpeg, { contentType: 'image/jpeg' });
      expect(await store.get(key)).toEqual({ bytes: jpeg, contentType: 'image/jpeg' });
    });

    it('keeps the bytes at <dir>/<key> and the type beside them', async () => {
      await store.put(key, jpeg, { contentType: 'image/jpeg' });
      expect(await filesUnder(dir)).toEqual([key, `${key}~content-type`]);
      expect(new Uint8Array(await readFile(path.join(dir, key)))).toEqual(jpeg);
      expect(await readFile(path.join(dir, `${key}~content-type`), 'utf8')).toBe('image/jpeg');
    });

    it('replaces a blob put again under the same key', async () => {
      await store.put(key, jpeg, { contentType: 'image/jpeg' });
      await store.put(key, new Uint8Array([1, 2, 3]), { contentType: 'application/pdf' });
      expect(await store.get(key)).toEqual({ bytes: new Uint8Array([1, 2, 3]), contentType: 'application/pdf' });
    });

    it('stores an empty blob', async () => {
      await store.put('empty.bin', new Uint8Array(0), { contentType: 'application/octet-stream' });
      expect(await store.get('empty.bin')).toEqual({ bytes: new Uint8Array(0), contentType: 'application/octet-stream' });
    });

    it('stores a large blob intact', async () => {
      const large = new Uint8Array(5 * 1024 * 1024).map((_, i) => i % 251);
      await store.put('large.bin', large, { contentType: 'video/mp4' });
      const read = await store.get('large.bin');
      expect(read?.bytes.length).toBe(large.length);
      expect(Buffer.compare(Buffer.from(read?.bytes ?? []), Buffer.from(large))).toBe(0);
    });

    it('returns undefined for a key that holds nothing', async () => {
      expect(await store.get('nothing/here.jpg')).toBeUndefined();
    });

    it('returns undefined for a key that is only a directory prefix of another', async () => {
      await store.put(key, jpeg, { contentType: 'image/jpeg' });
      expect(await store.get('tenant-6f1c0a9e/media')).toBeUndefined();
      expect(await store.get(`${key}/deeper`)).toBeUndefined();
    });

    it('falls back to application/octet-stream when the type file is missing', async () => {
      await writeFile(path.join(dir, 'legacy.bin'), jpeg);
      expect(await store.get('legacy.bin')).toEqual({ bytes: jpeg, contentType: 'application/octet-stream' });
    });
  });

  describe('atomic writes', () => {
    it('leaves no temp files behind', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`k/${i % 4}.bin`, new Uint8Array([i]), { contentType: 'x/y' })));
      const files = await filesUnder(dir);
      expect(files.filter((file) => file.includes('~tmp-'))).toEqual([]);
      expect(files).toEqual(['k/0.bin', 'k/0.bin~content-type', 'k/1.bin', 'k/1.bin~content-type', 'k/2.bin', 'k/2.bin~content-type', 'k/3.bin', 'k/3.bin~content-type']);
    });

    it('never lets a reader see a torn blob while concurrent writers replace it', async () => {
      const a = new Uint8Array(256 * 1024).fill(0xaa);
      const b = new Uint8Array(256 * 1024).fill(0xbb);
      await store.put('race.bin', a, { contentType: 'x/a' });
      const writes = Array.from({ length: 10 }, (_, i) => store.put('race.bin', i % 2 ? a : b, { contentType: 'x/y' }));
      const reads = Array.from({ length: 10 }, () => store.get('race.bin'));
      await Promise.all(writes);
      for (const read of await Promise.all(reads)) {
        expect(read?.bytes.length).toBe(a.length);
        expect(new Set(read?.bytes).size).toBe(1);
      }
    });
  });

  describe('delete', () => {
    it('removes the bytes and the type', async () => {
      await store.put(key, jpeg, { contentType: 'image/jpeg' });
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      expect(await filesUnder(dir)).toEqual([]);
    });

    it('accepts a key that holds nothing', async () => {
      await expect(store.delete('never/put.bin')).resolves.toBeUndefined();
    });
  });

  describe('key validation', () => {
    const invalid = [
      '',
      '/etc/passwd',
      '../outside',
      'a/../../outside',
      'a/..',
      'a..b',
      './a',
      'a/./b',
      'a//b',
      'a/',
      'a\\b',
      'a b',
      'a~content-type',
      'ä.jpg',
      'a%2F..',
      'x'.repeat(1025),
    ];

    it.each(invalid)('refuses %j on put, get and delete', async (bad) => {
      await expect(store.put(bad, jpeg, { contentType: 'image/jpeg' })).rejects.toThrow(InvalidBlobKeyError);
      await expect(store.get(bad)).rejects.toThrow(InvalidBlobKeyError);
      await expect(store.delete(bad)).rejects.toThrow(InvalidBlobKeyError);
    });

    it('writes nothing for a refused key', async () => {
      await store.put('../escape.bin', jpeg, { contentType: 'image/jpeg' }).catch(() => {});
      expect(await filesUnder(dir)).toEqual([]);
      expect(await readdir(path.dirname(dir))).not.toContain('escape.bin');
    });

    it('accepts letters, digits, "_", "-", "." and "/" between segments', async () => {
      const ok = 'Tenant_1/wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTdDMTRF-x/file.tar.gz';
      await store.put(ok, jpeg, { contentType: 'application/gzip' });
      expect(await store.get(ok)).toEqual({ bytes: jpeg, contentType: 'application/gzip' });
    });
  });

  describe('chosen by configuration', () => {
    it('is the default store, under .data/media', () => {
      expect(parseBlobStoreConfig({})).toEqual({ ok: true, config: { kind: 'local', dir: '.data/media' } });
    });

    it('uses BLOB_DIR', async () => {
      const parsed = parseBlobStoreConfig({ BLOB_STORE: 'local', BLOB_DIR: dir });
      expect(parsed).toEqual({ ok: true, config: { kind: 'local', dir } });
      if (!parsed.ok) return;
      await createBlobStore(parsed.config).put('via-config.txt', jpeg, { contentType: 'text/plain' });
      expect(await store.get('via-config.txt')).toEqual({ bytes: jpeg, contentType: 'text/plain' });
    });

    it('reports an unknown BLOB_STORE', () => {
      expect(parseBlobStoreConfig({ BLOB_STORE: 'gcs' })).toEqual({ ok: false, problems: ['BLOB_STORE must be "local" or "s3", not "gcs"'] });
    });

    it('reports every missing S3 setting at once', () => {
      expect(parseBlobStoreConfig({ BLOB_STORE: 's3', S3_BUCKET: 'media' })).toEqual({
        ok: false,
        problems: [
          'S3_ENDPOINT is required when BLOB_STORE=s3',
          'S3_ACCESS_KEY_ID is required when BLOB_STORE=s3',
          'S3_SECRET_ACCESS_KEY is required when BLOB_STORE=s3',
        ],
      });
    });

    it('reports a malformed endpoint and bucket without echoing the secret', () => {
      const parsed = parseBlobStoreConfig({
        BLOB_STORE: 's3',
        S3_ENDPOINT: 'minio:9000',
        S3_BUCKET: 'Media_Bucket',
        S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      });
      expect(parsed).toEqual({
        ok: false,
        problems: ['S3_ENDPOINT must be an http(s) URL, e.g. https://s3.eu-west-1.amazonaws.com', 'S3_BUCKET "Media_Bucket" is not a valid bucket name'],
      });
    });

    it('reads an S3 configuration, defaulting the region', () => {
      expect(
        parseBlobStoreConfig({
          BLOB_STORE: 's3',
          S3_ENDPOINT: 'http://127.0.0.1:9000/',
          S3_BUCKET: 'media',
          S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
          S3_SECRET_ACCESS_KEY: 'secret',
        }),
      ).toEqual({
        ok: true,
        config: { kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'media', region: 'us-east-1', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
      });
    });
  });
});
