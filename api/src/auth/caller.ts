// Who is calling over HTTP (GraphQL and the media route alike): a partner key in the Authorization
// header; else the dashboard's session cookie — accepted only from an allowed origin (or none), so
// another site cannot ride on it; else nobody. 'invalid': a key was offered and is not one.
import type { Sql } from '@switchboard/db/connect';
import type { Viewer } from '../context.ts';
import { authenticateApiKey, bearerToken } from './api-key.ts';
import { authenticateSession, sessionTokenFromCookieHeader } from './sessions.ts';

export interface CallerHeaders {
  authorization: string | null | undefined;
  cookie: string | null | undefined;
  origin: string | null | undefined;
}

export async function authenticateCaller(sql: Sql, headers: CallerHeaders, allowedOrigins: string[]): Promise<Viewer | null | 'invalid'> {
  if (headers.authorization) return (await authenticateApiKey(sql, bearerToken(headers.authorization))) ?? 'invalid';
  if (headers.origin && !allowedOrigins.includes(headers.origin)) return null;
  return authenticateSession(sql, sessionTokenFromCookieHeader(headers.cookie));
}
