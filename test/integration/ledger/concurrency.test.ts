import { describe, expect, it } from 'vitest';
import type { HoldId } from '../../../src/use-cases/ports/ledger.js';
import { expectLedgerConsistent, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-concurrency';
const f = useLedger(16);

async function fund(userId: string, amount: number): Promise<void> {
  const granted = await f.ledger.grant({ key: `fund:${userId}`, userId, guildId, kind: 'grant', amount, expiresAt: null, actorId: 'test', reason: 'fund' });
  expect(granted.ok).toBe(true);
}

describe('ledger under concurrency (real PostgreSQL)', () => {
  it('200 concurrent holds on one wallet never take it below zero', async () => {
    const userId = uniqueUser();
    await fund(userId, 1000);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => f.ledger.hold({ key: `hot:${userId}:${i}`, userId, guildId, amount: 7, actorId: userId, reason: 'job' })),
    );
    const held = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(held).toHaveLength(Math.floor(1000 / 7));
    expect(refused.every((r) => !r.ok && r.error.code === 'insufficient_credits')).toBe(true);
    const balance = await f.ledger.balance(userId, guildId);
    expect(balance.available).toBe(1000 - 7 * held.length);
    expect(balance.held).toBe(7 * held.length);
    await expectLedgerConsistent(f.database);
  });

  it('1,000 wallets each hammered by three concurrent holds end exact', async () => {
    const users = Array.from({ length: 1000 }, () => uniqueUser('wallet'));
    await Promise.all(users.map((userId) => fund(userId, 25)));
    // Each wallet can afford two holds of 10 but not three.
    const results = await Promise.all(
      users.flatMap((userId) => [0, 1, 2].map((i) => f.ledger.hold({ key: `w:${userId}:${i}`, userId, guildId, amount: 10, actorId: userId, reason: 'job' }))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(2000);
    expect(results.filter((r) => !r.ok && r.error.code === 'insufficient_credits')).toHaveLength(1000);
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS wallets FROM credit_lot WHERE user_id = ANY($1) AND remaining = 5`, [users]);
    expect(rows[0].wallets).toBe(1000);
    await expectLedgerConsistent(f.database);
  });

  it('concurrent holds, captures and refunds across one wallet keep every entry summing to the balance', async () => {
    const userId = uniqueUser();
    await fund(userId, 500);
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const hold = await f.ledger.hold({ key: `mix:${userId}:${i}`, userId, guildId, amount: 10, actorId: userId, reason: 'job' });
        if (!hold.ok) return 0;
        const capture = i % 3 === 0 ? 0 : i % 3 === 1 ? 10 : 4;
        const settled = await f.ledger.settle({ holdId: hold.value.holdId, capture, actorId: 'worker', reason: 'done' });
        expect(settled.ok).toBe(true);
        return capture;
      }),
    );
    const spent = outcomes.reduce<number>((a, b) => a + b, 0);
    const balance = await f.ledger.balance(userId, guildId);
    expect(balance.held).toBe(0);
    expect(balance.available).toBe(500 - spent);
    await expectLedgerConsistent(f.database);
  });

  it('a hold settled by two workers at once ends exactly once', async () => {
    const userId = uniqueUser();
    await fund(userId, 100);
    const hold = await f.ledger.hold({ key: `race:${userId}`, userId, guildId, amount: 40, actorId: userId, reason: 'job' });
    if (!hold.ok) throw new Error('hold failed');
    const holdId: HoldId = hold.value.holdId;
    const [a, b, c, d] = await Promise.all([
      f.ledger.settle({ holdId, capture: 40, actorId: 'worker-1', reason: 'delivered' }),
      f.ledger.settle({ holdId, capture: 40, actorId: 'worker-2', reason: 'delivered' }),
      f.ledger.settle({ holdId, capture: 0, actorId: 'reaper', reason: 'timeout' }),
      f.ledger.settle({ holdId, capture: 40, actorId: 'worker-3', reason: 'delivered' }),
    ]);
    const fresh = [a, b, c, d].filter((r) => r.ok && !r.value.replayed);
    expect(fresh).toHaveLength(1);
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE hold_id = $1 AND kind <> 'hold'`, [holdId]);
    expect(rows[0].n).toBe(1);
    await expectLedgerConsistent(f.database);
  });

  it('the same hold key sent 50 times at once holds once', async () => {
    const userId = uniqueUser();
    await fund(userId, 100);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => f.ledger.hold({ key: `dup:${userId}`, userId, guildId, amount: 30, actorId: userId, reason: 'double click' })),
    );
    const ids = new Set(results.map((r) => (r.ok ? r.value.holdId : 'error')));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    expect((await f.ledger.balance(userId, guildId)).available).toBe(70);
    await expectLedgerConsistent(f.database);
  });
});
