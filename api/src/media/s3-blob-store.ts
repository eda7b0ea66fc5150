// Blobs in any S3-compatible store, signed with AWS Signature V4 by aws4fetch. Path-style URLs
// (`<endpoint>/<bucket>/<key>`) because MinIO, R2 and most self-hosted stores expect them.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import { assertBlobKey, BlobStoreError, type BlobStore } from './blob-store.ts';

export interface S3BlobStoreConfig {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Per request, including reading the body. */
  timeoutMs?: number;
}

export function createS3BlobStore({ endpoint, bucket, region, accessKeyId, secretAccessKey, timeoutMs = 60_000 }: S3BlobStoreConfig): BlobStore {
  // aws4fetch retries 5xx and throttling itself; a few attempts, so a dead store fails in seconds.
  const client = new AwsClient({ accessKeyId, secretAccessKey, region, service: 's3', retries: 3 });
  const base = endpoint.replace(/\/+$/, '');

  function urlOf(key: string): string {
    assertBlobKey(key);
    return `${base}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  async function send(method: string, key: string, init: RequestInit = {}): Promise<Response> {
    const url = urlOf(key);
    try {
      return await client.fetch(url, { ...init, method, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'could not reach the store';
      throw new BlobStoreError(`S3 ${method} ${bucket}/${key} ${reason}`);
    }
  }

  return {
    async put(key, bytes, { contentType }) {
      const response = await send('PUT', key, {
        body: ownBuffer(bytes),
        headers: {
          'content-type': contentType,
          // A signed payload hash: the store rejects bytes damaged on the way instead of keeping them.
          'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex'),
        },
      });
      if (!response.ok) throw await failure('PUT', key, response);
      await response.body?.cancel();
    },

    async get(key) {
      const response = await send('GET', key);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw await failure('GET', key, response);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { bytes, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
    },

    async delete(key) {
      // S3 answers 204 whether or not the key existed; some compatible stores answer 404.
      const response = await send('DELETE', key);
      if (!response.ok && response.status !== 404) throw await failure('DELETE', key, response);
      await response.body?.cancel();
    },
  };

  async function failure(method: string, key: string, response: Response): Promise<BlobStoreError> {
    // S3 errors are XML with a <Code>; the code is enough to act on and carries no credentials.
    const text = await response.text().catch(() => '');
    const code = /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(text)?.[1];
    return new BlobStoreError(`S3 ${method} ${bucket}/${key} failed with HTTP ${response.status}${code ? ` ${code}` : ''}`, response.status);
  }
}

// fetch takes bytes over an ArrayBuffer; copy only when they sit on a SharedArrayBuffer.
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
}
