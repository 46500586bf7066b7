// Each integration test file works in its own PostgreSQL database, cloned from a template that
// global-setup migrated once, so files run in parallel without seeing each other's rows.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type Database } from '../../src/db/client.js';

// One template per checkout, so two checkouts (git worktrees) can run their suites at once.
export const templateDatabase = `imagine_credits_test_template_${createHash('sha256').update(process.cwd()).digest('hex').slice(0, 8)}`;

/** The server the tests use: TEST_DATABASE_URL, else DATABASE_URL, else the local default. */
export function serverUrl(database = 'postgres'): string {
  const url = new URL(process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly url: string;
  readonly db: Database;
  /** A plain pg pool on the same database, for assertions written in SQL. */
  readonly sql: pg.Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const name = `imagine_credits_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase}"`);
  // Lets tests move the ledger's clock (ledger_clock, see prisma/migrations/*_ledger_clock).
  await adminQuery(`ALTER DATABASE "${name}" SET ledger.settable_clock = 'on'`);
  const url = serverUrl(name);
  const db = createDatabase({ url, poolSize });
  const sql = new pg.Pool({ connectionString: url, max: 4 });
  sql.on('error', () => undefined);
  return {
    url,
    db,
    sql,
    async drop() {
      await db.close();
      await sql.end();
      // Without FORCE: a pool still closing a connection would see it killed and throw.
      for (let attempt = 0; ; attempt++) {
        try {
          await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
          return;
        } catch (error) {
          if (attempt >= 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
  };
}

/**
 * Freezes the database's clock (ledger_now(): every expiry, lease and deadline decision) at `at`,
 * for every connection at once; null lets it run with PostgreSQL's own clock again.
 */
export async function setDatabaseClock(database: TestDatabase, at: Date | null): Promise<void> {
  await (at === null
    ? database.sql.query(`DELETE FROM ledger_clock`)
    : database.sql.query(`INSERT INTO ledger_clock (at) VALUES ($1) ON CONFLICT (only_row) DO UPDATE SET at = excluded.at`, [at]));
}
