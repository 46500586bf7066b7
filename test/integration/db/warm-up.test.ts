// Warming the pool at start: every connection opened and run through /imagine's statements,
// nothing kept; a warm-up that fails is reported and its connections are not reused.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehearseQuoteInsert } from '../../../src/db/job-store.js';
import { rehearseMemberSettingsRead } from '../../../src/db/member-settings-store.js';
import { warmUpPool, warmUpPrisma } from '../../../src/db/warm-up.js';
import { rehearseAllowancesCall } from '../../../src/ledger/sql-ledger.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const rehearsals = [rehearseMemberSettingsRead, rehearseAllowancesCall, rehearseQuoteInsert];
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(4);
});
afterAll(async () => {
  await database?.drop();
});

const leftovers = async () => {
  const { rows } = await database.sql.query<{ lots: string; entries: string; quotes: string }>(`
    SELECT (SELECT count(*) FROM credit_lot WHERE user_id = 'warm-up') AS lots,
           (SELECT count(*) FROM ledger_entry WHERE user_id = 'warm-up') AS entries,
           (SELECT count(*) FROM quote WHERE user_id = 'warm-up') AS quotes`);
  return rows[0];
};

describe('warming the connection pool', () => {
  it('opens every connection, runs the grant, balance and quote statements on each, and keeps nothing', async () => {
    const { pool } = database.db;
    expect(pool.totalCount).toBe(0);
    expect(await warmUpPool(pool, 4, rehearsals)).toBeNull();
    expect(pool.totalCount).toBe(4);
    expect(pool.idleCount).toBe(4);
    expect(await leftovers()).toEqual({ lots: '0', entries: '0', quotes: '0' });
    // The connections are usable afterwards and in no transaction (a left-open one would keep
    // its start time as now()).
    const inTransaction = await Promise.all(
      Array.from({ length: 4 }, () => pool.query<{ now_is_tx: boolean }>(`SELECT now() <> statement_timestamp() AS now_is_tx`)),
    );
    expect(inTransaction.map((result) => result.rows[0]?.now_is_tx)).toEqual([false, false, false, false]);
  });

  it('reports a failure and drops the connections it failed on, leaving the pool usable', async () => {
    const scratch = await createTestDatabase(2);
    try {
      await scratch.sql.query('DROP FUNCTION ledger_grant_allowances');
      const failure = await warmUpPool(scratch.db.pool, 2, rehearsals);
      expect(failure?.message).toMatch(/ledger_grant_allowances/);
      expect(scratch.db.pool.totalCount).toBe(0);
      const { rows } = await scratch.db.pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0]?.one).toBe(1);
    } finally {
      await scratch.drop();
    }
  });

  it('reports connections it cannot open without throwing or leaking any', async () => {
    const url = new URL(database.url);
    url.pathname = '/imagine_credits_no_such_database';
    const pool = new pg.Pool({ connectionString: url.toString(), max: 3 });
    pool.on('error', () => undefined);
    try {
      const failure = await warmUpPool(pool, 3, rehearsals);
      expect(failure?.message).toMatch(/does not exist/);
      expect(pool.totalCount).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('loads Prisma Client’s query compiler with one read that keeps nothing, and reports a failure without throwing', async () => {
    expect(await warmUpPrisma(database.db.prisma)).toBeNull();
    const scratch = await createTestDatabase(1);
    try {
      await scratch.sql.query('DROP TABLE member_settings');
      expect((await warmUpPrisma(scratch.db.prisma))?.message).toMatch(/member_settings/);
    } finally {
      await scratch.drop();
    }
  });
});
