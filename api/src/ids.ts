// Time-ordered ids (UUIDv7) for rows we create in bulk. uuid's own v7 asks the operating system for 16
// random bytes per id; ingest makes two ids per message, so the bytes are drawn in blocks instead.
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const pool = new Uint8Array(16 * 256);
let offset = pool.length;

export function newId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 16);
  offset += 16;
  return v7({ random });
}
