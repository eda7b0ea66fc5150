import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkIngestHeader, signIngest, verifyIngestBody } from './ingest-signature.ts';

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
});
