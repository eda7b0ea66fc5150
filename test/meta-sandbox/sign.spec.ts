import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { metaStringify } from './meta-json.ts';
import { signMetaBody } from './sign.ts';

describe('signMetaBody', () => {
  it('matches the published HMAC-SHA256 test vector', () => {
    // Key "key", message "The quick brown fox jumps over the lazy dog" (Wikipedia, HMAC article).
    expect(signMetaBody('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('matches an HMAC computed independently with WebCrypto over the same bytes', async () => {
    const body = metaStringify({ text: { body: 'שלום 😮' } });
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('dev-meta-app-secret-0b6f2c'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body))).toString('hex');
    expect(signMetaBody('dev-meta-app-secret-0b6f2c', body)).toBe(`sha256=${mac}`);
  });

  it('signs a string and its UTF-8 bytes identically', () => {
    const body = '{"a":"caf\\u00e9"}';
    expect(signMetaBody('s', new TextEncoder().encode(body))).toBe(signMetaBody('s', body));
  });

  it('differs from a signature over the re-serialised object when text is non-ASCII', () => {
    const raw = metaStringify({ body: 'Grüße' });
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(signMetaBody('s', reserialised)).not.toBe(signMetaBody('s', raw));
  });

  it('uses lowercase hex', () => {
    expect(signMetaBody('s', 'x')).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signMetaBody('s', 'x')).toBe(`sha256=${createHmac('sha256', 's').update('x').digest('hex')}`);
  });
});
