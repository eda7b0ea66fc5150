// The edge → api hop is signed `t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<body>")>`, so /ingest is
// useless without INGEST_SECRET and a captured request cannot be replayed after the allowed skew.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const INGEST_SIGNATURE_HEADER = 'x-switchboard-signature';
export const MAX_SKEW_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function signIngest(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What can be checked before the body is read: the header is there, well formed and fresh. */
export function checkIngestHeader(header: string | null | undefined, now = Date.now()): { ok: true; t: number; v1: string } | { ok: false; reason: 'missing' | 'malformed' | 'stale' } {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'malformed' };
  if (Math.abs(now / 1000 - t) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  return { ok: true, t, v1 };
}

/**
 * The rest, fed as the body streams: the HMAC of "<t>." and every chunk as it arrives, compared once the
 * body has ended. The bytes are hashed as received, which is what the edge signed (its body's UTF-8).
 */
export function ingestBodyVerifier(secret: string, { t, v1 }: { t: number; v1: string }) {
  const hmac = createHmac('sha256', secret).update(`${t}.`);
  return {
    update(chunk: Uint8Array): void {
      hmac.update(chunk);
    },
    check(): SignatureCheck {
      return timingSafeEqual(hmac.digest(), Buffer.from(v1, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
    },
  };
}

/** The same check for a body already in hand. */
export function verifyIngestBody(secret: string, signature: { t: number; v1: string }, body: string): SignatureCheck {
  const verifier = ingestBodyVerifier(secret, signature);
  verifier.update(Buffer.from(body, 'utf8'));
  return verifier.check();
}
