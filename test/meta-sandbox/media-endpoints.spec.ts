import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dev, startHarness, withoutTrace, type Harness } from './graph-harness.test-support.ts';
import { mediaUrlLifetimeMs } from './media-store.ts';
import type { InboundMessage, MediaPayload, MessagesChange } from './payloads.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function form(fields: { file?: Blob; type?: string; product?: string | null }): FormData {
  const data = new FormData();
  if (fields.product !== null) data.set('messaging_product', fields.product ?? 'whatsapp');
  if (fields.type !== undefined) data.set('type', fields.type);
  if (fields.file) data.set('file', fields.file, 'upload.bin');
  return data;
}

const upload = (data: FormData, token?: string) => h.graph(`/v24.0/${dev.phoneNumberId}/media`, { method: 'POST', body: data, ...(token ? { token } : {}) });

async function uploaded(bytes: Uint8Array = png, type = 'image/png'): Promise<string> {
  const response = await upload(form({ file: new Blob([new Uint8Array(bytes)]), type }));
  expect(response.status).toBe(200);
  return (response.json as { id: string }).id;
}

async function download(url: string, token: string | null = dev.accessToken): Promise<Response> {
  return fetch(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

describe('media', () => {
  describe('POST /<PHONE_NUMBER_ID>/media', () => {
    it('stores a multipart upload and answers its id', async () => {
      const response = await upload(form({ file: new Blob([png]), type: 'image/png' }));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ id: expect.stringMatching(/^\d{16}$/) });
    });

    it('enforces Meta’s size limit per type', async () => {
      const response = await upload(form({ file: new Blob([new Uint8Array(5 * 1024 * 1024 + 1)]), type: 'image/jpeg' }));
      expect(response.status).toBe(400);
      expect(withoutTrace(response.json)).toEqual({
        error: {
          message: '(#100) Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_data: { messaging_product: 'whatsapp', details: 'file: 5242881 bytes exceeds the 5242880-byte limit for image media' },
        },
      });
      const sticker = await upload(form({ file: new Blob([new Uint8Array(500 * 1024 + 1)]), type: 'image/webp' }));
      expect((sticker.json as { error: { error_data: { details: string } } }).error.error_data.details).toBe('file: 512001 bytes exceeds the 512000-byte limit for sticker media');
      expect((await upload(form({ file: new Blob([new Uint8Array(5 * 1024 * 1024 + 1)]), type: 'application/pdf' }))).status).toBe(200);
    });

    it('rejects unsupported types, a missing file and a missing messaging_product', async () => {
      const gif = await upload(form({ file: new Blob([png]), type: 'image/gif' }));
      expect((gif.json as { error: { code: number; error_data: { details: string } } }).error).toMatchObject({
        code: 100,
        error_data: { details: 'type: image/gif is not a supported media type' },
      });
      const noFile = await upload(form({ type: 'image/png' }));
      expect(withoutTrace(noFile.json)).toEqual({
        error: { message: '(#100) The parameter file is required.', type: 'OAuthException', code: 100, error_data: { messaging_product: 'whatsapp', details: 'file is required' } },
      });
      const noProduct = await upload(form({ file: new Blob([png]), type: 'image/png', product: null }));
      expect((noProduct.json as { error: { message: string } }).error.message).toBe('(#100) The parameter messaging_product is required.');
    });
  });

  describe('GET /<MEDIA_ID> and the download URL', () => {
    it('describes the media with a hex sha256, and the URL serves the bytes with the bearer token', async () => {
      const id = await uploaded();
      const info = await h.graph(`/v24.0/${id}`);
      expect(info.json).toEqual({
        messaging_product: 'whatsapp',
        url: expect.stringMatching(/\/whatsapp_business\/attachments\/\?mid=\d+&ext=\d+&hash=AT/),
        mime_type: 'image/png',
        sha256: createHash('sha256').update(png).digest('hex'),
        file_size: png.length,
        id,
      });
      const response = await download((info.json as { url: string }).url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    });

    it('refuses the download without the token or with another business’s token (401)', async () => {
      h.sandbox.addBusiness({ wabaId: '200000000000001', accessToken: 'EAAother', phoneNumbers: [{ id: '300000000000001', displayPhoneNumber: '15550100001' }] });
      const { url } = (await h.graph(`/v24.0/${await uploaded()}`)).json as { url: string };
      expect((await download(url, null)).status).toBe(401);
      expect((await download(url, 'EAAother')).status).toBe(401);
      expect((await h.graph(`/v24.0/${new URL(url).searchParams.get('mid')}`, { token: 'EAAother' })).json).toMatchObject({ error: { code: 10 } });
    });

    it('expires the URL after 5 minutes (404); a fresh GET gives a working one', async () => {
      const id = await uploaded();
      const { url } = (await h.graph(`/v24.0/${id}`)).json as { url: string };
      h.clock.advance(mediaUrlLifetimeMs - 1_000);
      expect((await download(url)).status).toBe(200);
      h.clock.advance(1_000);
      expect((await download(url)).status).toBe(404);
      const fresh = (await h.graph(`/v24.0/${id}`)).json as { url: string };
      expect((await download(fresh.url)).status).toBe(200);
    });

    it('answers 404 for a tampered URL', async () => {
      const { url } = (await h.graph(`/v24.0/${await uploaded()}`)).json as { url: string };
      const tampered = new URL(url);
      tampered.searchParams.set('ext', String(Number(tampered.searchParams.get('ext')) + 3_600));
      expect((await download(tampered.toString())).status).toBe(404);
    });

    it('answers injected download faults with 500, then serves again', async () => {
      const id = await uploaded();
      h.sandbox.injectMediaDownloadFault({ mediaId: id, count: 2 });
      const { url } = (await h.graph(`/v24.0/${id}`)).json as { url: string };
      expect([(await download(url)).status, (await download(url)).status, (await download(url)).status]).toEqual([500, 500, 200]);
    });
  });

  describe('DELETE /<MEDIA_ID>', () => {
    it('deletes; the id is then unknown (100, subcode 33)', async () => {
      const id = await uploaded();
      expect((await h.graph(`/v24.0/${id}`, { method: 'DELETE' })).json).toEqual({ success: true });
      expect((await h.graph(`/v24.0/${id}`)).json).toMatchObject({ error: { code: 100, error_subcode: 33 } });
    });
  });

  describe('sending uploaded media', () => {
    it('accepts a media id this number holds', async () => {
      const id = await uploaded();
      h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: '16505550123' });
      expect((await h.send({ messaging_product: 'whatsapp', to: '16505550123', type: 'image', image: { id, caption: 'Your box' } })).status).toBe(200);
    });
  });

  describe('customer media', () => {
    it('is held by the sandbox: the webhook’s sha256 (base64) matches the downloaded bytes', async () => {
      for (const kind of ['image', 'voice', 'document', 'video', 'sticker']) {
        await fetch(`${h.url}/simulator/messages`, { method: 'POST', body: JSON.stringify({ kind }) });
      }
      await h.edge.waitForCount(5);
      for (const body of h.bodies()) {
        const message = (body.entry[0]?.changes[0] as MessagesChange).value.messages?.[0] as InboundMessage;
        const media = (message as unknown as Record<string, MediaPayload>)[message.type] as MediaPayload;
        const info = (await h.graph(`/v24.0/${media.id}`)).json as { url: string; sha256: string; mime_type: string };
        expect(info.mime_type).toBe(media.mime_type);
        const bytes = Buffer.from(await (await download(info.url)).arrayBuffer());
        expect(createHash('sha256').update(bytes).digest('base64')).toBe(media.sha256);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(info.sha256);
      }
    });
  });
});
