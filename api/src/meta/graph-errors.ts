// What a failed Graph API call means for us. Meta answers errors with one envelope,
// `{ error: { message, type, code, error_subcode, error_data: { details }, fbtrace_id } }`, and the code
// decides whether to retry, ask the business to reconnect, or tell the agent why the message cannot go.
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
// https://developers.facebook.com/docs/graph-api/guides/error-handling

/** The `error` object of Meta's envelope, as far as it is documented. */
export interface MetaGraphError {
  message: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  error_data?: { messaging_product?: string; details?: string };
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** `http`: Meta (or something in front of it) answered non-2xx. `malformed`: a 2xx we could not read. */
export type GraphFailureKind = 'http' | 'network' | 'timeout' | 'malformed';

export interface GraphApiErrorInit {
  kind: GraphFailureKind;
  method: string;
  /** Path only, never the query: OAuth queries carry the app secret and the signup code. */
  path: string;
  status?: number;
  meta?: MetaGraphError;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A Graph API call that failed. Carries what Meta said and where, and never the access token, the app
 * secret, or a query string (the client puts none of them in; keep it that way).
 */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  readonly kind: GraphFailureKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly meta: MetaGraphError | undefined;
  readonly retryAfterMs: number | undefined;

  constructor({ kind, method, path, status, meta, retryAfterMs, cause }: GraphApiErrorInit) {
    super(summarise({ kind, method, path, status, meta }), cause === undefined ? undefined : { cause });
    this.kind = kind;
    this.method = method;
    this.path = path;
    this.status = status;
    this.meta = meta;
    this.retryAfterMs = retryAfterMs;
  }

  get code(): number | undefined {
    return this.meta?.code;
  }

  get subcode(): number | undefined {
    return this.meta?.error_subcode;
  }

  get fbtraceId(): string | undefined {
    return this.meta?.fbtrace_id;
  }
}

function summarise({ kind, method, path, status, meta }: GraphApiErrorInit): string {
  const where = `Graph API ${method} ${path}`;
  if (kind === 'network') return `${where} could not reach Meta`;
  if (kind === 'timeout') return `${where} timed out`;
  if (kind === 'malformed') return `${where} answered HTTP ${status} with a body we could not read`;
  if (!meta) return `${where} failed with HTTP ${status} and no Graph error body`;
  const details = meta.error_data?.details ? `: ${meta.error_data.details}` : '';
  return `${where} failed with HTTP ${status}, code ${meta.code ?? 'none'}${meta.error_subcode ? `/${meta.error_subcode}` : ''}: ${meta.message}${details}`;
}

/**
 * Reads Meta's envelope from an error response body. HTML pages and empty bodies (load balancers,
 * 5xx during incidents) give `undefined`; numeric strings are tolerated as codes.
 */
export function parseGraphErrorBody(body: string): MetaGraphError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.error)) return undefined;
  const error = parsed.error;
  const data = isRecord(error.error_data) ? error.error_data : undefined;
  const result: MetaGraphError = { message: typeof error.message === 'string' ? error.message : '' };
  const code = asNumber(error.code);
  const subcode = asNumber(error.error_subcode);
  if (typeof error.type === 'string') result.type = error.type;
  if (code !== undefined) result.code = code;
  if (subcode !== undefined) result.error_subcode = subcode;
  if (typeof error.error_user_title === 'string') result.error_user_title = error.error_user_title;
  if (typeof error.error_user_msg === 'string') result.error_user_msg = error.error_user_msg;
  if (data) {
    result.error_data = {};
    if (typeof data.messaging_product === 'string') result.error_data.messaging_product = data.messaging_product;
    if (typeof data.details === 'string') result.error_data.details = data.details;
  }
  if (typeof error.is_transient === 'boolean') result.is_transient = error.is_transient;
  if (typeof error.fbtrace_id === 'string') result.fbtrace_id = error.fbtrace_id;
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  return undefined;
}

/** A media download that was larger than the caller allowed; nothing beyond the cap was read. */
export class MediaTooLargeError extends Error {
  override readonly name = 'MediaTooLargeError';
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`media is larger than the ${maxBytes}-byte limit`);
    this.maxBytes = maxBytes;
  }
}

export type SendFailure =
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'reauthorise'; reason: string }
  | { kind: 'terminal'; code: number | undefined; reason: string };

type Verdict = { kind: 'retry'; reason: string; retryAfterMs?: number } | { kind: 'reauthorise'; reason: string } | { kind: 'terminal'; reason: string };

const retry = (reason: string, retryAfterMs?: number): Verdict => (retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs });
const terminal = (reason: string): Verdict => ({ kind: 'terminal', reason });
const reauthorise = (reason: string): Verdict => ({ kind: 'reauthorise', reason });

const expiredToken = "The WhatsApp connection's access token has expired or was revoked; an admin must reconnect the account.";
const permission = terminal(
  "The WhatsApp connection lacks a permission this needs; an admin must reconnect the account and grant WhatsApp messaging access.",
);

// Reasons are shown to agents, so they say what happened and what to do, in plain words.
const verdicts = new Map<number, Verdict>([
  // Authentication and permission.
  [0, reauthorise("Meta could not authenticate this WhatsApp connection; an admin must reconnect the account.")],
  [102, reauthorise(expiredToken)],
  [190, reauthorise(expiredToken)],
  [3, terminal("This WhatsApp app is not allowed to use this feature; an admin must check the app's capabilities in Meta.")],
  [10, permission],
  [131005, permission],

  // Throughput and rate limits: wait and try again.
  [4, retry("Meta is limiting how many requests this app can make; the message will be retried shortly.")],
  [80007, retry("This WhatsApp Business Account has hit Meta's rate limit; the message will be retried shortly.")],
  [130429, retry("This number is sending faster than Meta allows; the message will be retried shortly.")],
  [131048, retry("Meta is limiting this number because recent messages were blocked or reported as spam; the message will be retried later.")],
  // Meta allows one message every 6 seconds to the same customer.
  // https://developers.facebook.com/docs/whatsapp/cloud-api/overview/#pair-rate-limits
  [131056, retry("Too many messages went to this customer in a short time; the message will be retried in a few seconds.", 6_000)],

  // Meta-side trouble.
  [1, retry("Meta reported an unknown error; the message will be retried.")],
  [2, retry("Meta's service is temporarily unavailable; the message will be retried.")],
  [131000, retry("Meta could not send the message because of an error on its side; it will be retried.")],
  [131016, retry("WhatsApp is temporarily overloaded; the message will be retried.")],
  [131057, retry("This WhatsApp Business Account is in maintenance mode; the message will be retried.")],
  [133004, retry("Meta's server is temporarily unavailable; the message will be retried.")],

  // The customer and the conversation.
  [131047, terminal("More than 24 hours have passed since the customer last wrote; send an approved template instead.")],
  [131026, terminal("The message could not be delivered: the customer may not use WhatsApp, may have blocked this number, or may need to accept new terms.")],
  [131049, terminal("Meta held back this marketing message to limit how many the customer receives; try again later or reach them another way.")],
  [131050, terminal("The customer has chosen to stop receiving marketing messages from this business.")],
  [131021, terminal("The recipient is this business's own number; messages cannot be sent to yourself.")],
  [131062, terminal("Meta does not accept the customer's WhatsApp user ID as the recipient here; this message needs their phone number.")],
  [130472, terminal("Meta did not deliver this marketing message because the customer is part of a Meta experiment.")],
  [130497, terminal("This business is not allowed to message customers in the recipient's country.")],

  // The message itself.
  [100, terminal("Meta rejected the message because a field is missing or invalid.")],
  [131008, terminal("Meta rejected the message because a required field is missing.")],
  [131009, terminal("Meta rejected the message because a value is invalid (for example a phone number, button or media id).")],
  [131051, terminal("WhatsApp does not support this message type.")],
  [131052, terminal("The media could not be downloaded from the customer's message.")],
  [131053, terminal("The attached media could not be uploaded; check its type and size.")],

  // Templates.
  [132000, terminal("The template was sent with the wrong number of parameters.")],
  [132001, terminal("The template does not exist in this language, or is not approved yet.")],
  [132005, terminal("The template's text is too long once its parameters are filled in.")],
  [132007, terminal("The template's content breaks WhatsApp's formatting or content policy.")],
  [132012, terminal("A template parameter is in the wrong format (for example text where media is expected).")],
  [132015, terminal("The template is paused by Meta because of low quality; edit it or use another template.")],
  [132016, terminal("The template has been disabled by Meta after repeated low quality; use another template.")],

  // The business account and its number.
  [33, terminal("The WhatsApp number or account id is wrong, or this connection cannot use it.")],
  [368, terminal("Meta has temporarily blocked this account for policy violations.")],
  [131031, terminal("Meta has locked this WhatsApp Business Account, usually for a policy violation; an admin must resolve it in Meta.")],
  [131037, terminal("This number's display name must be approved by Meta before it can send messages.")],
  [131042, terminal("The business has a payment problem with Meta; an admin must update the payment method.")],
  [133010, terminal("This phone number is not registered with the WhatsApp Cloud API; an admin must register it.")],
]);

// For these, Meta's details name the field or parameter at fault, which is what the agent needs to fix.
const detailed = new Set([100, 131008, 131009, 132000, 132005, 132007, 132012]);

/** The verdict for a Meta error code alone (also for `errors[].code` of a failed status webhook). */
export function classifyMetaErrorCode(code: number): SendFailure | undefined {
  const verdict = code >= 200 && code <= 299 ? permission : verdicts.get(code);
  if (!verdict) return undefined;
  return verdict.kind === 'terminal' ? { kind: 'terminal', code, reason: verdict.reason } : verdict;
}

/**
 * What a failed send means: try again (`retry`), have an admin reconnect the account (`reauthorise`),
 * or give up and tell the agent why (`terminal`). Only GraphApiError is a send failure; anything else
 * is a bug and should be thrown on.
 */
export function classifySendFailure(error: GraphApiError): SendFailure {
  if (error.kind === 'network') return { kind: 'retry', reason: 'Meta could not be reached; the message will be retried.' };
  // The request may have reached Meta; a retry could then send twice, which beats never sending.
  if (error.kind === 'timeout') return { kind: 'retry', reason: 'Meta did not answer in time; the message will be retried.' };
  if (error.kind === 'malformed') return { kind: 'retry', reason: "Meta's answer could not be read; the message will be retried." };

  const code = error.code;
  const known = code === undefined ? undefined : classifyMetaErrorCode(code);
  if (known?.kind === 'retry') {
    const retryAfterMs = Math.max(known.retryAfterMs ?? 0, error.retryAfterMs ?? 0);
    return retryAfterMs > 0 ? { kind: 'retry', reason: known.reason, retryAfterMs } : { kind: 'retry', reason: known.reason };
  }
  if (known?.kind === 'terminal' && detailed.has(known.code ?? 0) && error.meta?.error_data?.details) {
    const details = error.meta.error_data.details.trim();
    return { ...known, reason: `${known.reason} Meta's detail: ${details}${/[.!?]$/.test(details) ? '' : '.'}` };
  }
  if (known) return known;
  if (error.status === 401) return { kind: 'reauthorise', reason: expiredToken };
  if (error.meta?.is_transient === true || (error.status !== undefined && error.status >= 500) || error.status === 429) {
    const reason = 'Meta had a temporary problem; the message will be retried.';
    return error.retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: error.retryAfterMs };
  }
  const said = error.meta?.error_user_msg || error.meta?.error_data?.details || error.meta?.message;
  return {
    kind: 'terminal',
    code,
    reason: said ? `Meta refused the message: ${said}` : `Meta refused the message (HTTP ${error.status}).`,
  };
}
