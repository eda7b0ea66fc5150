import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extensionOf, MEDIA_LIMITS, mediaKindOfType, normaliseSha256 } from './media-types.ts';
import { cleanFilename, uploadProblem } from './upload-media.ts';

const digest = createHash('sha256').update('a customer photo').digest();

describe('media types', () => {
  describe('normaliseSha256', () => {
    it('reads the base64 digest of webhooks and the hex digest of GET /<MEDIA_ID> as the same hex', () => {
      expect(normaliseSha256(digest.toString('base64'))).toBe(digest.toString('hex'));
      expect(normaliseSha256(digest.toString('hex'))).toBe(digest.toString('hex'));
      expect(normaliseSha256(digest.toString('hex').toUpperCase())).toBe(digest.toString('hex'));
    });

    it('reads URL-safe and unpadded base64', () => {
      expect(normaliseSha256(digest.toString('base64url'))).toBe(digest.toString('hex'));
    });

    it('gives undefined for anything that is not a 32-byte digest', () => {
      for (const bad of [undefined, null, '', 'abc', digest.toString('hex').slice(2), Buffer.alloc(31).toString('base64'), `${digest.toString('base64')}==`]) {
        expect(normaliseSha256(bad)).toBeUndefined();
      }
    });
  });

  describe('kinds and limits', () => {
    it('sends each WhatsApp type as its kind, ignoring parameters and case', () => {
      expect(mediaKindOfType('image/jpeg')).toBe('image');
      expect(mediaKindOfType('image/webp')).toBe('sticker');
      expect(mediaKindOfType('audio/ogg; codecs=opus')).toBe('audio');
      expect(mediaKindOfType('Application/PDF')).toBe('document');
      expect(mediaKindOfType('text/html')).toBeUndefined();
      expect(mediaKindOfType('')).toBeUndefined();
    });

    it('names files by type', () => {
      expect([extensionOf('image/jpeg'), extensionOf('audio/ogg; codecs=opus'), extensionOf('application/x-unknown')]).toEqual(['jpg', 'ogg', 'bin']);
    });

    it('refuses uploads WhatsApp would refuse: unknown type, empty, over the limit of their kind', () => {
      expect(uploadProblem('image/png', MEDIA_LIMITS.image)).toBeNull();
      expect(uploadProblem('image/png', MEDIA_LIMITS.image + 1)).toBe('WhatsApp takes image files of at most 5 MB (5242880 bytes); this one has 5242881 bytes.');
      expect(uploadProblem('image/webp', 600 * 1024)).toBe('WhatsApp takes sticker files of at most 500 KB (512000 bytes); this one has 614400 bytes.');
      expect(uploadProblem('application/pdf', 0)).toBe('The file is empty.');
      expect(uploadProblem('', 10)).toMatch(/^Files of type unknown cannot be sent on WhatsApp/);
    });
  });

  describe('cleanFilename', () => {
    it('keeps the last path segment without control characters', () => {
      expect(cleanFilename('C:\\Users\\ana\\Invoice 42.pdf')).toBe('Invoice 42.pdf');
      expect(cleanFilename('../../etc/passwd')).toBe('passwd');
      expect(cleanFilename('fa\u0000ct\u001bura.pdf')).toBe('factura.pdf');
      expect(cleanFilename('فاتورة.pdf')).toBe('فاتورة.pdf');
    });

    it('gives null when no name is left', () => {
      for (const name of [undefined, '', '   ', 'dir/', '..', '.']) expect(cleanFilename(name)).toBeNull();
    });
  });
});
