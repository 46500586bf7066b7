import type pg from 'pg';
import { statementName } from './client.js';

/** Runs a statement as a named (prepared once per connection) statement and returns its rows. */
export async function query<Row>(pool: pg.Pool, text: string, values: unknown[]): Promise<Row[]> {
  const { rows } = await pool.query<Row & pg.QueryResultRow>({ name: statementName(text), text, values });
  return rows;
}
