// Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the
// raw body bytes under the app secret. It must be computed over the bytes exactly as received:
// Meta escapes non-ASCII (`\u05e9`, `\ud83d\ude2e`) and slashes (`\/`), so parsing and
// re-serialising the JSON changes the bytes and breaks the signature.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications

import { verifyHex } from "./hmac.ts";

const SIGNATURE_HEADER = /^sha256=([0-9a-fA-F]{64})$/;

export async function verifyMetaSignature(
  header: string | null,
  rawBody: Uint8Array,
  appSecret: string,
): Promise<boolean> {
  if (header === null || appSecret === "") return false;
  const hex = SIGNATURE_HEADER.exec(header.trim())?.[1];
  if (hex === undefined) return false;
  return verifyHex(appSecret, rawBody, hex);
}
