// How much of a request body GraphQL over HTTP reads. An upload (uploadMedia, a multipart request) carries
// one file of at most the largest size WhatsApp takes and operations/map fields of at most 1 MB; every
// other body keeps yoga's default limit of 25 MB. All are enforced while the body streams:
// - yoga's maxRequestBodySize holds every body to the upload total: one that announces more
//   (Content-Length) is refused with 413 before it is read, a streamed one is cut off there (400 for a
//   multipart body, which yoga reports as invalid multipart data);
// - busboy, which yoga's fetch implementation parses multipart bodies with, holds the parts to
//   MULTIPART_LIMITS: reading stops at the first file byte over the limit (413) and at a second file or
//   a third field (400); a field over 1 MB is refused (400) when it ends;
// - other bodies (JSON…) are held to 25 MB by the capped reader the plain routes use (read-body.ts).
// A refused body is not read further, and its connection is closed (closeAfterUnreadBody). The limit
// of the file's own kind (images 5 MB…) is checked afterwards, in words, by uploadProblem.
// https://the-guild.dev/graphql/yoga-server/docs/features/file-uploads
import { createFetch, type FormDataLimits } from '@whatwg-node/fetch';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { LARGEST_MEDIA_BYTES } from '../media/media-types.ts';
import { BodyTooLarge, cappedChunks, declaresMoreThan } from './read-body.ts';

const MB = 1024 * 1024;

/** busboy's limits for an upload: uploadMedia takes one file; operations and map are the only fields. */
export const MULTIPART_LIMITS = {
  fileSize: LARGEST_MEDIA_BYTES,
  files: 1,
  fields: 2,
  fieldSize: 1 * MB,
} as const satisfies FormDataLimits;

/** The most an upload within those limits holds, with room for the boundaries and part headers. */
export const MAX_MULTIPART_BYTES = MULTIPART_LIMITS.fileSize + MULTIPART_LIMITS.fields * MULTIPART_LIMITS.fieldSize + 64 * 1024;

/** Any other body: yoga's default maxRequestBodySize, what they were held to before uploads needed more. */
export const MAX_BODY_BYTES = 25_000_000;

/**
 * The largest WebSocket message the api takes (ws maxPayload; a bigger one closes the socket with
 * 1009). A graphql-ws message carries one operation: its document is held to GRAPHQL_MAX_TOKENS (2000
 * by default, a few tens of KB of names and punctuation), its variables to the inputs' own limits, the
 * longest a 10,000-character note (at most 40 KB of UTF-8). 256 KiB holds both with room; files go over
 * HTTP (multipart), never on the socket. ws's default would be 100 MiB.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 256 * 1024;

/** Yoga's fetch API, with Request.formData() (how yoga reads multipart bodies) held to MULTIPART_LIMITS. */
export function createGraphQLFetchAPI() {
  return createFetch({ formDataLimits: MULTIPART_LIMITS });
}

/** Holds bodies other than uploads to MAX_BODY_BYTES (yoga's maxRequestBodySize, the upload total, runs after this). */
export function useBodyLimits(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (isMultipart(request)) return;
      if (declaresMoreThan(request.headers.get('content-length'), MAX_BODY_BYTES)) throw bodyTooLarge();
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => {
        // A streamed body (duplex), which the fetch implementation takes as an async iterable.
        const init: RequestInit & { duplex: 'half' } = { method: req.method, headers: req.headers, signal: req.signal, body: limited(req.body!) as unknown as BodyInit, duplex: 'half' };
        return parse(new fetchAPI.Request(req.url, init));
      });
    },
  };
}

async function* limited(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* cappedChunks(body, MAX_BODY_BYTES);
  } catch (error) {
    throw error instanceof BodyTooLarge ? bodyTooLarge() : error;
  }
}

/** As yoga answers a body over its maxRequestBodySize. */
function bodyTooLarge() {
  return createGraphQLError('Request body too large', { extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } } });
}

/** The test yoga parses a body as multipart by (isContentTypeMatch in its request parser). */
export function isMultipart(request: Request): boolean {
  const contentType = request.headers.get('content-type')?.split(',')[0];
  return request.method === 'POST' && (contentType === 'multipart/form-data' || !!contentType?.startsWith('multipart/form-data;'));
}
