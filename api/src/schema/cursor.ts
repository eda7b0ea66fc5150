// Keyset cursors: opaque to clients, (timestamp, id) inside, so pages stay stable while rows arrive.
import { GraphQLError } from 'graphql';

export interface KeysetPosition {
  at: Date;
  /** The tie-breaker: a row id (uuid) or a sequence number, as a string. */
  id: string;
}

const KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]{1,19})$/;

export function encodeCursor(at: Date, key: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), key])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): KeysetPosition | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string' || !KEY.test(id)) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new GraphQLError('Invalid cursor', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}
