import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkIngestHeader, ingestBodyVerifier, signIngest, verifyIngestBody } from './ingest-signature.ts';

/** The whole check, as the ingest route makes it: the header before the body is read, then the HMAC. */
function verifyIngestSignature(secret: string, header: string | undefined, body: string, now: number) {
  const checked = checkIngestHeader(header, now);
  return checked.ok ? verifyIngestBody(secret, checked, body) : checked;
}

describe('ingest signature', () => {
  const secret = 's3cret';
  const body = '{"events":[]}';
  const now = 1_780_000_000_000;

  it('signs t.body with HMAC-SHA256 in the t=…,v1=… format', () => {
    const t = Math.floor(now / 1000);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signIngest(secret, body, now)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts a fresh, matching signature', () => {
    expect(verifyIngestSignature(secret, signIngest(secret, body, now), body, now + 60_000)).toEqual({ ok: true });
  });

  it('says why it refuses', () => {
    expect(verifyIngestSignature(secret, undefined, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyIngestSignature(secret, 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyIngestSignature(secret, signIngest(secret, body, now), body, now + 301_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyIngestSignature(secret, signIngest(secret, body, now + 400_000), body, now)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyIngestSignature(secret, signIngest('other', body, now), body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyIngestSignature(secret, signIngest(secret, body, now), body + ' ', now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  describe('ingestBodyVerifier', () => {
    const header = (b: string) => checkIngestHeader(signIngest(secret, b, now), now) as { ok: true; t: number; v1: string };
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
  });
});
