// A JSON answer for the plain HTTP routes (ingest, media, health).
import type { ServerResponse } from 'node:http';

export function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
