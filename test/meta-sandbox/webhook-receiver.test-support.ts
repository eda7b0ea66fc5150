// A real node:http webhook receiver for specs: records each POST's raw bytes and checks the
// X-Hub-Signature-256 header against an HMAC computed here, independently of sign.ts, over the
// bytes exactly as received, the way the edge must. Answers are scripted per attempt.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  signatureValid: boolean;
  answeredWith: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  waitForCount(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver({
  appSecret,
  answer = () => 200,
}: {
  appSecret: string;
  /** Status to answer for the n-th request (1-based). */
  answer?: (n: number, raw: Buffer) => number;
}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`);
      const header = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      const signatureValid = header.length === expected.length && timingSafeEqual(header, expected);
      const status = signatureValid ? answer(received.length + 1, raw) : 401;
      received.push({ path: req.url ?? '', headers: req.headers, raw, signatureValid, answeredWith: status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'EVENT_RECEIVED' : 'nope');
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitForCount(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (received.length < count) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`expected ${count} webhooks, got ${received.length}`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
