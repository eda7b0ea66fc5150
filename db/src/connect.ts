// The one way to open a Postgres connection pool. Columns come back camelCased.
import postgres from 'postgres';

export type Sql = postgres.Sql<{}>;
export type TransactionSql = postgres.TransactionSql<{}>;
/** A piece of SQL built with tx`…` to put inside another query. */
export type Fragment = postgres.PendingQuery<postgres.Row[]>;

export interface ConnectOptions {
  max?: number;
  applicationName?: string;
  /** Called with each statement sent (tests count round trips with it). */
  onQuery?: (query: string) => void;
  /** Session settings sent when each connection opens (e.g. `switchboard.analytics: 'off'`). */
  settings?: Record<string, string>;
}

export function connect(url: string, { max = 10, applicationName = 'switchboard', onQuery, settings = {} }: ConnectOptions = {}): Sql {
  const { url: address, path } = unixSocket(url);
  return postgres(address, {
    max,
    ...(path ? { path } : {}),
    // Column names only: JSON values (Meta's payloads) must come back exactly as stored.
    transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
    connection: { application_name: applicationName, ...settings },
    onnotice: () => {},
    ...(onQuery ? { debug: (_connection: number, query: string) => onQuery(query) } : {}),
  });
}

/**
 * libpq's form for a Unix-domain socket, `postgres://user:pw@localhost:5432/db?host=/run/postgresql`:
 * the socket in that directory, named after the port. postgres.js takes it as `path` and would send an
 * unknown query parameter to the server as a setting, so it is taken off the URL. On one machine a
 * socket spares every statement the loopback TCP stack.
 */
function unixSocket(url: string): { url: string; path?: string } {
  const parsed = new URL(url);
  const dir = parsed.searchParams.get('host');
  if (!dir?.startsWith('/')) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), path: `${dir}/.s.PGSQL.${parsed.port || '5432'}` };
}
