// Request bodies have limits: one that announces more (Content-Length) is refused before any of it is
// read, one streamed past the limit (chunked) at the first chunk over. The rest is never read, so the
// connection is closed after the answer (closeAfterUnreadBody).
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {}

/** Whether a Content-Length header announces more than `limit` bytes. */
export function declaresMoreThan(contentLength: string | null | undefined, limit: number): boolean {
  return Number(contentLength ?? 0) > limit;
}

/** The chunks of a body as they arrive, failing with BodyTooLarge at the first that takes it past `limit` bytes. */
export async function* cappedChunks(body: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLarge();
    yield chunk;
  }
}

/**
 * Closes the connection of a request answered before its body arrived in full (refused as too large, or
 * never read) once the client has had `graceMs` to read the answer. Closed at once, a client that is
 * still sending would get a reset in place of the answer; kept open, a client that waits for its writes
 * to be taken would wait for good. What arrives meanwhile is not read.
 */
export function closeAfterUnreadBody(req: IncomingMessage, res: ServerResponse, graceMs = 2_000): void {
  const socket = req.socket;
  res.once('finish', () => {
    if (req.complete) return;
    setTimeout(() => {
      if (!req.complete) socket.destroy();
    }, graceMs).unref();
  });
}
