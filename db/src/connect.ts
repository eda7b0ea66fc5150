// The one way to open a Postgres connection pool. Columns come back camelCased.
import postgres from 'postgres';

export type Sql = postgres.Sql<{}>;
export type TransactionSql = postgres.TransactionSql<{}>;

export interface ConnectOptions {
  max?: number;
  applicationName?: string;
}

export function connect(url: string, { max = 10, applicationName = 'switchboard' }: ConnectOptions = {}): Sql {
  return postgres(url, {
    max,
    // Column names only: JSON values (Meta's payloads) must come back exactly as stored.
    transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
    connection: { application_name: applicationName },
    onnotice: () => {},
  });
}
