// Where media bytes live once downloaded from Meta: a local directory in development and on a single
// machine, any S3-compatible store (AWS S3, R2, MinIO, …) when several api instances share the bytes.
import { createLocalBlobStore } from './local-blob-store.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

export interface StoredBlob {
  bytes: Uint8Array;
  contentType: string;
}

export interface BlobStore {
  /** Writes the whole blob or nothing; an existing blob under the key is replaced. */
  put(key: string, bytes: Uint8Array, options: { contentType: string }): Promise<void>;
  get(key: string): Promise<StoredBlob | undefined>;
  /** Deleting a key that holds nothing is not an error (erasure runs may repeat). */
  delete(key: string): Promise<void>;
}

export type BlobStoreConfig =
  | { kind: 'local'; dir: string }
  | { kind: 's3'; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };

export type ParsedBlobStoreConfig = { ok: true; config: BlobStoreConfig } | { ok: false; problems: string[] };

export function createBlobStore(config: BlobStoreConfig): BlobStore {
  return config.kind === 'local' ? createLocalBlobStore(config) : createS3BlobStore(config);
}

/** Reads BLOB_STORE (local | s3, default local) and the settings of the chosen store. */
export function parseBlobStoreConfig(env: Record<string, string | undefined>): ParsedBlobStoreConfig {
  const kind = env.BLOB_STORE?.trim() || 'local';
  if (kind === 'local') return { ok: true, config: { kind: 'local', dir: env.BLOB_DIR?.trim() || '.data/media' } };
  if (kind !== 's3') return { ok: false, problems: [`BLOB_STORE must be "local" or "s3", not "${kind}"`] };

  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required when BLOB_STORE=s3`);
    return value ?? '';
  };
  const endpoint = required('S3_ENDPOINT');
  const bucket = required('S3_BUCKET');
  const accessKeyId = required('S3_ACCESS_KEY_ID');
  const secretAccessKey = required('S3_SECRET_ACCESS_KEY');
  // Most S3-compatible stores ignore the region but every signature names one.
  const region = env.S3_REGION?.trim() || 'us-east-1';
  if (endpoint && !isHttpUrl(endpoint)) problems.push('S3_ENDPOINT must be an http(s) URL, e.g. https://s3.eu-west-1.amazonaws.com');
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push(`S3_BUCKET "${bucket}" is not a valid bucket name`);
  if (problems.length) return { ok: false, problems };
  return { ok: true, config: { kind: 's3', endpoint: endpoint.replace(/\/+$/, ''), bucket, region, accessKeyId, secretAccessKey } };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

// One key rule for every store, so a key that works locally works on S3 and maps to a path that stays
// inside the local directory: segments of [A-Za-z0-9_.-] joined by "/", no "..", no leading "/".
const KEY = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;

/** A media file's key: the tenant first, so one tenant's files can be listed, moved or erased together. */
export function mediaBlobKey(tenantId: string, mediaId: string): string {
  return `tenants/${tenantId}/media/${mediaId}`;
}

export class InvalidBlobKeyError extends Error {
  override readonly name = 'InvalidBlobKeyError';
}

export function assertBlobKey(key: string): void {
  const segments = key.split('/');
  if (key.length > 1024 || !KEY.test(key) || key.includes('..') || segments.includes('.')) {
    throw new InvalidBlobKeyError(`blob key ${JSON.stringify(key.slice(0, 100))} is not segments of [A-Za-z0-9_.-] joined by "/"`);
  }
}

/** Thrown when the store itself fails (not for a missing blob, which is `undefined`). */
export class BlobStoreError extends Error {
  override readonly name = 'BlobStoreError';
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}
