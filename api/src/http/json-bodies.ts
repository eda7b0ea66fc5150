// Login CSRF: a page on another site can make a browser POST only the "simple" bodies an HTML form
// sends (application/x-www-form-urlencoded, multipart/form-data, text/plain) without asking the api
// first (a CORS preflight, which another origin fails). GraphQL over HTTP therefore takes JSON only;
// a multipart body is read only as an upload, and only for a caller who may upload (graphql.ts).
// https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS#simple_requests
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { isMultipart } from './graphql-body-limits.ts';

/** The JSON types yoga's JSON parser reads; any other POST is answered 415 before its body is read. */
const JSON_TYPES = ['application/json', 'application/graphql+json'];

export function useJsonBodies(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST' || isJson(request) || isMultipart(request)) return;
      throw createGraphQLError(
        'GraphQL requests are JSON: send Content-Type: application/json (file uploads: multipart/form-data, per the GraphQL multipart request spec).',
        { extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', http: { status: 415 } } },
      );
    },
  };
}

function isJson(request: Request): boolean {
  // As yoga matches it: the first of a (malformed) list, parameters such as charset allowed.
  const contentType = request.headers.get('content-type')?.split(',')[0]?.trim().toLowerCase() ?? '';
  return JSON_TYPES.some((type) => contentType === type || contentType.startsWith(`${type};`));
}

/**
 * Whether a request may sign in, judged by its Origin: one of the dashboard's origins, or none at all.
 * Browsers send Origin on every cross-origin POST (and "null" from sandboxed or privacy-stripped
 * contexts, which is refused), so a request without one comes from a server-side client (a script,
 * curl, the tests), for which a forged sign-in means nothing: it holds the cookie it gets.
 */
export function signInOriginAllowed(request: Request, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.get('origin');
  return origin === null || allowedOrigins.includes(origin);
}
