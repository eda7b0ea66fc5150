import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequestListener, type Route } from './router.ts';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(routes: Route[], onError?: (error: unknown) => void): Promise<string> {
  server = createServer(createRequestListener(routes, onError ? { onError } : {}));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createRequestListener', () => {
  it('passes :params, the query, the raw body and the parsed JSON to the route', async () => {
    const url = await serve([
      {
        method: 'POST',
        path: '/:version/:phoneNumberId/messages',
        handle: ({ params, url: requestUrl, rawBody, body }) => ({
          status: 200,
          json: { params, q: requestUrl.searchParams.get('q'), raw: rawBody.toString(), body },
        }),
      },
    ]);
    const response = await fetch(`${url}/v23.0/106540352242922/messages?q=1`, { method: 'POST', body: '{"to":"+1650"}' });
    expect(await response.json()).toEqual({
      params: { version: 'v23.0', phoneNumberId: '106540352242922' },
      q: '1',
      raw: '{"to":"+1650"}',
      body: { to: '+1650' },
    });
  });

  it('answers text responses with a text content type', async () => {
    const url = await serve([{ method: 'GET', path: '/challenge', handle: () => ({ status: 200, text: '1158201444' }) }]);
    const response = await fetch(`${url}/challenge`);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('1158201444');
  });

  it('turns a throwing route into a 500 without leaking the error', async () => {
    const errors: unknown[] = [];
    const url = await serve(
      [
        {
          method: 'GET',
          path: '/boom',
          handle: () => {
            throw new Error('secret detail');
          },
        },
      ],
      (error) => errors.push(error),
    );
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret detail');
    expect(errors).toHaveLength(1);
  });
  it('skips a route whose :param fails its constraint, so another route or 405 applies', async () => {
    const url = await serve([
      { method: 'POST', path: '/simulator/pause', handle: () => ({ status: 200, text: 'paused' }) },
      { method: 'GET', path: '/:version/:id', constraints: { version: /^v\d+\.\d+$/ }, handle: ({ params }) => ({ status: 200, json: params }) },
    ]);
    expect(await (await fetch(`${url}/v24.0/123`)).json()).toEqual({ version: 'v24.0', id: '123' });
    const response = await fetch(`${url}/simulator/pause`);
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('writes binary bodies as given', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0x00, 0xff]);
    const url = await serve([{ method: 'GET', path: '/file', handle: () => ({ status: 200, bytes, headers: { 'content-type': 'image/jpeg' } }) }]);
    const response = await fetch(`${url}/file`);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it('leaves multipart bodies unparsed and honours a route’s body limit', async () => {
    const url = await serve([
      { method: 'POST', path: '/upload', handle: ({ body, rawBody }) => ({ status: 200, json: { parsed: body ?? null, size: rawBody.length } }) },
      { method: 'POST', path: '/small', maxBodyBytes: 4, handle: () => ({ status: 200, text: 'ok' }) },
    ]);
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    const response = await fetch(`${url}/upload`, { method: 'POST', body: form });
    expect(await response.json()).toEqual({ parsed: null, size: expect.any(Number) });
    expect((await fetch(`${url}/small`, { method: 'POST', body: '"12345"' })).status).toBe(413);
  });
});
