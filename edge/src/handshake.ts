// Meta's subscription handshake: GET ?hub.mode=subscribe&hub.challenge=<n>&hub.verify_token=<t>.
// Echo the bare challenge only when the token is ours; otherwise Meta sends no webhooks.
// Some proxies rewrite the dots to underscores (PHP-style), so both spellings are accepted.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests

import { timingSafeEqualText } from "./hmac.ts";

function hubParam(params: URLSearchParams, name: string): string | null {
  const value = params.get(`hub.${name}`) ?? params.get(`hub_${name}`);
  return value === null || value === "" ? null : value;
}

export async function answerHandshake(
  params: URLSearchParams,
  verifyToken: string,
): Promise<Response> {
  const mode = hubParam(params, "mode");
  const challenge = hubParam(params, "challenge");
  const token = hubParam(params, "verify_token");
  if (mode === null || challenge === null || token === null) {
    return new Response("missing hub.mode, hub.challenge or hub.verify_token", { status: 400 });
  }
  const tokenMatches = verifyToken !== "" && (await timingSafeEqualText(token, verifyToken));
  if (mode !== "subscribe" || !tokenMatches) {
    return new Response("forbidden", { status: 403 });
  }
  return new Response(challenge, {
    status: 200,
    headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
  });
}
