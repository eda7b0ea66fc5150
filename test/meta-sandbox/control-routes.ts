// /_sandbox/…: JSON controls for specs, the benchmark and developers (curl), without auth, mapping
// one-to-one onto SandboxControls. Times are unix milliseconds or ISO-8601 strings.
import type { PhoneNumberInput } from './businesses.ts';
import { SandboxNotFoundError, type SandboxControls, type TemplateRef } from './graph-sandbox.ts';
import type { HttpMethod, Route, RouteRequest, RouteResponse } from './router.ts';
import { templateStatuses, type TemplateStatus } from './templates.ts';

class BadRequest extends Error {}

type Json = Record<string, unknown>;

function objectBody(body: unknown): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be a JSON object');
  return body as Json;
}

function string(input: Json, key: string): string;
function string(input: Json, key: string, optional: true): string | undefined;
function string(input: Json, key: string, optional = false): string | undefined {
  const value = input[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value === '') throw new BadRequest(`${key} must be a non-empty string`);
  return value;
}

function number(input: Json, key: string): number | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new BadRequest(`${key} must be a number ≥ 0`);
  return value;
}

function boolean(input: Json, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new BadRequest(`${key} must be true or false`);
  return value;
}

/** Unix milliseconds, or an ISO-8601 string. */
function time(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? (/^\d+$/.test(value) ? Number(value) : Date.parse(value)) : NaN;
  if (!Number.isFinite(ms)) throw new BadRequest(`${key} must be unix milliseconds or an ISO-8601 time`);
  return ms;
}

const defined = <T extends Json>(object: T): Partial<T> =>
  Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;

function phoneNumbers(input: Json): PhoneNumberInput[] {
  const list = input.phoneNumbers ?? [];
  if (!Array.isArray(list)) throw new BadRequest('phoneNumbers must be an array');
  return list.map((raw) => {
    const entry = objectBody(raw);
    return {
      id: string(entry, 'id'),
      displayPhoneNumber: string(entry, 'displayPhoneNumber'),
      ...defined({ verifiedName: string(entry, 'verifiedName', true), throughputPerSecond: number(entry, 'throughputPerSecond'), registered: boolean(entry, 'registered') }),
    };
  });
}

export function controlRoutes(controls: SandboxControls): Route[] {
  const route = (method: HttpMethod, path: string, handle: (request: RouteRequest) => unknown, status = 200): Route => ({
    method,
    path,
    async handle(request): Promise<RouteResponse> {
      try {
        return { status, json: await handle(request) };
      } catch (error) {
        if (error instanceof BadRequest || error instanceof RangeError) return { status: 400, json: { error: { message: error.message } } };
        if (error instanceof SandboxNotFoundError) return { status: 404, json: { error: { message: error.message } } };
        throw error;
      }
    },
  });

  return [
    route(
      'POST',
      '/_sandbox/businesses',
      ({ body }) => {
        const input = objectBody(body);
        return controls.addBusiness({
          wabaId: string(input, 'wabaId'),
          phoneNumbers: phoneNumbers(input),
          ...defined({ name: string(input, 'name', true), businessId: string(input, 'businessId', true), accessToken: string(input, 'accessToken', true) }),
        });
      },
      201,
    ),
    route('POST', '/_sandbox/phone-numbers/:phoneNumberId', ({ params, body }) => {
      const input = objectBody(body);
      return controls.updatePhoneNumber(
        params.phoneNumberId as string,
        defined({ throughputPerSecond: number(input, 'throughputPerSecond'), registered: boolean(input, 'registered'), twoStepPin: string(input, 'twoStepPin', true) }),
      );
    }),
    route(
      'POST',
      '/_sandbox/signup-codes',
      ({ body }) => {
        const input = objectBody(body);
        const ids = input.phoneNumberIds;
        if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new BadRequest('phoneNumberIds must be an array of strings');
        return controls.issueSignupCode({
          wabaId: string(input, 'wabaId'),
          businessId: string(input, 'businessId'),
          phoneNumberIds: ids as string[],
          ...defined({ code: string(input, 'code', true) }),
        });
      },
      201,
    ),
    route('POST', '/_sandbox/tokens/expire', ({ body }) => {
      const accessToken = string(objectBody(body), 'accessToken');
      controls.expireToken(accessToken);
      return { accessToken, state: 'expired' };
    }),
    route('POST', '/_sandbox/tokens/revoke', ({ body }) => {
      const accessToken = string(objectBody(body), 'accessToken');
      controls.revokeToken(accessToken);
      return { accessToken, state: 'revoked' };
    }),
    route('POST', '/_sandbox/windows', ({ body }) => {
      const input = objectBody(body);
      const ids = defined({ waId: string(input, 'waId', true), userId: string(input, 'userId', true) });
      if (ids.waId === undefined && ids.userId === undefined) throw new BadRequest('give waId or userId');
      return controls.openWindow({ phoneNumberId: string(input, 'phoneNumberId'), ...ids, ...defined({ at: time(input.at, 'at') }) });
    }),
    route(
      'POST',
      '/_sandbox/faults',
      ({ body }) => {
        const input = objectBody(body);
        const shape = input.body ?? 'html';
        const as = input.as ?? 'response';
        if (shape !== 'html' && shape !== 'empty') throw new BadRequest('body must be "html" or "empty"');
        if (as !== 'response' && as !== 'failed-status') throw new BadRequest('as must be "response" or "failed-status"');
        return controls.injectFault({
          body: shape,
          as,
          ...defined({ phoneNumberId: string(input, 'phoneNumberId', true), code: number(input, 'code'), httpStatus: number(input, 'httpStatus'), count: number(input, 'count') }),
        });
      },
      201,
    ),
    route(
      'POST',
      '/_sandbox/faults/media-downloads',
      ({ body }) => {
        const input = objectBody(body ?? {});
        return controls.injectMediaDownloadFault(defined({ mediaId: string(input, 'mediaId', true), httpStatus: number(input, 'httpStatus'), count: number(input, 'count') }));
      },
      201,
    ),
    route(
      'POST',
      '/_sandbox/media',
      ({ body }) => {
        const input = objectBody(body);
        const base64 = string(input, 'base64');
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new BadRequest('base64 must be the file in base64');
        return controls.holdCustomerMedia({
          phoneNumberId: string(input, 'phoneNumberId'),
          mimeType: string(input, 'mimeType'),
          bytes: new Uint8Array(Buffer.from(base64, 'base64')),
          ...defined({ id: string(input, 'id', true) }),
        });
      },
      201,
    ),
    route('GET', '/_sandbox/media/:mediaId', ({ params }) => {
      const { bytes, ...held } = controls.heldMedia(params.mediaId as string);
      return { ...held, base64: Buffer.from(bytes).toString('base64') };
    }),
    route('GET', '/_sandbox/faults', () => controls.faults()),
    route('DELETE', '/_sandbox/faults', () => {
      controls.clearFaults();
      return { cleared: true };
    }),
    route('POST', '/_sandbox/templates/status', async ({ body }) => {
      const input = objectBody(body);
      const status = input.status;
      if (!(templateStatuses as readonly unknown[]).includes(status)) throw new BadRequest(`status must be one of ${templateStatuses.join(', ')}`);
      const templateId = string(input, 'templateId', true);
      const ref: TemplateRef =
        templateId === undefined ? { wabaId: string(input, 'wabaId'), name: string(input, 'name'), language: string(input, 'language') } : { templateId };
      return controls.setTemplateStatus(ref, status as TemplateStatus, string(input, 'reason', true));
    }),
    route('GET', '/_sandbox/messages', ({ url }) => {
      const phoneNumberId = url.searchParams.get('phoneNumberId') ?? undefined;
      return controls.messages(defined({ phoneNumberId, since: time(url.searchParams.get('since'), 'since') }));
    }),
    route('DELETE', '/_sandbox/messages', () => {
      controls.clearMessages();
      return { cleared: true };
    }),
    route('GET', '/_sandbox/stats', () => controls.stats()),
  ];
}
