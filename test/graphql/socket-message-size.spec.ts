// The WebSocket server's message limit, over a real socket: an operation up to 256 KiB is served, a
// bigger message closes the socket with 1009 (message too big) before it is parsed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { MAX_SOCKET_MESSAGE_BYTES } from '@switchboard/api/http/graphql-body-limits';
import { resetDatabase, seedDevTenant, startApi, type RunningApi } from '../support/stack.ts';

interface Exchange {
  /** The server's messages, by type, in order. */
  received: string[];
  data: unknown;
  close: { code: number; reason: string } | null;
}

/** Opens a graphql-ws socket with a key, sends one operation of `bytes` bytes, and reports what came back. */
function operationOfSize(api: RunningApi, key: string, bytes: number): Promise<Exchange> {
  const message = (pad: string) => JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ __typename }', variables: { pad } } });
  const text = message('x'.repeat(bytes - message('').length));
  expect(Buffer.byteLength(text)).toBe(bytes);
  return new Promise((resolve, reject) => {
    const exchange: Exchange = { received: [], data: null, close: null };
    const socket = new WebSocket(api.wsUrl, 'graphql-transport-ws');
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
    socket.on('message', (raw) => {
      const { type, payload } = JSON.parse(raw.toString());
      exchange.received.push(type);
      if (type === 'connection_ack') socket.send(text);
      if (type === 'next') exchange.data = payload.data;
      if (type === 'complete') socket.close(1000);
    });
    socket.on('close', (code, reason) => resolve({ ...exchange, close: { code, reason: reason.toString() } }));
  });
}

describe('WebSocket message size', () => {
  let api: RunningApi;
  let key: string;
  const logs: string[] = [];
  beforeAll(async () => {
    api = await startApi({ log: (level, message) => logs.push(`${level} ${message}`) });
    await resetDatabase();
    ({ apiKey: key } = await seedDevTenant());
  });
  afterAll(() => api?.stop());

  it('is 256 KiB', () => {
    expect(MAX_SOCKET_MESSAGE_BYTES).toBe(256 * 1024);
  });

  it('serves an operation of exactly 256 KiB', async () => {
    expect(await operationOfSize(api, key, 256 * 1024)).toEqual({
      received: ['connection_ack', 'next', 'complete'],
      data: { __typename: 'Query' },
      close: { code: 1000, reason: '' },
    });
  });

  it('closes the socket with 1009 at a message one byte bigger, without answering it, and logs it as the client\'s doing', async () => {
    const consoleError = vi.spyOn(console, 'error');
    try {
      expect(await operationOfSize(api, key, 256 * 1024 + 1)).toEqual({
        received: ['connection_ack'],
        data: null,
        close: { code: 1009, reason: '' },
      });
      expect(logs.filter((line) => line.includes('socket message'))).toEqual(['warn socket message over the limit; closed with 1009']);
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
  });
});
