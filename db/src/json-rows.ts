// Values for statements that carry many rows or keys at once (ingest), in the shapes that are cheapest
// to serialise. Rows sent as one JSON document (json_to_recordset) carry their times as epoch seconds,
// read back with to_timestamp(): JSON.stringify leaves its fast path for every Date it meets (each one
// goes through toJSON), which for a batch of a hundred rows was most of the serialising time.
import type { PendingQuery, Row } from 'postgres';
import type { Sql, TransactionSql } from './connect.ts';

/** A time as fractional epoch seconds: exact to the millisecond through float8 and to_timestamp(). */
export function epoch(time: Date): number;
export function epoch(time: Date | null): number | null;
export function epoch(time: Date | null): number | null {
  return time === null ? null : time.getTime() / 1000;
}

/**
 * A text[] parameter sent as one JSON string. postgres.js escapes an array parameter element by element
 * with regular expressions; for the hundreds of keys and ids in an ingest batch JSON.stringify is far
 * cheaper, and Postgres unpacks it once.
 */
export function textArray(sql: Sql | TransactionSql, values: string[]): PendingQuery<Row[]> {
  return sql`array(select json_array_elements_text(${JSON.stringify(values)}::text::json))`;
}
