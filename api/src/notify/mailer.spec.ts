// The mailer against SMTP servers that fail: none, one that never greets, one that refuses the recipient
// (echoing the address, as real servers do). A real delivery is proven in test/notify/mailer.spec.ts,
// through the Meta sandbox's SMTP catcher.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer, MailNotSentError } from './mailer.ts';

const to = 'maria.fernandez@example.com';
const message = { to, subject: 'Acme Coffee: your privacy request 6B7A40F5 was completed', text: 'Hello' };

function recordingLog() {
  const lines: string[] = [];
  return { lines, log: (level: string, text: string, fields: Record<string, unknown> = {}) => void lines.push(JSON.stringify({ level, text, ...fields })) };
}

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP server on a loopback port, answering each connection with `greet`. */
async function tcpServer(greet: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    greet(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createMailer', () => {
  describe('without SMTP_URL', () => {
    it('is not configured, and send sends nothing and logs that, without the address', async () => {
      const { lines, log } = recordingLog();
      const mailer = createMailer({ url: null, from: 'Switchboard <privacy@switchboard.invalid>', log });
      expect([mailer.configured, mailer.server]).toEqual([false, null]);
      await mailer.send(message);
      expect(lines).toEqual([expect.stringContaining('"text":"mail not sent: SMTP_URL is not set"')]);
      expect(lines.join()).not.toContain('maria');
    });
  });

  describe('a dead SMTP server', () => {
    it('fails at once when nothing listens, saying which server, with no address in the error or the log', async () => {
      const port = await closedPort();
      const { lines, log } = recordingLog();
      const mailer = createMailer({ url: `smtp://mailer:s3cret@127.0.0.1:${port}`, from: 'privacy@switchboard.invalid', log });
      expect([mailer.configured, mailer.server]).toEqual([true, `127.0.0.1:${port}`]);
      const started = Date.now();
      const error = await mailer.send(message).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(MailNotSentError);
      expect(error).toMatchObject({ message: `mail not sent through 127.0.0.1:${port}: ESOCKET ECONNREFUSED`, code: 'ESOCKET ECONNREFUSED', permanent: false });
      expect(lines).toEqual([expect.stringMatching(/"level":"warn","text":"mail not sent","server":"127\.0\.0\.1:\d+","code":"ESOCKET ECONNREFUSED"/)]);
      expect(JSON.stringify({ lines, error, message: (error as Error).message, stack: (error as Error).stack })).not.toMatch(/maria|s3cret/);
    });

    it('gives up on a server that accepts the connection but never greets, within the greeting timeout', async () => {
      const port = await tcpServer(() => {});
      const { log } = recordingLog();
      const mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: 'privacy@switchboard.invalid', log, timeouts: { greetingMs: 300 } });
      const started = Date.now();
      const error = await mailer.send(message).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ETIMEDOUT GREETING_TIMEOUT', permanent: false });
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('gives up on a server that stalls mid-conversation, within the send timeout', async () => {
      // Greets and answers EHLO, then never answers MAIL FROM.
      const port = await tcpServer((socket) => {
        socket.write('220 stalling.test ESMTP\r\n');
        socket.on('data', (chunk: Buffer) => {
          if (/^EHLO/i.test(chunk.toString())) socket.write('250 stalling.test\r\n');
        });
      });
      const { log } = recordingLog();
      const mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: 'privacy@switchboard.invalid', log, timeouts: { sendMs: 500 } });
      const started = Date.now();
      const error = await mailer.send(message).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailNotSentError);
      expect(error).toMatchObject({ code: 'ETIMEDOUT SEND_TIMEOUT', permanent: false });
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });

  describe('a server that refuses the recipient', () => {
    it('throws a permanent failure with the SMTP reply code, and nothing the server echoed', async () => {
      const port = await tcpServer((socket) => {
        socket.write('220 strict.test ESMTP\r\n');
        socket.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString().split('\r\n').filter(Boolean)) {
            if (/^EHLO/i.test(line)) socket.write('250 strict.test\r\n');
            else if (/^MAIL FROM/i.test(line)) socket.write('250 OK\r\n');
            else if (/^RCPT TO:(.*)/i.test(line)) socket.write(`550 5.1.1 ${line.slice(8)}: Recipient address rejected\r\n`);
            else if (/^RSET/i.test(line)) socket.write('250 OK\r\n');
            else if (/^QUIT/i.test(line)) socket.end('221 Bye\r\n');
          }
        });
      });
      const { lines, log } = recordingLog();
      const mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: 'privacy@switchboard.invalid', log });
      const error = await mailer.send(message).catch((e: unknown) => e);
      expect(error).toMatchObject({ message: `mail not sent through 127.0.0.1:${port}: EENVELOPE (SMTP reply 550)`, responseCode: 550, permanent: true });
      expect(JSON.stringify({ lines, error, stack: (error as Error).stack, cause: (error as Error).cause })).not.toContain('maria');
    });
  });
});
