// The edge → api hop is signed `t=<unix>,v1=<hex>,p1=<hex>`: v1 is the HMAC-SHA256 of "<t>.<body>", p1
// that of "<t>.prefix." and the body's first SIGNED_PREFIX_BYTES bytes. /ingest is useless without
// INGEST_SECRET, a captured request cannot be replayed after the allowed skew, and a body the edge did
// not sign is refused as soon as its first 64 KiB have arrived (p1), so a forged body is never held whole.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const INGEST_SIGNATURE_HEADER = 'x-switchboard-signature';
export const MAX_SKEW_SECONDS = 300;
/** How much of a body p1 signs: what the api holds of a body before it knows the edge sent it. */
export const SIGNED_PREFIX_BYTES = 64 * 1024;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function signIngest(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  const bytes = Buffer.from(body, 'utf8');
  const v1 = createHmac('sha256', secret).update(`${t}.`).update(bytes).digest('hex');
  const p1 = createHmac('sha256', secret).update(`${t}.prefix.`).update(bytes.subarray(0, SIGNED_PREFIX_BYTES)).digest('hex');
  return `t=${t},v1=${v1},p1=${p1}`;
}

type SignatureHeader = { t: number; v1: string; p1: string };
const HEX_256 = /^[0-9a-f]{64}$/;

/** What can be checked before the body is read: the header is there, well formed and fresh. */
export function checkIngestHeader(header: string | null | undefined, now = Date.now()): ({ ok: true } & SignatureHeader) | { ok: false; reason: 'missing' | 'malformed' | 'stale' } {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  const p1 = parts.get('p1');
  if (!Number.isInteger(t) || !v1 || !HEX_256.test(v1) || !p1 || !HEX_256.test(p1)) return { ok: false, reason: 'malformed' };
  if (Math.abs(now / 1000 - t) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  return { ok: true, t, v1, p1 };
}

/**
 * The rest, fed as the body streams. `update` hashes each chunk as it arrives and answers false once the
 * first SIGNED_PREFIX_BYTES have arrived and do not match p1: the caller stops reading there. `check`,
 * once the body has ended, compares v1 (and p1, for a body shorter than the prefix). The bytes are
 * hashed as received, which is what the edge signed (its body's UTF-8).
 */
export function ingestBodyVerifier(secret: string, { t, v1, p1 }: SignatureHeader) {
  const whole = createHmac('sha256', secret).update(`${t}.`);
  const prefix = createHmac('sha256', secret).update(`${t}.prefix.`);
  let prefixBytes = 0;
  let prefixOk: boolean | undefined;
  const checkPrefix = () => (prefixOk ??= timingSafeEqual(prefix.digest(), Buffer.from(p1, 'hex')));
  return {
    update(chunk: Uint8Array): boolean {
      whole.update(chunk);
      if (prefixOk === undefined) {
        const take = Math.min(chunk.byteLength, SIGNED_PREFIX_BYTES - prefixBytes);
        prefix.update(chunk.subarray(0, take));
        prefixBytes += take;
        if (prefixBytes === SIGNED_PREFIX_BYTES) checkPrefix();
      }
      return prefixOk !== false;
    },
    check(): SignatureCheck {
      return checkPrefix() && timingSafeEqual(whole.digest(), Buffer.from(v1, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
    },
  };
}

/** The same check for a body already in hand. */
export function verifyIngestBody(secret: string, signature: SignatureHeader, body: string): SignatureCheck {
  const verifier = ingestBodyVerifier(secret, signature);
  verifier.update(Buffer.from(body, 'utf8'));
  return verifier.check();
}
