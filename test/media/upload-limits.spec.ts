// Upload limits over real HTTP: an uploadMedia request carries one file of at most 100 MB (the largest
// WhatsApp takes, a document) and operations/map fields of at most 1 MB, 107,020,288 bytes in all. A body
// that announces more is refused before it is read, a streamed one as soon as its file passes 100 MB; the
// answer is a GraphQL error with HTTP 413 (400 for a second file, a third field or an endless one) and the
// connection is then closed. Within those limits, each kind's own limit is refused in words.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { owner, resetDatabase, seedDevTenant, startApi, type RunningApi } from '../support/stack.ts';
import { postStreaming } from '../support/streamed-post.ts';

const MB = 1024 * 1024;
const LARGEST_FILE = 100 * MB;
const LARGEST_BODY = 107_020_288;

const UPLOAD = `mutation ($file: File!) { uploadMedia(file: $file) {
  __typename
  ... on MutationUploadMediaSuccess { media { status mimeType filename byteSize } }
  ... on ValidationError { field message }
} }`;

let api: RunningApi;
let blobDir: string;
let key: string;

beforeAll(async () => {
  blobDir = await mkdtemp(path.join(tmpdir(), 'switchboard-upload-limits-'));
  api = await startApi({ instanceId: 'upload-limits', blobStore: { kind: 'local', dir: blobDir }, runJobs: false });
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await rm(blobDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey: key } = await seedDevTenant());
});

const storedUploads = async () => (await owner()`select count(*)::int as n from media`)[0]!.n;

/** The multipart body up to the first byte of the file (graphql-multipart-request-spec). */
function multipartHead(boundary: string, { type = 'application/pdf', name = 'big.pdf' } = {}): string {
  return [
    `--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: UPLOAD, variables: { file: null } })}\r\n`,
    `--${boundary}\r\ncontent-disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n`,
    `--${boundary}\r\ncontent-disposition: form-data; name="0"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`,
  ].join('');
}

async function upload(form: FormData) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, accept: 'application/graphql-response+json' },
    body: form,
  });
  return { status: res.status, json: (await res.json()) as { data?: any; errors?: { message: string; extensions?: unknown }[] } };
}

function uploadForm(files: Blob[], map: Record<string, string[]>, operations: unknown = { query: UPLOAD, variables: { file: null } }): FormData {
  const form = new FormData();
  form.set('operations', JSON.stringify(operations));
  form.set('map', JSON.stringify(map));
  files.forEach((file, i) => form.set(String(i), file, `file-${i}.pdf`));
  return form;
}

describe('uploadMedia request limits', () => {
  it('refuses a body that announces more than the limit with 413 before reading it, and closes the connection', async () => {
    const boundary = 'announced-too-large';
    // Only the head is ever sent: the answer cannot have waited for the rest.
    const answer = await postStreaming(`${api.url}/graphql`, {
      headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      prefix: multipartHead(boundary),
      fillBytes: 0,
      contentLength: LARGEST_BODY + 1,
    });
    expect(answer.status).toBe(413);
    expect(answer.closed).toBe(true);
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
    expect(await storedUploads()).toBe(0);
  });

  it('cuts a streamed (chunked) body off once its file passes 100 MB, with 413, and closes the connection', async () => {
    const boundary = 'streamed-too-large';
    const answer = await postStreaming(`${api.url}/graphql`, {
      headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      prefix: multipartHead(boundary),
      fillBytes: 400 * MB,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      errors: [{ message: `File size limit exceeded: ${LARGEST_FILE} bytes`, extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }],
    });
    expect(answer.closed).toBe(true);
    // Reading stopped at the limit: what was written beyond it is what the sockets' buffers hold.
    expect(answer.sentBeforeAnswer).toBeGreaterThan(LARGEST_FILE);
    expect(answer.sentBeforeAnswer).toBeLessThan(LARGEST_FILE + 32 * MB);
    expect(await storedUploads()).toBe(0);
  });

  it('cuts a streamed body off at the upload total when a field never ends, and closes the connection', async () => {
    const boundary = 'endless-field';
    const answer = await postStreaming(`${api.url}/graphql`, {
      headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      prefix: `--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n`,
      fillBytes: 400 * MB,
    });
    // busboy drops what passes 1 MB of a field but only reports it at the field's end; yoga's total ends it.
    expect([answer.status, JSON.parse(answer.body)]).toEqual([
      400,
      { errors: [{ message: 'POST body sent invalid multipart data: Request body too large', extensions: { code: 'BAD_REQUEST' } }] },
    ]);
    expect(answer.closed).toBe(true);
    expect(answer.sentBeforeAnswer).toBeGreaterThan(LARGEST_BODY);
    expect(answer.sentBeforeAnswer).toBeLessThan(LARGEST_BODY + 32 * MB);
  });

  it('answers an upload from a caller without credentials (or with a wrong key) with 401 before reading its body', async () => {
    const boundary = 'anonymous-upload';
    for (const headers of [{}, { authorization: 'Bearer sb_not_a_key' }] as Record<string, string>[]) {
      const answer = await postStreaming(`${api.url}/graphql`, {
        headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
        prefix: multipartHead(boundary),
        fillBytes: 400 * MB,
      });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      // Nothing near the file was read: only what the sockets' buffers took before the answer.
      expect(answer.sentBeforeAnswer).toBeLessThan(32 * MB);
      expect(answer.closed).toBe(true);
    }
    expect(await storedUploads()).toBe(0);
  });

  it('refuses a second file in one request', async () => {
    const pdf = new Blob(['%PDF-1.4 one'], { type: 'application/pdf' });
    const { status, json } = await upload(uploadForm([pdf, pdf], { 0: ['variables.file'], 1: ['variables.file'] }));
    expect([status, json]).toEqual([
      400,
      { errors: [{ message: 'POST body sent invalid multipart data: Files limit exceeded: 1', extensions: { code: 'BAD_REQUEST' } }] },
    ]);
    expect(await storedUploads()).toBe(0);
  });

  it('refuses operations over 1 MB', async () => {
    const pdf = new Blob(['%PDF-1.4 one'], { type: 'application/pdf' });
    const operations = { query: UPLOAD, variables: { file: null, padding: 'x'.repeat(MB) } };
    const { status, json } = await upload(uploadForm([pdf], { 0: ['variables.file'] }, operations));
    expect([status, json]).toEqual([
      400,
      { errors: [{ message: `POST body sent invalid multipart data: Field value size exceeded: ${MB} bytes`, extensions: { code: 'BAD_REQUEST' } }] },
    ]);
    expect(await storedUploads()).toBe(0);
  });

  it('takes a document of exactly 100 MB', async () => {
    const document = new Blob([new Uint8Array(LARGEST_FILE).fill(0x25)], { type: 'application/pdf' });
    const { status, json } = await upload(uploadForm([document], { 0: ['variables.file'] }));
    expect(status).toBe(200);
    expect(json.data?.uploadMedia).toEqual({
      __typename: 'MutationUploadMediaSuccess',
      media: { status: 'STORED', mimeType: 'application/pdf', filename: 'file-0.pdf', byteSize: LARGEST_FILE },
    });
  }, 60_000);

  it('publishes the rules uploads are checked against, for clients to check a file first', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ mediaRules { kind mimeTypes maxBytes maxCaptionLength } }' }),
    });
    const { data } = (await res.json()) as { data: { mediaRules: { kind: string; mimeTypes: string[]; maxBytes: number; maxCaptionLength: number | null }[] } };
    expect(data.mediaRules.map((r) => r.kind)).toEqual(['IMAGE', 'VIDEO', 'AUDIO', 'DOCUMENT', 'STICKER']);
    expect(data.mediaRules[0]).toEqual({ kind: 'IMAGE', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, maxCaptionLength: 1024 });
    expect(data.mediaRules[4]).toEqual({ kind: 'STICKER', mimeTypes: ['image/webp'], maxBytes: 500 * 1024, maxCaptionLength: null });
    expect(Math.max(...data.mediaRules.map((r) => r.maxBytes))).toBe(LARGEST_FILE);
  });

  it("refuses a file over its kind's limit in words, though the request is within the limits", async () => {
    const image = new Blob([new Uint8Array(6 * MB)], { type: 'image/jpeg' });
    const { status, json } = await upload(uploadForm([image], { 0: ['variables.file'] }));
    expect([status, json.data?.uploadMedia]).toEqual([
      200,
      { __typename: 'ValidationError', field: 'file', message: `WhatsApp takes image files of at most 5 MB (5242880 bytes); this one has ${6 * MB} bytes.` },
    ]);
    expect(await storedUploads()).toBe(0);
  });
});
