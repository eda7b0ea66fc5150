// Signs the edge → api hop: `x-switchboard-signature: t=<unix seconds>,v1=<hex>,p1=<hex>` where v1 is
// the lowercase hex HMAC-SHA256 of "<t>.<request body>" under INGEST_SECRET and p1 that of
// "<t>.prefix." followed by the body's first 64 KiB (of its UTF-8). The api rejects a t more than 5
// minutes from its clock, so a captured request cannot be replayed later, and refuses a body as soon as
// its first 64 KiB do not match p1, so it never holds a forged body whole. `v1` names the scheme so
// another can be added alongside during a rotation.

import { signHex } from "./hmac.ts";

export const INGEST_SIGNATURE_HEADER = "x-switchboard-signature";
/** How much of the body p1 signs (the api's SIGNED_PREFIX_BYTES). */
export const SIGNED_PREFIX_BYTES = 64 * 1024;

const encoder = new TextEncoder();

export async function signIngest(secret: string, body: string, unixSeconds: number): Promise<string> {
  const t = String(Math.floor(unixSeconds));
  const label = encoder.encode(`${t}.prefix.`);
  const prefix = encoder.encode(body).subarray(0, SIGNED_PREFIX_BYTES);
  const signed = new Uint8Array(label.length + prefix.length);
  signed.set(label);
  signed.set(prefix, label.length);
  return `t=${t},v1=${await signHex(secret, `${t}.${body}`)},p1=${await signHex(secret, signed)}`;
}
