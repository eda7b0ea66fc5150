// The Graph API error envelope and the WhatsApp codes the sandbox answers with. Meta answers most
// errors with HTTP 400 and the code in the body; only an invalid token (190) is a 401. Messages and
// details follow Meta's error-code reference; `error_data` is present on WhatsApp-specific errors.
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
// https://developers.facebook.com/docs/graph-api/guides/error-handling
import type { RouteResponse } from './router.ts';
import type { Random } from './seeded-random.ts';

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    error_subcode?: number;
    fbtrace_id: string;
  };
}

/** An expected failure of a Graph call, before it is given an fbtrace_id and written out. */
export interface GraphFailure {
  httpStatus: number;
  code: number;
  message: string;
  type: string;
  details?: string;
  subcode?: number;
}

export type GraphResult<T> = { ok: true; value: T } | { ok: false; failure: GraphFailure };

interface CatalogEntry {
  message: string;
  details?: string;
  httpStatus?: number;
}

/** What Meta says for each code; `details` is the default error_data.details. */
export const graphErrorCatalog: Readonly<Record<number, CatalogEntry>> = {
  1: { message: 'An unknown error occurred' },
  2: { message: 'An unexpected error has occurred. Please retry your request later.' },
  4: { message: '(#4) Application request limit reached', details: 'Too many API calls were made by this app.' },
  10: { message: '(#10) Application does not have permission for this action' },
  100: { message: '(#100) Invalid parameter' },
  190: { message: 'Invalid OAuth access token - Cannot parse access token', httpStatus: 401 },
  200: { message: '(#200) Permissions error' },
  368: { message: 'Temporarily blocked for policies violations' },
  80007: { message: '(#80007) Rate limit issues', details: 'The WhatsApp Business Account has reached its rate limit.' },
  130429: { message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  131000: { message: '(#131000) Something went wrong', details: 'Message failed to send due to an unknown error.' },
  131008: { message: '(#131008) Required parameter is missing', details: 'A required parameter is missing.' },
  131009: { message: '(#131009) Parameter value is not valid', details: 'One or more parameter values are invalid.' },
  131026: { message: '(#131026) Message Undeliverable.', details: 'Message Undeliverable.' },
  131047: {
    message: '(#131047) Re-engagement message',
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131048: {
    message: '(#131048) Spam rate limit hit',
    details: 'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
  },
  131049: {
    message: '(#131049) This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131050: {
    message: '(#131050) Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
    details: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
  },
  131051: { message: '(#131051) Message type unknown', details: 'Message type is currently not supported.' },
  131052: { message: '(#131052) Media download error', details: 'Unable to download the media sent by the user.' },
  131053: { message: '(#131053) Media upload error', details: 'Unable to upload the media used in the message.' },
  131056: {
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  },
  131062: { message: '(#131062) Business-scoped user ID recipient unsupported', details: 'This message type cannot be sent to a business-scoped user ID.' },
  132000: {
    message: '(#132000) Number of parameters does not match the expected number of params',
    details: 'The number of parameters provided does not match the expected number of parameters.',
  },
  132001: { message: '(#132001) Template name does not exist in the translation', details: 'The template does not exist in this language.' },
  132012: {
    message: '(#132012) Parameter format does not match format in the created template',
    details: 'Variable parameter values formatted incorrectly.',
  },
  132015: { message: '(#132015) Template is Paused', details: 'Template is paused due to low quality so it cannot be sent in a template message.' },
  132016: { message: '(#132016) Template is disabled', details: 'Template has been paused too many times due to low quality and is now permanently disabled.' },
  133005: { message: '(#133005) Two step verification PIN Mismatch', details: 'Two-step verification PIN incorrect.' },
  133010: { message: '(#133010) Account not registered', details: 'Phone number is not registered on the Business Platform.' },
};

export function graphFailure(
  code: number,
  { details, message, subcode, httpStatus }: { details?: string; message?: string; subcode?: number; httpStatus?: number } = {},
): GraphFailure {
  const known = graphErrorCatalog[code];
  const resolvedDetails = details ?? known?.details;
  return {
    httpStatus: httpStatus ?? known?.httpStatus ?? (code === 190 ? 401 : 400),
    code,
    message: message ?? known?.message ?? `(#${code}) Sandbox-injected error`,
    type: 'OAuthException',
    ...(resolvedDetails === undefined ? {} : { details: resolvedDetails }),
    ...(subcode === undefined ? {} : { subcode }),
  };
}

export const fail = (failure: GraphFailure): { ok: false; failure: GraphFailure } => ({ ok: false, failure });

/** Keys in Meta's order: message, type, code, error_data, error_subcode, fbtrace_id. */
export function graphErrorBody(failure: GraphFailure, fbtraceId: string): GraphErrorBody {
  return {
    error: {
      message: failure.message,
      type: failure.type,
      code: failure.code,
      ...(failure.details === undefined ? {} : { error_data: { messaging_product: 'whatsapp' as const, details: failure.details } }),
      ...(failure.subcode === undefined ? {} : { error_subcode: failure.subcode }),
      fbtrace_id: fbtraceId,
    },
  };
}

/** Writes failures out, each with a fresh fbtrace_id like Meta's (23 url-safe base64 characters). */
export function createGraphErrorWriter(random: Random): (failure: GraphFailure) => RouteResponse {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const traceId = (): string => Array.from({ length: 23 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  return (failure) => ({ status: failure.httpStatus, json: graphErrorBody(failure, traceId()) });
}

/** Meta's answer for an id that does not exist or that the token cannot see. */
export function unknownObject(method: string, id: string): GraphFailure {
  return graphFailure(100, {
    subcode: 33,
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  });
}

/** A required field is absent (Meta: "The parameter x is required."). */
export function missingParameter(field: string): GraphFailure {
  return graphFailure(100, { message: `(#100) The parameter ${field} is required.`, details: `${field} is required` });
}

/** A field is present but wrong: too long, bad format, too many items. */
export function invalidParameter(details: string): GraphFailure {
  return graphFailure(131009, { details });
}

/** A field outside an enumeration (Meta: "Param type must be one of {…} - got \"x\"."). */
export function invalidChoice(field: string, choices: readonly string[], got: unknown): GraphFailure {
  const list = choices.map((choice) => choice.toUpperCase()).join(', ');
  return graphFailure(100, {
    message: `(#100) Param ${field} must be one of {${list}} - got ${JSON.stringify(got)}.`,
    details: `${field} must be one of ${choices.join(', ')}`,
  });
}
