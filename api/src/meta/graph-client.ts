// The WhatsApp Cloud API calls we make, over undici's request API on a keep-alive connection pool:
// a sender pushes a thousand messages a second through here, and fetch's web streams cost several times
// the CPU per call of undici's Node streams. Redirects are never followed, so the bearer token only goes
// where it was sent. Every method takes the business's bearer token
// explicitly (tokens are per tenant and live sealed in the vault), so the client holds no secrets.
// Failures throw GraphApiError (graph-errors.ts), which never carries a token, secret or query string.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference
import { Agent, FormData, request, type Dispatcher } from 'undici';
import { GraphApiError, MediaTooLargeError, parseGraphErrorBody, type GraphFailureKind, type MetaGraphError } from './graph-errors.ts';

export interface GraphClientOptions {
  /** `https://graph.facebook.com` in production, the Meta sandbox in development and tests. */
  baseUrl: string;
  version?: string;
  /** The connection pool; one keep-alive agent per client by default. */
  dispatcher?: Dispatcher;
  /** For each call, including reading the answer. */
  timeoutMs?: number;
}

/** `to` (a phone number) or `recipient` (a business-scoped user id), the type and its payload. */
export interface SendMessageBody {
  to?: string;
  recipient?: string;
  type: string;
  context?: { message_id: string };
  [payload: string]: unknown;
}

export interface SentMessage {
  wamid: string;
  waId?: string;
  /** e.g. `accepted`, `held_for_quality_assessment` (marketing pacing); absent on older versions. */
  messageStatus?: string;
}

export interface MediaInfo {
  /** Expires 5 minutes after it is issued and must be fetched with the bearer token. */
  url: string;
  mimeType: string;
  sha256: string;
  fileSize: number;
  id: string;
}

export interface MessageTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  /** NAMED or POSITIONAL, when Meta reports it. */
  parameterFormat?: string;
  /** Meta's component objects (HEADER, BODY, FOOTER, BUTTONS), kept as sent. */
  components: Record<string, unknown>[];
}

export interface PhoneNumber {
  id: string;
  displayPhoneNumber: string;
  verifiedName?: string;
  qualityRating?: string;
  codeVerificationStatus?: string;
  platformType?: string;
  /** `throughput.level`: STANDARD (80 messages per second), HIGH (up to 1000) or NOT_APPLICABLE. */
  throughputLevel?: string;
}

export interface BusinessToken {
  accessToken: string;
  tokenType?: string;
  expiresInSeconds?: number;
}

export interface GraphClient {
  sendMessage(token: string, phoneNumberId: string, body: SendMessageBody): Promise<SentMessage>;
  getMedia(token: string, mediaId: string): Promise<MediaInfo>;
  /** Streams the media, refusing (MediaTooLargeError) as soon as it passes `maxBytes`. */
  downloadMedia(token: string, url: string, options: { maxBytes: number; timeoutMs?: number }): Promise<Uint8Array>;
  /** Returns the new media id. */
  uploadMedia(token: string, phoneNumberId: string, media: { bytes: Uint8Array; mimeType: string; filename: string }): Promise<string>;
  listTemplates(token: string, wabaId: string): Promise<MessageTemplate[]>;
  /** Embedded Signup: trades the 30-second code from the browser for a business token. */
  exchangeCode(app: { appId: string; appSecret: string; code: string }): Promise<BusinessToken>;
  subscribeApp(token: string, wabaId: string): Promise<void>;
  registerNumber(token: string, phoneNumberId: string, pin: string): Promise<void>;
  listPhoneNumbers(token: string, wabaId: string): Promise<PhoneNumber[]>;
}

// Graph ids are numeric; anything that could change the path (".", "/", "?") is refused outright.
const GRAPH_ID = /^[A-Za-z0-9_-]{1,64}$/;
const JSON_LIMIT = 16 * 1024 * 1024;
const ERROR_BODY_LIMIT = 64 * 1024;
const MAX_PAGES = 1000;

interface Call {
  method: 'GET' | 'POST';
  url: URL;
  token?: string;
  body?: string | FormData;
  contentType?: string;
  accept?: string;
  /** Scrubbed from anything Meta echoes back before it lands in an error. */
  secrets: string[];
  maxBytes: number;
  timeoutMs: number;
}

type Exchanged = { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: true };

export function createGraphClient({ baseUrl, version = 'v24.0', dispatcher = new Agent({ keepAliveTimeout: 30_000 }), timeoutMs = 10_000 }: GraphClientOptions): GraphClient {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);

  function graphUrl(segments: string[], query: Record<string, string> = {}): URL {
    for (const segment of segments) {
      if (!GRAPH_ID.test(segment)) throw new TypeError('Graph API id must be letters, digits, "_" or "-"');
    }
    const url = new URL(`${[version, ...segments].join('/')}`, base);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  // The path names the call in errors and logs; the query never does (OAuth puts the app secret there).
  function failure(call: Pick<Call, 'method' | 'url'>, kind: GraphFailureKind, extra: { status?: number; meta?: MetaGraphError; retryAfterMs?: number } = {}): GraphApiError {
    return new GraphApiError({ kind, method: call.method, path: call.url.pathname, ...extra });
  }

  async function exchange(call: Call): Promise<Exchanged> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, call.timeoutMs);
    const headers: Record<string, string> = {};
    if (call.accept !== undefined) headers.accept = call.accept;
    if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
    if (call.contentType !== undefined) headers['content-type'] = call.contentType;
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(call.url, { method: call.method, headers, body: call.body ?? null, signal: controller.signal, dispatcher });
      } catch {
        throw failure(call, timedOut ? 'timeout' : 'network');
      }
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      let read: Exchanged;
      try {
        read = await readCapped(response, ok ? call.maxBytes : ERROR_BODY_LIMIT);
      } catch {
        throw failure(call, timedOut ? 'timeout' : 'network', { status: response.statusCode });
      }
      if (!ok) {
        const meta = read.ok ? parseGraphErrorBody(new TextDecoder().decode(read.bytes)) : undefined;
        const retryAfterMs = parseRetryAfter(header(response, 'retry-after'));
        throw failure(call, 'http', {
          status: response.statusCode,
          ...(meta ? { meta: scrub(meta, call.secrets) } : {}),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      }
      return read;
    } finally {
      clearTimeout(timer);
    }
  }

  async function callJson<T>(call: Omit<Call, 'maxBytes' | 'timeoutMs'>, read: (body: Record<string, unknown>) => T | undefined): Promise<T> {
    const full: Call = { ...call, accept: 'application/json', maxBytes: JSON_LIMIT, timeoutMs };
    const exchanged = await exchange(full);
    if (!exchanged.ok) throw failure(full, 'malformed', { status: 200 });
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(exchanged.bytes));
    } catch {
      throw failure(full, 'malformed', { status: 200 });
    }
    const result = isRecord(parsed) ? read(parsed) : undefined;
    if (result === undefined) throw failure(full, 'malformed', { status: 200 });
    return result;
  }

  // Follows `paging.next` with the `after` cursor on our own URL rather than fetching the `next` URL
  // itself, so the bearer token only ever goes to the configured Graph host.
  // https://developers.facebook.com/docs/graph-api/results
  async function listAll<T>(token: string, segments: string[], query: Record<string, string>, readItem: (item: Record<string, unknown>) => T | undefined): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const url = graphUrl(segments, after === undefined ? query : { ...query, after });
      const { pageItems, next } = await callJson({ method: 'GET', url, token, secrets: [token] }, (body) => {
        if (!Array.isArray(body.data)) return undefined;
        const read = body.data.map((item: unknown) => (isRecord(item) ? readItem(item) : undefined));
        if (read.some((item) => item === undefined)) return undefined;
        const paging = isRecord(body.paging) ? body.paging : {};
        const cursors = isRecord(paging.cursors) ? paging.cursors : {};
        const hasNext = typeof paging.next === 'string' && paging.next !== '';
        const cursor = typeof cursors.after === 'string' ? cursors.after : undefined;
        if (hasNext && cursor === undefined) return undefined;
        return { pageItems: read as T[], next: hasNext ? cursor : undefined };
      });
      items.push(...pageItems);
      if (next === undefined) return items;
      if (seen.has(next)) throw failure({ method: 'GET', url }, 'malformed', { status: 200 });
      seen.add(next);
      after = next;
    }
    throw failure({ method: 'GET', url: graphUrl(segments) }, 'malformed', { status: 200 });
  }

  return {
    // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
    async sendMessage(token, phoneNumberId, body) {
      return callJson(
        {
          method: 'POST',
          url: graphUrl([phoneNumberId, 'messages']),
          token,
          contentType: 'application/json',
          body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...body }),
          secrets: [token],
        },
        (response) => {
          const message = firstRecord(response.messages);
          const contact = firstRecord(response.contacts);
          if (!message || typeof message.id !== 'string') return undefined;
          const sent: SentMessage = { wamid: message.id };
          if (typeof contact?.wa_id === 'string') sent.waId = contact.wa_id;
          if (typeof message.message_status === 'string') sent.messageStatus = message.message_status;
          return sent;
        },
      );
    },

    // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url
    async getMedia(token, mediaId) {
      return callJson({ method: 'GET', url: graphUrl([mediaId]), token, secrets: [token] }, (media) => {
        const fileSize = typeof media.file_size === 'string' ? Number(media.file_size) : media.file_size;
        if (
          typeof media.url !== 'string' ||
          typeof media.mime_type !== 'string' ||
          typeof media.sha256 !== 'string' ||
          typeof media.id !== 'string' ||
          typeof fileSize !== 'number' ||
          !Number.isSafeInteger(fileSize)
        ) {
          return undefined;
        }
        return { url: media.url, mimeType: media.mime_type, sha256: media.sha256, fileSize, id: media.id };
      });
    },

    // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media
    async downloadMedia(token, url, { maxBytes, timeoutMs: downloadTimeoutMs = timeoutMs }) {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        // Node's URL error quotes its input, and this one carries a signed query.
        throw new TypeError('media URL is not a valid URL');
      }
      // The bearer token goes with this request: only over TLS, or to the configured (sandbox) host.
      if (target.protocol !== 'https:' && target.origin !== base.origin) {
        throw new TypeError('media URL must be https or on the configured Graph host');
      }
      const call: Call = { method: 'GET', url: target, token, secrets: [token], maxBytes, timeoutMs: downloadTimeoutMs };
      const exchanged = await exchange(call);
      if (!exchanged.ok) throw new MediaTooLargeError(maxBytes);
      return exchanged.bytes;
    },

    // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#upload-media
    async uploadMedia(token, phoneNumberId, { bytes, mimeType, filename }) {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', mimeType);
      form.set('file', new Blob([ownBuffer(bytes)], { type: mimeType }), filename);
      return callJson({ method: 'POST', url: graphUrl([phoneNumberId, 'media']), token, body: form, secrets: [token] }, (response) =>
        typeof response.id === 'string' ? response.id : undefined,
      );
    },

    // https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates
    async listTemplates(token, wabaId) {
      const query = { fields: 'id,name,language,status,category,parameter_format,components', limit: '100' };
      return listAll(token, [wabaId, 'message_templates'], query, (t) => {
        if (
          typeof t.id !== 'string' ||
          typeof t.name !== 'string' ||
          typeof t.language !== 'string' ||
          typeof t.status !== 'string' ||
          typeof t.category !== 'string'
        ) {
          return undefined;
        }
        const template: MessageTemplate = {
          id: t.id,
          name: t.name,
          language: t.language,
          status: t.status,
          category: t.category,
          components: Array.isArray(t.components) ? t.components.filter(isRecord) : [],
        };
        if (typeof t.parameter_format === 'string') template.parameterFormat = t.parameter_format;
        return template;
      });
    },

    // https://developers.facebook.com/docs/whatsapp/embedded-signup/implementation#exchange-the-token-code-for-a-business-token
    async exchangeCode({ appId, appSecret, code }) {
      const url = graphUrl(['oauth', 'access_token'], { client_id: appId, client_secret: appSecret, code });
      return callJson({ method: 'GET', url, secrets: [appSecret, code] }, (response) => {
        if (typeof response.access_token !== 'string' || response.access_token === '') return undefined;
        const token: BusinessToken = { accessToken: response.access_token };
        if (typeof response.token_type === 'string') token.tokenType = response.token_type;
        if (typeof response.expires_in === 'number') token.expiresInSeconds = response.expires_in;
        return token;
      });
    },

    // https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/subscribed_apps
    async subscribeApp(token, wabaId) {
      await callJson({ method: 'POST', url: graphUrl([wabaId, 'subscribed_apps']), token, secrets: [token] }, successOnly);
    },

    // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/registration
    async registerNumber(token, phoneNumberId, pin) {
      if (!/^\d{6}$/.test(pin)) throw new TypeError('the two-step verification PIN is 6 digits');
      await callJson(
        {
          method: 'POST',
          url: graphUrl([phoneNumberId, 'register']),
          token,
          contentType: 'application/json',
          body: JSON.stringify({ messaging_product: 'whatsapp', pin }),
          secrets: [token, pin],
        },
        successOnly,
      );
    },

    // https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/phone_numbers
    async listPhoneNumbers(token, wabaId) {
      return listAll(token, [wabaId, 'phone_numbers'], {}, (p) => {
        if (typeof p.id !== 'string' || typeof p.display_phone_number !== 'string') return undefined;
        const phone: PhoneNumber = { id: p.id, displayPhoneNumber: p.display_phone_number };
        if (typeof p.verified_name === 'string') phone.verifiedName = p.verified_name;
        if (typeof p.quality_rating === 'string') phone.qualityRating = p.quality_rating;
        if (typeof p.code_verification_status === 'string') phone.codeVerificationStatus = p.code_verification_status;
        if (typeof p.platform_type === 'string') phone.platformType = p.platform_type;
        if (isRecord(p.throughput) && typeof p.throughput.level === 'string') phone.throughputLevel = p.throughput.level;
        return phone;
      });
    },
  };
}

function successOnly(body: Record<string, unknown>): true | undefined {
  return body.success === true ? true : undefined;
}

function header(response: Dispatcher.ResponseData, name: string): string | null {
  const value = response.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** Closes the connection under a body we will not read; undici reports that as an abort, expected here. */
function discard(response: Dispatcher.ResponseData): void {
  response.body.on('error', () => {});
  response.body.destroy();
}

/** Reads at most `maxBytes`, checking the declared length first and stopping as soon as it is passed. */
async function readCapped(response: Dispatcher.ResponseData, maxBytes: number): Promise<Exchanged> {
  const declared = Number(header(response, 'content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    discard(response);
    return { ok: false, tooLarge: true };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      discard(response);
      return { ok: false, tooLarge: true };
    }
    chunks.push(chunk);
  }
  return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) };
}

// Retry-After is seconds or an HTTP date.
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// Meta has been known to echo a malformed access token in its message; never let one into an error.
function scrub(meta: MetaGraphError, secrets: string[]): MetaGraphError {
  const clean = (text: string): string => secrets.filter((s) => s.length > 0).reduce((t, s) => t.replaceAll(s, '[redacted]'), text);
  const result: MetaGraphError = { ...meta, message: clean(meta.message) };
  if (meta.error_user_msg !== undefined) result.error_user_msg = clean(meta.error_user_msg);
  if (meta.error_user_title !== undefined) result.error_user_title = clean(meta.error_user_title);
  if (meta.error_data) {
    result.error_data = { ...meta.error_data };
    if (meta.error_data.details !== undefined) result.error_data.details = clean(meta.error_data.details);
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstRecord(value: unknown): Record<string, unknown> | undefined {
  return Array.isArray(value) && isRecord(value[0]) ? value[0] : undefined;
}

// Blob takes bytes over an ArrayBuffer; copy only when they sit on a SharedArrayBuffer.
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
}
