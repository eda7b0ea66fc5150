// Signs the edge → api hop: `x-switchboard-signature: t=<unix seconds>,v1=<hex>` where v1 is the
// lowercase hex HMAC-SHA256 of "<t>.<request body>" under INGEST_SECRET. The api rejects a t more
// than 5 minutes from its clock, so a captured request cannot be replayed later; `v1` names the
// scheme so another can be added alongside during a rotation.

import { signHex } from "./hmac.ts";

export const INGEST_SIGNATURE_HEADER = "x-switchboard-signature";

export async function signIngest(secret: string, body: string, unixSeconds: number): Promise<string> {
  const t = String(Math.floor(unixSeconds));
  return `t=${t},v1=${await signHex(secret, `${t}.${body}`)}`;
}
