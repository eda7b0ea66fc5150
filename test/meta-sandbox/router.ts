// A route table for the sandbox's node:http server. Routes are plain values `{ method, path,
// handle }` returning `{ status, json | text }`, so a group of endpoints (simulator controls today,
// Graph API messages/media/templates next) is one array added in server.ts. Paths may hold
// `:param` segments (`/:version/:phoneNumberId/messages`), optionally constrained by a pattern so
// `/:version/:mediaId` (Graph) never swallows `/simulator/pause`. The raw body is kept beside the
// parsed JSON because Meta-like endpoints need the exact bytes (multipart media uploads).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteRequest {
  method: HttpMethod;
  url: URL;
  params: Readonly<Record<string, string>>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON body; undefined when the body is empty. Malformed JSON never reaches a route. */
  body: unknown;
}

export interface RouteResponse {
  status: number;
  json?: unknown;
  text?: string;
  /** Binary body (media downloads); give its content type in `headers`. */
  bytes?: Uint8Array;
  headers?: Readonly<Record<string, string>>;
}

export interface Route {
  method: HttpMethod;
  path: string;
  /** Patterns a `:param` must match for the route to apply at all. */
  constraints?: Readonly<Record<string, RegExp>>;
  /** Defaults to 3 MB; media uploads need up to Meta's 100 MB document limit. */
  maxBodyBytes?: number;
  handle(request: RouteRequest): RouteResponse | Promise<RouteResponse>;
}

/** Meta caps webhook payloads at 3 MB; the sandbox accepts requests up to the same size by default. */
const defaultMaxBodyBytes = 3 * 1024 * 1024;

/** Bodies the router leaves unparsed: the route reads `rawBody` itself. */
const nonJsonContentTypes = /^(multipart\/form-data|application\/x-www-form-urlencoded)/i;

export function createRequestListener(
  routes: readonly Route[],
  { onError = (error: unknown) => console.error('meta-sandbox: route failed', error) } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const compiled = routes.map((route) => ({ route, segments: splitPath(route.path) }));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const segments = splitPath(url.pathname);
    const matches = compiled.flatMap(({ route, segments: pattern }) => {
      const params = matchPath(pattern, segments);
      return params && satisfies(route, params) ? [{ route, params }] : [];
    });
    if (matches.length === 0) return send(res, { status: 404, json: { error: { message: `Unknown path ${url.pathname}` } } });
    const match = matches.find(({ route }) => route.method === req.method);
    if (!match) {
      const allow = [...new Set(matches.map(({ route }) => route.method))].join(', ');
      return send(res, { status: 405, headers: { allow }, json: { error: { message: `Use ${allow}` } } });
    }

    const rawBody = await readBody(req, match.route.maxBodyBytes ?? defaultMaxBodyBytes);
    if (rawBody === undefined) return send(res, { status: 413, json: { error: { message: 'Body too large' } } });
    let body: unknown;
    if (rawBody.length > 0 && !nonJsonContentTypes.test(req.headers['content-type'] ?? '')) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return send(res, { status: 400, json: { error: { message: 'Body is not valid JSON' } } });
      }
    }
    const response = await match.route.handle({
      method: match.route.method,
      url,
      params: match.params,
      headers: req.headers,
      rawBody,
      body,
    });
    send(res, response);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) send(res, { status: 500, json: { error: { message: 'Internal error' } } });
      else res.destroy();
    });
  };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function satisfies(route: Route, params: Readonly<Record<string, string>>): boolean {
  return Object.entries(route.constraints ?? {}).every(([name, pattern]) => pattern.test(params[name] ?? ''));
}

function matchPath(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(segment);
    else if (part !== segment) return undefined;
  }
  return params;
}

async function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: RouteResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | Uint8Array = '';
  if (response.bytes !== undefined) {
    headers['content-type'] ??= 'application/octet-stream';
    payload = response.bytes;
  } else if (response.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(response.json);
  } else if (response.text !== undefined) {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    payload = response.text;
  }
  res.writeHead(response.status, headers).end(payload);
}
