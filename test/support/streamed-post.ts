// A client that keeps sending: a POST whose body is `prefix` then `fillBytes` zero bytes, written as fast
// as the server reads them, chunked unless `contentLength` is announced. Writing stops when the answer
// arrives; the result tells what had been sent by then and whether the server then closed the connection.
import { Agent, request } from 'node:http';

export interface StreamedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Body bytes handed to the socket before the answer arrived. */
  sentBeforeAnswer: number;
  /** The server closed the connection after answering (within `closeWithinMs`). */
  closed: boolean;
}

export function postStreaming(
  url: string,
  { headers = {}, prefix = '', fillBytes, contentLength, closeWithinMs = 5_000, timeoutMs = 30_000 }: {
    headers?: Record<string, string>;
    prefix?: string | Buffer;
    fillBytes: number;
    contentLength?: number;
    closeWithinMs?: number;
    timeoutMs?: number;
  },
): Promise<StreamedAnswer> {
  // A keep-alive client, so that a closed connection is the server's doing.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise<StreamedAnswer>((resolve, reject) => {
    const req = request(url, {
      agent,
      method: 'POST',
      headers: { ...headers, ...(contentLength === undefined ? {} : { 'content-length': String(contentLength) }) },
    });
    const zeros = Buffer.alloc(64 * 1024);
    let sent = 0;
    let answered = false;
    let answer: Omit<StreamedAnswer, 'closed'> | undefined;
    let socketClosed = false;
    const timers: NodeJS.Timeout[] = [];
    const settle = (outcome: () => void) => {
      for (const timer of timers) clearTimeout(timer);
      req.destroy();
      agent.destroy();
      outcome();
    };
    timers.push(setTimeout(() => settle(() => reject(new Error(`no answer within ${timeoutMs} ms; ${sent} bytes sent`))), timeoutMs));
    req.on('socket', (socket) =>
      socket.once('close', () => {
        socketClosed = true;
        if (answer) settle(() => resolve({ ...answer!, closed: true }));
      }),
    );
    req.on('response', (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => (body += text));
      res.on('end', () => {
        answer = { status: res.statusCode!, headers: res.headers, body, sentBeforeAnswer };
        if (socketClosed) return settle(() => resolve({ ...answer!, closed: true }));
        timers.push(setTimeout(() => settle(() => resolve({ ...answer!, closed: false })), closeWithinMs));
      });
    });
    // Writes refused by a server that has answered and closed are what is expected.
    req.on('error', () => {});
    const pump = () => {
      while (!answered && !req.destroyed && sent < fillBytes) {
        const piece = Math.min(zeros.length, fillBytes - sent);
        sent += piece;
        if (!req.write(zeros.subarray(0, piece))) return void req.once('drain', pump);
      }
      if (!answered && !req.destroyed && contentLength === undefined) req.end();
    };
    req.write(prefix);
    pump();
  });
}
