import { describe, expect, it } from 'vitest';
import { composeMedia } from './compose.ts';

describe('composeMedia', () => {
  describe('where the file comes from', () => {
    it('sends by link, by Meta media id, or as a file of ours that the send job adds the id to', () => {
      expect(composeMedia('image', { link: 'https://cdn.example/p.jpg', caption: 'Hi' })).toEqual({
        ok: true,
        type: 'image',
        text: 'Hi',
        content: { link: 'https://cdn.example/p.jpg', caption: 'Hi' },
      });
      expect(composeMedia('image', { mediaId: '1234' })).toEqual({ ok: true, type: 'image', text: null, content: { id: '1234' } });
      expect(composeMedia('document', { uploaded: true, filename: 'Invoice 42.pdf', caption: 'Your invoice' })).toEqual({
        ok: true,
        type: 'document',
        text: 'Your invoice',
        content: { caption: 'Your invoice', filename: 'Invoice 42.pdf' },
      });
    });

    it('needs exactly one source', () => {
      const refusal = { ok: false, field: 'link', message: 'Give exactly one of a link, a Meta media id or an uploaded media id.' };
      expect(composeMedia('image', {})).toEqual(refusal);
      expect(composeMedia('image', { link: 'https://cdn.example/p.jpg', uploaded: true })).toEqual(refusal);
      expect(composeMedia('image', { mediaId: '1', uploaded: true })).toEqual(refusal);
    });
  });

  it('keeps a filename for documents only, and refuses captions on audio and stickers', () => {
    expect(composeMedia('image', { uploaded: true, filename: 'p.jpg' })).toMatchObject({ ok: true, content: {} });
    expect(composeMedia('audio', { uploaded: true, caption: 'listen' })).toEqual({ ok: false, field: 'caption', message: 'audio messages cannot have a caption.' });
  });
});
