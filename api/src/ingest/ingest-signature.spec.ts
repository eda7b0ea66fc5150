import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkIngestHeader, ingestBodyVerifier, SIGNED_PREFIX_BYTES, signIngest, verifyIngestBody } from './ingest-signature.ts';

/** The whole check, as the ingest route makes it: the header before the body is read, then the HMAC. */
function verifyIngestSignature(secret: string, header: string | undefined, body: string, now: number) {
  const checked = checkIngestHeader(header, now);
  return checked.ok ? verifyIngestBody(secret, checked, body) : checked;
}

describe('ingest signature', () => {
  const secret = 's3cret';
  const body = '{"events":[]}';
  const now = 1_780_000_000_000;

  it('signs t.body (v1) and t.prefix. with the first 64 KiB (p1) with HMAC-SHA256 in the t=…,v1=…,p1=… format', () => {
    const t = Math.floor(now / 1000);
    const hmac = (data: string | Buffer) => createHmac('sha256', secret).update(data).digest('hex');
    expect(signIngest(secret, body, now)).toBe(`t=${t},v1=${hmac(`${t}.${body}`)},p1=${hmac(`${t}.prefix.${body}`)}`);
    const long = 'x'.repeat(SIGNED_PREFIX_BYTES + 10);
    expect(signIngest(secret, long, now)).toBe(`t=${t},v1=${hmac(`${t}.${long}`)},p1=${hmac(`${t}.prefix.${long.slice(0, SIGNED_PREFIX_BYTES)}`)}`);
  });

  it('accepts a fresh, matching signature', () => {
    expect(verifyIngestSignature(secret, signIngest(secret, body, now), body, now + 60_000)).toEqual({ ok: true });
  });

  it('says why it refuses', () => {
    expect(verifyIngestSignature(secret, undefined, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyIngestSignature(secret, 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed' });
    // Without p1 (the signed prefix), a header is not well formed.
    expect(verifyIngestSignature(secret, signIngest(secret, body, now).replace(/,p1=.*/, ''), body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyIngestSignature(secret, signIngest(secret, body, now), body, now + 301_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyIngestSignature(secret, signIngest(secret, body, now + 400_000), body, now)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyIngestSignature(secret, signIngest('other', body, now), body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyIngestSignature(secret, signIngest(secret, body, now), body + ' ', now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  describe('ingestBodyVerifier', () => {
    const header = (b: string) => checkIngestHeader(signIngest(secret, b, now), now) as { ok: true; t: number; v1: string; p1: string };
    const fed = (b: string, signedBody: string, cuts: number[]) => {
      const bytes = Buffer.from(b, 'utf8');
      const verifier = ingestBodyVerifier(secret, header(signedBody));
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        verifier.update(bytes.subarray(from, cut));
        from = cut;
      }
      return verifier.check();
    };
    const text = '{"events":[{"id":"1","body":"héllo 中文 👋"}]}';

    it('matches the signature of the whole body, however the body is cut into chunks, characters split included', () => {
      const cuts = Array.from({ length: Buffer.byteLength(text) - 1 }, (_, i) => i + 1);
      expect([fed(text, text, []), fed(text, text, cuts), fed(text, text, [31, 32, 33])]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    });

    it('refuses a body that differs from the signed one by a byte', () => {
      expect(fed(text.replace('1', '2'), text, [5])).toEqual({ ok: false, reason: 'mismatch' });
    });

    it('says a body is not the signed one as soon as its first 64 KiB have arrived, and not before', () => {
      const signed = 'a'.repeat(SIGNED_PREFIX_BYTES * 4);
      const forged = Buffer.from('b'.repeat(SIGNED_PREFIX_BYTES * 4));
      const verifier = ingestBodyVerifier(secret, header(signed));
      const answers = [
        verifier.update(forged.subarray(0, SIGNED_PREFIX_BYTES - 1)),
        verifier.update(forged.subarray(SIGNED_PREFIX_BYTES - 1, SIGNED_PREFIX_BYTES + 100)),
        verifier.update(forged.subarray(SIGNED_PREFIX_BYTES + 100)),
      ];
      expect([answers, verifier.check()]).toEqual([[true, false, false], { ok: false, reason: 'mismatch' }]);
      // The signed body passes every step.
      const genuine = ingestBodyVerifier(secret, header(signed));
      const bytes = Buffer.from(signed);
      expect([genuine.update(bytes.subarray(0, SIGNED_PREFIX_BYTES + 100)), genuine.update(bytes.subarray(SIGNED_PREFIX_BYTES + 100)), genuine.check()]).toEqual([true, true, { ok: true }]);
    });

    it('checks the prefix signature of a body shorter than 64 KiB when it ends', () => {
      const verifier = ingestBodyVerifier(secret, { ...header(text), p1: '0'.repeat(64) });
      expect([verifier.update(Buffer.from(text)), verifier.check()]).toEqual([true, { ok: false, reason: 'mismatch' }]);
    });

    it('refuses a signed first 64 KiB followed by a tail the edge did not send, when the body ends', () => {
      const signed = 'a'.repeat(SIGNED_PREFIX_BYTES * 2);
      expect(fed(signed.slice(0, SIGNED_PREFIX_BYTES) + 'b'.repeat(SIGNED_PREFIX_BYTES), signed, [SIGNED_PREFIX_BYTES + 1])).toEqual({ ok: false, reason: 'mismatch' });
    });
  });
});
