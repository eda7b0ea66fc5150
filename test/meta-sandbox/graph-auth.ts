// Who may call what: every Graph call carries `Authorization: Bearer <token>`; an unknown, expired
// or revoked token is a 401 with code 190 (subcodes 463 expired, 458 app not authorized); a valid
// token that does not own the WABA or number is code 10. Unknown ids are code 100, subcode 33,
// before ownership is even considered, as Meta cannot tell "absent" from "not yours" apart there.
// https://developers.facebook.com/docs/graph-api/guides/error-handling#errorcodes
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessToken, Business, BusinessRegistry, PhoneNumber } from './businesses.ts';
import { fail, graphFailure, unknownObject, type GraphResult } from './graph-errors.ts';

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

export function authenticate(
  registry: BusinessRegistry,
  headers: IncomingHttpHeaders,
  { now, appId }: { now: number; appId: string },
): GraphResult<AccessToken> {
  const value = bearerToken(headers);
  if (value === undefined) {
    return fail(graphFailure(104, { message: 'An access token is required to request this resource.', httpStatus: 400 }));
  }
  const token = registry.token(value);
  if (!token) return fail(graphFailure(190));
  if (token.state === 'expired') {
    const message = `Error validating access token: Session has expired on ${metaDate(token.stateSince ?? now)}. The current time is ${metaDate(now)}.`;
    return fail(graphFailure(190, { subcode: 463, message }));
  }
  if (token.state === 'revoked') {
    return fail(graphFailure(190, { subcode: 458, message: `Error validating access token: The user has not authorized application ${appId}.` }));
  }
  return { ok: true, value: token };
}

const notPermitted = () => fail(graphFailure(10));

export function authorizePhoneNumber(registry: BusinessRegistry, token: AccessToken, method: string, id: string): GraphResult<PhoneNumber> {
  const number = registry.phoneNumber(id);
  if (!number) return fail(unknownObject(method, id));
  return token.wabaIds.has(number.wabaId) ? { ok: true, value: number } : notPermitted();
}

export function authorizeBusiness(registry: BusinessRegistry, token: AccessToken, method: string, wabaId: string): GraphResult<Business> {
  const business = registry.business(wabaId);
  if (!business) return fail(unknownObject(method, wabaId));
  return token.wabaIds.has(wabaId) ? { ok: true, value: business } : notPermitted();
}

/** Meta's wording: "Thursday, 08-May-26 10:00:00 UTC" (Meta prints Pacific time; the sandbox, UTC). */
function metaDate(ms: number): string {
  const date = new Date(ms);
  const weekday = date.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const month = date.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${weekday}, ${pad(date.getUTCDate())}-${month}-${pad(date.getUTCFullYear() % 100)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
}
