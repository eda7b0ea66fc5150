// Wire-format tests: the client against a node:http server answering with the shapes Meta documents.
// This stands in for Meta only to pin down requests and parsing; journeys use the Meta sandbox.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphClient } from './graph-client.ts';
import { GraphApiError, MediaTooLargeError } from './graph-errors.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Answer = (request: Seen, response: ServerResponse) => void;

const token = 'EAAJ8ZBwXk0ZBkBAPZCtestTokenZDZD';
const phoneNumberId = '106540352242922';
const wabaId = '102290129340398';

let server: Server;
let baseUrl: string;
let seen: Seen[];
let answer: Answer;
let client: GraphClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  answer = (_, res) => json(res, 404, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100, fbtrace_id: 'X' } });
  client = createGraphClient({ baseUrl, timeoutMs: 2_000 });
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function graphError(promise: Promise<unknown>): Promise<GraphApiError> {
  const error = await caught(promise);
  if (!(error instanceof GraphApiError)) throw error;
  return error;
}

function shown(error: unknown): string {
  return `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${String(error)}`;
}

const sentAnswer = {
  messaging_product: 'whatsapp',
  contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
  messages: [{ id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTc2RTY0QjY4RDZBNzNBRTUA', message_status: 'accepted' }],
};

describe('graph client', () => {
  describe('sendMessage', () => {
    it('posts the message as JSON with the bearer token to /<version>/<phone number id>/messages', async () => {
      answer = (_, res) => json(res, 200, sentAnswer);
      await client.sendMessage(token, phoneNumberId, { to: '+16505551234', type: 'text', text: { preview_url: false, body: 'Hello' } });
      expect(seen).toHaveLength(1);
      const [request] = seen;
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe('/v24.0/106540352242922/messages');
      expect(request?.headers.authorization).toBe(`Bearer ${token}`);
      expect(request?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request?.body.toString() ?? '')).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+16505551234',
        type: 'text',
        text: { preview_url: false, body: 'Hello' },
      });
    });

    it('reads the wamid, wa_id and message status', async () => {
      answer = (_, res) => json(res, 200, sentAnswer);
      expect(await client.sendMessage(token, phoneNumberId, { to: '+16505551234', type: 'text', text: { body: 'Hello' } })).toEqual({
        wamid: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3QTc2RTY0QjY4RDZBNzNBRTUA',
        waId: '16505551234',
        messageStatus: 'accepted',
      });
    });

    it('sends replies and business-scoped recipients as given', async () => {
      answer = (_, res) => json(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: 'US.13491208655302741918' }], messages: [{ id: 'wamid.B' }] });
      const sent = await client.sendMessage(token, phoneNumberId, {
        recipient: 'US.13491208655302741918',
        type: 'reaction',
        reaction: { message_id: 'wamid.A', emoji: '👍' },
        context: { message_id: 'wamid.A' },
      });
      expect(sent).toEqual({ wamid: 'wamid.B' });
      expect(JSON.parse(seen[0]?.body.toString() ?? '')).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        recipient: 'US.13491208655302741918',
        type: 'reaction',
        reaction: { message_id: 'wamid.A', emoji: '👍' },
        context: { message_id: 'wamid.A' },
      });
    });

    it('uses the configured version and a base URL with a path', async () => {
      answer = (_, res) => json(res, 200, sentAnswer);
      const other = createGraphClient({ baseUrl: `${baseUrl}/graph/`, version: 'v23.0' });
      await other.sendMessage(token, phoneNumberId, { to: '+16505551234', type: 'text', text: { body: 'Hi' } });
      expect(seen[0]?.url).toBe('/graph/v23.0/106540352242922/messages');
    });

    it("throws GraphApiError with Meta's envelope on a Graph error", async () => {
      const envelope = {
        error: {
          message: '(#131047) Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
          fbtrace_id: 'AbCdEfGhIjKlMnOpQrStUvW',
        },
      };
      answer = (_, res) => json(res, 400, envelope);
      const error = await graphError(client.sendMessage(token, phoneNumberId, { to: '+16505551234', type: 'text', text: { body: 'Hi' } }));
      expect({ kind: error.kind, status: error.status, method: error.method, path: error.path, meta: error.meta }).toEqual({
        kind: 'http',
        status: 400,
        method: 'POST',
        path: '/v24.0/106540352242922/messages',
        meta: envelope.error,
      });
    });

    it('throws a malformed GraphApiError when a 2xx lacks the wamid', async () => {
      answer = (_, res) => json(res, 200, { messaging_product: 'whatsapp', messages: [] });
      const error = await graphError(client.sendMessage(token, phoneNumberId, { to: '+1', type: 'text', text: { body: 'Hi' } }));
      expect([error.kind, error.status]).toEqual(['malformed', 200]);
    });

    it('refuses an id that would change the path, before any request', async () => {
      await expect(client.sendMessage(token, '../me', { to: '+1', type: 'text', text: { body: 'x' } })).rejects.toThrow(TypeError);
      await expect(client.getMedia(token, '123?fields=x')).rejects.toThrow(TypeError);
      expect(seen).toEqual([]);
    });
  });

  describe('getMedia', () => {
    it('gets /<version>/<media id> with the bearer token and reads the media info', async () => {
      answer = (_, res) =>
        json(res, 200, {
          messaging_product: 'whatsapp',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1037543291543636&ext=1716920710&hash=ATtvP',
          mime_type: 'image/jpeg',
          sha256: '5ddf8f64d2b6c0d0d3d3cbd9cd4b6b6c3f9b0c7f8b7e5d1b1c3a7e9f0e2d4c6a',
          file_size: 303833,
          id: '1037543291543636',
        });
      expect(await client.getMedia(token, '1037543291543636')).toEqual({
        url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1037543291543636&ext=1716920710&hash=ATtvP',
        mimeType: 'image/jpeg',
        sha256: '5ddf8f64d2b6c0d0d3d3cbd9cd4b6b6c3f9b0c7f8b7e5d1b1c3a7e9f0e2d4c6a',
        fileSize: 303833,
        id: '1037543291543636',
      });
      expect(seen.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([['GET', '/v24.0/1037543291543636', `Bearer ${token}`]]);
    });

    it('accepts file_size as a numeric string', async () => {
      answer = (_, res) => json(res, 200, { url: `${baseUrl}/m`, mime_type: 'audio/ogg', sha256: 'ab', file_size: '7412', id: '42' });
      expect((await client.getMedia(token, '42')).fileSize).toBe(7412);
    });
  });

  describe('downloadMedia', () => {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

    it('gets the URL exactly as given, with the bearer token, and returns the bytes', async () => {
      answer = (_, res) => {
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length });
        res.end(bytes);
      };
      const downloaded = await client.downloadMedia(token, `${baseUrl}/whatsapp_business/attachments/?mid=1037543291543636&hash=ATtvP`, { maxBytes: 1000 });
      expect(Buffer.from(downloaded).equals(bytes)).toBe(true);
      expect(seen.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
        ['GET', '/whatsapp_business/attachments/?mid=1037543291543636&hash=ATtvP', `Bearer ${token}`],
      ]);
    });

    it('refuses a body whose declared length is over the cap', async () => {
      answer = (_, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': bytes.length });
        res.end(bytes);
      };
      const error = await caught(client.downloadMedia(token, `${baseUrl}/m`, { maxBytes: 999 }));
      expect(error).toBeInstanceOf(MediaTooLargeError);
      expect((error as MediaTooLargeError).message).toBe('media is larger than the 999-byte limit');
    });

    it('stops reading a streamed body as soon as it passes the cap', async () => {
      let written = 0;
      answer = (_, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        // Keeps writing until the client hangs up; the client must not wait for the end.
        const pump = () => {
          while (!res.destroyed && written < 64 * 1024 * 1024) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      };
      const error = await caught(client.downloadMedia(token, `${baseUrl}/m`, { maxBytes: 256 * 1024 }));
      expect(error).toBeInstanceOf(MediaTooLargeError);
      expect(written).toBeLessThan(64 * 1024 * 1024);
    });

    it('refuses to send the token over plain HTTP to another host', async () => {
      await expect(client.downloadMedia(token, 'http://lookaside.example/m?x=1', { maxBytes: 10 })).rejects.toThrow(
        new TypeError('media URL must be https or on the configured Graph host'),
      );
      expect(seen).toEqual([]);
    });

    it('throws GraphApiError without the query of the URL (it grants access)', async () => {
      answer = (_, res) => json(res, 404, { error: { message: 'Media not found', type: 'OAuthException', code: 100, fbtrace_id: 'X' } });
      const error = await graphError(client.downloadMedia(token, `${baseUrl}/whatsapp_business/attachments/?mid=1&hash=SECRETHASH`, { maxBytes: 10 }));
      expect([error.status, error.code, error.path]).toEqual([404, 100, '/whatsapp_business/attachments/']);
      expect(shown(error)).not.toContain('SECRETHASH');
    });
  });

  describe('uploadMedia', () => {
    it('posts multipart form data with messaging_product, type and the file', async () => {
      answer = (_, res) => json(res, 200, { id: '1166846181421424' });
      const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
      const id = await client.uploadMedia(token, phoneNumberId, { bytes: jpeg, mimeType: 'image/jpeg', filename: 'photo.jpg' });
      expect(id).toBe('1166846181421424');
      const [request] = seen;
      expect([request?.method, request?.url, request?.headers.authorization]).toEqual(['POST', '/v24.0/106540352242922/media', `Bearer ${token}`]);
      expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const form = await new Response(new Uint8Array(request?.body ?? []), { headers: { 'content-type': request?.headers['content-type'] ?? '' } }).formData();
      expect([...form.keys()]).toEqual(['messaging_product', 'type', 'file']);
      expect(form.get('messaging_product')).toBe('whatsapp');
      expect(form.get('type')).toBe('image/jpeg');
      const file = form.get('file') as File;
      expect([file.name, file.type]).toEqual(['photo.jpg', 'image/jpeg']);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(jpeg);
    });
  });

  describe('listTemplates', () => {
    const template = (id: string, name: string) => ({
      id,
      name,
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Your order {{1}} has shipped.', example: { body_text: [['A-1001']] } }],
    });

    it('follows paging.next with the after cursor until there is no next page', async () => {
      answer = (request, res) => {
        const after = new URL(request.url, baseUrl).searchParams.get('after');
        if (after === null) {
          json(res, 200, {
            data: [template('1001', 'order_shipped'), template('1002', 'order_delayed')],
            paging: {
              cursors: { before: 'QVFIUmJlZAZDZD', after: 'QVFIUnBhZAZDZD' },
              // Meta's next URL points at graph.facebook.com; the client must not fetch it with the token.
              next: `https://graph.facebook.com/v24.0/${wabaId}/message_templates?limit=100&after=QVFIUnBhZAZDZD&access_token=other`,
            },
          });
        } else {
          json(res, 200, { data: [template('1003', 'appointment_reminder')], paging: { cursors: { before: 'QVFIUnBhZAZDZD', after: 'QVFIUmVuZAZDZD' } } });
        }
      };
      const templates = await client.listTemplates(token, wabaId);
      expect(templates.map((t) => t.name)).toEqual(['order_shipped', 'order_delayed', 'appointment_reminder']);
      expect(templates[0]).toEqual({
        id: '1001',
        name: 'order_shipped',
        language: 'en_US',
        status: 'APPROVED',
        category: 'UTILITY',
        parameterFormat: 'POSITIONAL',
        components: [{ type: 'BODY', text: 'Your order {{1}} has shipped.', example: { body_text: [['A-1001']] } }],
      });
      const fields = 'fields=id%2Cname%2Clanguage%2Cstatus%2Ccategory%2Cparameter_format%2Ccomponents&limit=100';
      expect(seen.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
        ['GET', `/v24.0/${wabaId}/message_templates?${fields}`, `Bearer ${token}`],
        ['GET', `/v24.0/${wabaId}/message_templates?${fields}&after=QVFIUnBhZAZDZD`, `Bearer ${token}`],
      ]);
    });

    it('returns an empty list for a WABA without templates', async () => {
      answer = (_, res) => json(res, 200, { data: [] });
      expect(await client.listTemplates(token, wabaId)).toEqual([]);
    });

    it('stops with an error when a cursor repeats instead of looping', async () => {
      answer = (_, res) => json(res, 200, { data: [template('1', 'a')], paging: { cursors: { after: 'SAME' }, next: 'https://graph.facebook.com/next' } });
      const error = await graphError(client.listTemplates(token, wabaId));
      expect(error.kind).toBe('malformed');
      expect(seen).toHaveLength(2);
    });

    it('throws a malformed GraphApiError for a next page without a cursor', async () => {
      answer = (_, res) => json(res, 200, { data: [template('1', 'a')], paging: { next: 'https://graph.facebook.com/next' } });
      expect((await graphError(client.listTemplates(token, wabaId))).kind).toBe('malformed');
    });
  });

  describe('exchangeCode', () => {
    const app = { appId: '1234567890123456', appSecret: 'f00dfacef00dfacef00dfacef00dface', code: 'AQBx-signup-code-from-the-browser' };

    it('gets /oauth/access_token with client_id, client_secret and code, without a bearer token', async () => {
      answer = (_, res) => json(res, 200, { access_token: 'EAAbusinessToken', token_type: 'bearer' });
      expect(await client.exchangeCode(app)).toEqual({ accessToken: 'EAAbusinessToken', tokenType: 'bearer' });
      expect(seen.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
        ['GET', '/v24.0/oauth/access_token?client_id=1234567890123456&client_secret=f00dfacef00dfacef00dfacef00dface&code=AQBx-signup-code-from-the-browser', undefined],
      ]);
    });

    it('reads expires_in when Meta sends one', async () => {
      answer = (_, res) => json(res, 200, { access_token: 'EAAbusinessToken', token_type: 'bearer', expires_in: 5183944 });
      expect(await client.exchangeCode(app)).toEqual({ accessToken: 'EAAbusinessToken', tokenType: 'bearer', expiresInSeconds: 5183944 });
    });

    it('keeps the app secret and the code out of its errors', async () => {
      answer = (_, res) =>
        json(res, 400, {
          error: {
            message: `Error validating verification code ${app.code}. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request`,
            type: 'OAuthException',
            code: 100,
            error_subcode: 36008,
            fbtrace_id: 'AUtjd0XbO4tU8_e_E2qPbU2',
          },
        });
      const error = await graphError(client.exchangeCode(app));
      expect([error.status, error.code, error.subcode, error.path]).toEqual([400, 100, 36008, '/v24.0/oauth/access_token']);
      expect(shown(error)).not.toContain(app.appSecret);
      expect(shown(error)).not.toContain(app.code);
    });
  });

  describe('subscribeApp', () => {
    it('posts /<waba id>/subscribed_apps with the bearer token', async () => {
      answer = (_, res) => json(res, 200, { success: true });
      await expect(client.subscribeApp(token, wabaId)).resolves.toBeUndefined();
      expect(seen.map((r) => [r.method, r.url, r.headers.authorization, r.body.length])).toEqual([['POST', `/v24.0/${wabaId}/subscribed_apps`, `Bearer ${token}`, 0]]);
    });

    it('throws when Meta does not report success', async () => {
      answer = (_, res) => json(res, 200, { success: false });
      expect((await graphError(client.subscribeApp(token, wabaId))).kind).toBe('malformed');
    });
  });

  describe('registerNumber', () => {
    it('posts /<phone number id>/register with messaging_product and the PIN', async () => {
      answer = (_, res) => json(res, 200, { success: true });
      await client.registerNumber(token, phoneNumberId, '123456');
      const [request] = seen;
      expect([request?.method, request?.url, request?.headers.authorization, request?.headers['content-type']]).toEqual([
        'POST',
        `/v24.0/${phoneNumberId}/register`,
        `Bearer ${token}`,
        'application/json',
      ]);
      expect(JSON.parse(request?.body.toString() ?? '')).toEqual({ messaging_product: 'whatsapp', pin: '123456' });
    });

    it('refuses a PIN that is not 6 digits, before any request', async () => {
      await expect(client.registerNumber(token, phoneNumberId, '12345')).rejects.toThrow(new TypeError('the two-step verification PIN is 6 digits'));
      expect(seen).toEqual([]);
    });
  });

  describe('listPhoneNumbers', () => {
    it('gets /<waba id>/phone_numbers and reads every page', async () => {
      answer = (request, res) => {
        if (!request.url.includes('after=')) {
          json(res, 200, {
            data: [
              {
                verified_name: 'Jasper\'s Market',
                code_verification_status: 'VERIFIED',
                display_phone_number: '+1 555-078-3881',
                quality_rating: 'GREEN',
                platform_type: 'CLOUD_API',
                throughput: { level: 'STANDARD' },
                id: phoneNumberId,
              },
            ],
            paging: { cursors: { before: 'B1', after: 'A1' }, next: 'https://graph.facebook.com/next' },
          });
        } else {
          json(res, 200, { data: [{ display_phone_number: '+1 555-010-0000', id: '106540352242923' }], paging: { cursors: { before: 'A1', after: 'A2' } } });
        }
      };
      expect(await client.listPhoneNumbers(token, wabaId)).toEqual([
        {
          id: phoneNumberId,
          displayPhoneNumber: '+1 555-078-3881',
          verifiedName: "Jasper's Market",
          qualityRating: 'GREEN',
          codeVerificationStatus: 'VERIFIED',
          platformType: 'CLOUD_API',
          throughputLevel: 'STANDARD',
        },
        { id: '106540352242923', displayPhoneNumber: '+1 555-010-0000' },
      ]);
      expect(seen.map((r) => r.url)).toEqual([`/v24.0/${wabaId}/phone_numbers`, `/v24.0/${wabaId}/phone_numbers?after=A1`]);
    });
  });

  describe('failures', () => {
    const send = (c: GraphClient = client) => c.sendMessage(token, phoneNumberId, { to: '+16505551234', type: 'text', text: { body: 'Hi' } });

    it('tolerates an HTML 5xx body', async () => {
      answer = (_, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>');
      };
      const error = await graphError(send());
      expect([error.kind, error.status, error.meta, error.message]).toEqual([
        'http',
        502,
        undefined,
        'Graph API POST /v24.0/106540352242922/messages failed with HTTP 502 and no Graph error body',
      ]);
    });

    it('tolerates an empty 5xx body and reads Retry-After', async () => {
      answer = (_, res) => {
        res.writeHead(503, { 'retry-after': '7' });
        res.end();
      };
      const error = await graphError(send());
      expect([error.kind, error.status, error.meta, error.retryAfterMs]).toEqual(['http', 503, undefined, 7000]);
    });

    it('reports a network failure', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const error = await graphError(send(createGraphClient({ baseUrl: `http://127.0.0.1:${port}` })));
      expect([error.kind, error.status, error.message]).toEqual(['network', undefined, 'Graph API POST /v24.0/106540352242922/messages could not reach Meta']);
    });

    it('times out when Meta does not answer', async () => {
      answer = () => {};
      const started = Date.now();
      const error = await graphError(send(createGraphClient({ baseUrl, timeoutMs: 150 })));
      expect([error.kind, error.message]).toEqual(['timeout', 'Graph API POST /v24.0/106540352242922/messages timed out']);
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('times out when the answer stalls halfway', async () => {
      answer = (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 });
        res.write('{"messaging_product":"whatsapp",');
      };
      const error = await graphError(send(createGraphClient({ baseUrl, timeoutMs: 150 })));
      expect([error.kind, error.status]).toEqual(['timeout', 200]);
    });

    it('never carries the token, even when Meta echoes it', async () => {
      answer = (_, res) => json(res, 400, { error: { message: `Malformed access token ${token}`, type: 'OAuthException', code: 190, fbtrace_id: 'A' } });
      const error = await graphError(send());
      expect(error.meta?.message).toBe('Malformed access token [redacted]');
      expect(shown(error)).not.toContain(token);
    });
  });
});
