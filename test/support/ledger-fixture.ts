import { afterAll, beforeAll, expect } from 'vitest';
import { allowancePolicyFor, noGrants, type GrantPolicy } from '../../src/domain/admin/grant-policy.js';
import type { PriceCard } from '../../src/domain/pricing/price-card-schema.js';
import { createSqlLedger } from '../../src/ledger/sql-ledger.js';
import { loadPriceCardOrThrow } from '../../src/pricing/load-price-card.js';
import type { Ledger } from '../../src/use-cases/ports/ledger.js';
import { createTestDatabase, setDatabaseClock, type TestDatabase } from './database.js';

export interface LedgerFixture {
  database: TestDatabase;
  ledger: Ledger;
  /** The database's clock (ledger_now()) as last set; starts at 2026-11-22 12:00 UTC. */
  clock: { readonly now: Date };
  /** Moves the database's clock, which decides every expiry; tests use it to cross them. */
  setClock(at: Date): Promise<void>;
}

/**
 * The operator policy tests run under unless they test the policy: nobody but owners (none) gifts
 * credits, and server admins may map a role to any tier (the production default allows none).
 */
export const testGrantPolicy: GrantPolicy = { ...noGrants, guildAdminTiers: 'all' };

/**
 * A ledger as the bot builds it: allowances checked against `policy` and `card` in SQL. Members
 * start with nothing — no one-time welcome credits — unless a test passes `welcome: true`, so a
 * test's balances are what it granted.
 */
export const createTestLedger = (database: TestDatabase, card: PriceCard, policy: GrantPolicy = testGrantPolicy, options: { welcome?: boolean } = {}) =>
  createSqlLedger(database.db.pool, { allowancePolicy: allowancePolicyFor(policy, options.welcome ? card : { ...card, welcomeCredits: 0 }) });

/**
 * Maps a role of `guildId` to `tierName` as a server admin would: what lets the ledger give a
 * member that tier's allowance in that guild (ledger_grant_allowances checks the mapping).
 */
export async function mapRoleToTier(database: TestDatabase, guildId: string, tierName: string, setBy = 'test-admin'): Promise<void> {
  await database.sql.query(`INSERT INTO guild_tier_role (guild_id, role_id, tier_name, set_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    guildId,
    `role-${tierName}`,
    tierName,
    setBy,
  ]);
}

/** A fresh database and ledger (on the default price card) for one test file, dropped afterwards. */
export function useLedger(poolSize = 10): LedgerFixture {
  const clock = { now: new Date('2026-11-22T12:00:00Z') };
  const fixture = { clock } as LedgerFixture;
  fixture.setClock = async (at) => {
    clock.now = at;
    await setDatabaseClock(fixture.database, at);
  };
  beforeAll(async () => {
    fixture.database = await createTestDatabase(poolSize);
    fixture.ledger = createTestLedger(fixture.database, await loadPriceCardOrThrow());
    await fixture.setClock(clock.now);
  });
  afterAll(async () => {
    await fixture.database?.drop();
  });
  return fixture;
}

let sequence = 0;
/** A member id no other test in this file uses. */
export const uniqueUser = (prefix = 'user'): string => `${prefix}-${process.pid}-${++sequence}`;

/**
 * The ledger's invariants, checked in SQL over every row:
 * each lot's remaining equals the sum of its entries and never goes below zero; each hold's
 * entries net to its amount while held and to zero once settled, with captures and refunds adding
 * up to the recorded settlement; a purchase owes its reversals exactly what they still claim, and
 * holds no credits while it owes any; and every credit granted is accounted for.
 */
export async function expectLedgerConsistent(database: TestDatabase): Promise<void> {
  const { rows: lotDrift } = await database.sql.query(`
    SELECT l.id, l.remaining, coalesce(sum(e.delta_available), 0)::int AS from_entries
      FROM credit_lot l LEFT JOIN ledger_entry e ON e.lot_id = l.id
     GROUP BY l.id HAVING l.remaining <> coalesce(sum(e.delta_available), 0) OR l.remaining < 0`);
  expect(lotDrift).toEqual([]);

  const { rows: holdDrift } = await database.sql.query(`
    SELECT h.id, h.status, h.amount, h.captured_amount, h.refunded_amount,
           coalesce(sum(e.delta_held), 0)::int AS held_now,
           coalesce(sum(-e.delta_held) FILTER (WHERE e.kind = 'capture'), 0)::int AS captured,
           coalesce(sum(e.delta_available) FILTER (WHERE e.kind = 'refund'), 0)::int AS refunded,
           coalesce(sum(-e.delta_available) FILTER (WHERE e.kind = 'hold'), 0)::int AS held_at_start
      FROM credit_hold h LEFT JOIN ledger_entry e ON e.hold_id = h.id
     GROUP BY h.id
    HAVING coalesce(sum(e.delta_held), 0) <> CASE WHEN h.status = 'held' THEN h.amount ELSE 0 END
        OR coalesce(sum(-e.delta_available) FILTER (WHERE e.kind = 'hold'), 0) <> h.amount
        OR coalesce(sum(-e.delta_held) FILTER (WHERE e.kind = 'capture'), 0) <> h.captured_amount
        OR coalesce(sum(e.delta_available) FILTER (WHERE e.kind = 'refund'), 0) <> h.refunded_amount`);
  expect(holdDrift).toEqual([]);

  // A purchase owes its live reversals max(0, largest target − net reversed), and takes it
  // whenever it has credits: owing and holding credits at once would be a leak.
  const { rows: owedDrift } = await database.sql.query(`
    SELECT l.id, l.remaining, l.reversal_owed, ledger_reversal_owed(l.id) AS expected FROM credit_lot l
     WHERE l.reversal_owed <> ledger_reversal_owed(l.id) OR (l.reversal_owed > 0 AND l.remaining > 0)`);
  expect(owedDrift).toEqual([]);

  const {
    rows: [totals],
  } = await database.sql.query(`
    SELECT (SELECT coalesce(sum(amount), 0) FROM credit_lot WHERE restored_from_lot_id IS NULL)::int AS granted,
           (SELECT coalesce(sum(remaining), 0) FROM credit_lot)::int AS remaining,
           (SELECT coalesce(sum(amount), 0) FROM credit_hold WHERE status = 'held')::int AS held,
           (SELECT coalesce(sum(captured_amount), 0) FROM credit_hold)::int AS captured,
           (SELECT coalesce(-sum(delta_available), 0) FROM ledger_entry WHERE kind IN ('expire', 'revoke'))::int AS removed`);
  expect(totals.granted).toBe(totals.remaining + totals.held + totals.captured + totals.removed);
}
