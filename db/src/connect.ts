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
    transform: postgres.camel,
    connection: { application_name: applicationName },
    onnotice: () => {},
  });
}
