// Random interleavings of every credit operation, run concurrently against the real database on its
// own clock (issue 12: no credit leaks). Each round moves the database's clock (crossing lot
// expiries, sometimes stepping back a little as a skewed clock would) and then runs its operations
// at once: holds, settlements (capture, partial, refund), expiry sweeps, admin revokes, grants,
// purchases, purchase reversals (card refunds and disputes), won disputes — and clock ticks, so
// operations of one round may read different times. No operation may fail other than with its
// expected refusal, the sweep never, and afterwards no credit was created or lost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restoreGraceMs, type LotKind } from '../../../src/domain/credits/lots.js';
import type { HoldId } from '../../../src/use-cases/ports/ledger.js';
import { expectLedgerConsistent, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-interleavings';
const f = useLedger(16);
const minutes = (n: number) => n * 60_000;

type Op =
  | { type: 'hold'; amount: number }
  | { type: 'settle'; pick: number; share: number }
  | { type: 'sweep'; limit: number }
  | { type: 'revoke'; amount: number; kinds: Exclude<LotKind, 'topup'>[] }
  | { type: 'grant'; kind: Exclude<LotKind, 'topup'>; amount: number; expiresInMinutes: number | null }
  | { type: 'purchase'; amount: number }
  | { type: 'reverse'; pick: number; dispute: boolean; share: number }
  | { type: 'restore'; pick: number }
  | { type: 'tick'; minutes: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant('hold' as const), amount: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant('settle' as const), pick: fc.nat(), share: fc.constantFrom(0, 0, 0.5, 1) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('sweep' as const), limit: fc.integer({ min: 1, max: 20 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('revoke' as const),
      amount: fc.integer({ min: 1, max: 40 }),
      kinds: fc.subarray(['free', 'tier', 'grant'] as const, { minLength: 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('grant' as const),
      kind: fc.constantFrom('free' as const, 'tier' as const, 'grant' as const),
      amount: fc.integer({ min: 1, max: 40 }),
      expiresInMinutes: fc.integer({ min: -30, max: 90 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('purchase' as const), amount: fc.integer({ min: 1, max: 200 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('reverse' as const), pick: fc.nat(), dispute: fc.boolean(), share: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('restore' as const), pick: fc.nat() }) },
  // The clock moving while the round's operations run: some read it before, some after.
  { weight: 2, arbitrary: fc.record({ type: fc.constant('tick' as const), minutes: fc.integer({ min: -5, max: 10 }) }) },
);
const roundArb = fc.record({
  // Mostly forward, across expiries; now and then a few minutes back, as a skewed clock would.
  advanceMinutes: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 10 }) },
    { weight: 1, arbitrary: fc.integer({ min: 11, max: 90 }) },
    { weight: 2, arbitrary: fc.integer({ min: -5, max: -1 }) },
  ),
  ops: fc.array(opArb, { minLength: 1, maxLength: 8 }),
});
const lotArb = fc.record({
  kind: fc.constantFrom('free' as const, 'tier' as const, 'grant' as const, 'topup' as const),
  amount: fc.integer({ min: 1, max: 80 }),
  expiresInMinutes: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
});

/** One member's world in one run: what the operations pick from. */
interface World {
  readonly userId: string;
  readonly purchases: { key: string; amount: number }[];
  readonly disputes: string[];
  openHolds: HoldId[];
  sequence: number;
}

async function run(world: World, op: Op): Promise<void> {
  const { userId } = world;
  const key = `${userId}:${++world.sequence}`;
  switch (op.type) {
    case 'hold': {
      const held = await f.ledger.hold({ key: `hold:${key}`, userId, guildId, amount: op.amount, actorId: userId, reason: 'job' });
      if (held.ok) world.openHolds.push(held.value.holdId);
      else expect(held.error.code).toBe('insufficient_credits');
      return;
    }
    case 'settle': {
      // Picked from the holds open when the round began: two settles of one hold may race.
      const holdId = world.openHolds[op.pick % Math.max(world.openHolds.length, 1)];
      if (holdId === undefined) return;
      const {
        rows: [hold],
      } = await f.database.sql.query(`SELECT amount FROM credit_hold WHERE id = $1`, [holdId]);
      const settled = await f.ledger.settle({ holdId, capture: Math.floor(hold.amount * op.share), actorId: 'worker', reason: 'done' });
      if (!settled.ok) expect(settled.error.code).toBe('already_settled');
      return;
    }
    case 'sweep':
      await f.ledger.expire(op.limit);
      return;
    case 'revoke': {
      const revoked = await f.ledger.revoke({ key: `revoke:${key}`, userId, guildId, amount: op.amount, kinds: op.kinds, actorId: 'admin', reason: 'abuse' });
      if (!revoked.ok) expect(revoked.error.code).toBe('nothing_to_revoke');
      return;
    }
    case 'grant': {
      const expiresAt = op.expiresInMinutes === null ? null : new Date(f.clock.now.getTime() + minutes(op.expiresInMinutes));
      expect(
        (await f.ledger.grant({ key: `grant:${key}`, userId, guildId, kind: op.kind, amount: op.amount, expiresAt, actorId: 'system', reason: op.kind })).ok,
      ).toBe(true);
      return;
    }
    case 'purchase': {
      expect(
        (
          await f.ledger.grant({
            key: `stripe:cs_${key}`,
            userId,
            guildId: null,
            kind: 'topup',
            amount: op.amount,
            expiresAt: null,
            actorId: 'stripe',
            reason: 'pack',
          })
        ).ok,
      ).toBe(true);
      world.purchases.push({ key: `stripe:cs_${key}`, amount: op.amount });
      return;
    }
    case 'reverse': {
      const purchase = world.purchases[op.pick % Math.max(world.purchases.length, 1)];
      if (purchase === undefined) return;
      // Card refunds are cumulative targets (Stripe's amount_refunded); a dispute claims it all.
      const target = op.dispute ? purchase.amount : Math.floor(purchase.amount * op.share);
      const reversalKey = op.dispute ? `dispute:${key}` : `refund:${purchase.key}:${target}`;
      if (op.dispute) world.disputes.push(reversalKey);
      const reversed = await f.ledger.reversePurchase({
        key: reversalKey,
        purchaseKey: purchase.key,
        targetCredits: target,
        actorId: 'stripe',
        reason: 'reversed',
      });
      expect(reversed.ok).toBe(true);
      return;
    }
    case 'tick':
      await f.setClock(new Date(f.clock.now.getTime() + minutes(op.minutes)));
      return;
    case 'restore': {
      const dispute = world.disputes[op.pick % Math.max(world.disputes.length, 1)];
      if (dispute === undefined) return;
      expect((await f.ledger.restoreReversal({ reversalKey: dispute, key: `won:${dispute}`, actorId: 'stripe', reason: 'won' })).ok).toBe(true);
      return;
    }
  }
}

/** The rules this issue added, for one member, in SQL over their rows. */
async function expectMemberRules(userId: string): Promise<void> {
  // A restored share expires by its first lot's expiry plus one grace, however often it was restored.
  const { rows: restoredTooLate } = await f.database.sql.query(
    `
    WITH RECURSIVE chain AS (
      SELECT l.id, l.id AS root, l.expires_at AS root_expiry FROM credit_lot l WHERE l.user_id = $1 AND l.restored_from_lot_id IS NULL
      UNION ALL
      SELECT r.id, c.root, c.root_expiry FROM credit_lot r JOIN chain c ON r.restored_from_lot_id = c.id)
    SELECT l.id, l.expires_at, c.root_expiry FROM chain c JOIN credit_lot l ON l.id = c.id
     WHERE l.restored_from_lot_id IS NOT NULL AND l.expires_at > c.root_expiry + $2::int * interval '1 millisecond'`,
    [userId, restoreGraceMs],
  );
  expect(restoredTooLate).toEqual([]);
  // A purchase's reversals never take more than their live claims.
  const { rows: overTaken } = await f.database.sql.query(
    `
    SELECT l.id FROM credit_lot l
     WHERE l.user_id = $1 AND l.kind = 'topup'
       AND coalesce((SELECT -sum(e.delta_available) FROM ledger_entry e WHERE e.lot_id = l.id AND e.kind = 'revoke' AND e.idempotency_key LIKE 'reverse:%'), 0)
         > coalesce((SELECT max(r.target) FROM purchase_reversal r WHERE r.lot_id = l.id AND r.restored_by IS NULL), 0)`,
    [userId],
  );
  expect(overTaken).toEqual([]);
}

/** Runs one round's operations at once, then checks the member's rules. */
async function runRound(world: World, ops: readonly Op[]): Promise<void> {
  const settling = new Set(
    ops.flatMap((op) => (op.type === 'settle' && world.openHolds.length > 0 ? [world.openHolds[op.pick % world.openHolds.length]!] : [])),
  );
  await Promise.all(ops.map((op) => run(world, op)));
  world.openHolds = world.openHolds.filter((holdId) => !settling.has(holdId));
  await expectMemberRules(world.userId);
}

/** At `at`, a sweep running alone leaves no expired credits, and the whole ledger adds up. */
async function expectSweptAndConsistent(world: World, at: Date): Promise<void> {
  await f.setClock(at);
  while ((await f.ledger.expire(500)).lots === 500);
  const { rows: unswept } = await f.database.sql.query(`SELECT id FROM credit_lot WHERE user_id = $1 AND remaining > 0 AND expires_at <= $2`, [
    world.userId,
    at,
  ]);
  expect(unswept).toEqual([]);
  await expectLedgerConsistent(f.database);
}

describe('random interleavings of every credit operation, concurrently, on the database clock', () => {
  it('around one lot’s expiry: holds, refunds, captures, sweeps and a clock moving both ways leak nothing and never fail a sweep', async () => {
    const aroundArb = fc.oneof(
      { weight: 3, arbitrary: fc.record({ type: fc.constant('hold' as const), amount: fc.integer({ min: 1, max: 15 }) }) },
      { weight: 3, arbitrary: fc.record({ type: fc.constant('settle' as const), pick: fc.nat(), share: fc.constantFrom(0, 0, 0, 0.5, 1) }) },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('sweep' as const), limit: fc.constant(50) }) },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('tick' as const), minutes: fc.integer({ min: -3, max: 3 }) }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -3, max: 3 }),
        fc.array(fc.array(aroundArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        async (startMinutes, rounds) => {
          const world: World = { userId: uniqueUser('around'), purchases: [], disputes: [], openHolds: [], sequence: 0 };
          const expiresAt = new Date(f.clock.now.getTime() + minutes(10));
          await run(world, { type: 'grant', kind: 'free', amount: 60, expiresInMinutes: 10 });
          await run(world, { type: 'grant', kind: 'grant', amount: 30, expiresInMinutes: null });
          await f.setClock(new Date(expiresAt.getTime() + minutes(startMinutes)));
          for (const ops of rounds) await runRound(world, ops);
          await expectSweptAndConsistent(world, new Date(expiresAt.getTime() + minutes(180)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('create or lose no credit, never fail a sweep, and keep the expiry and reversal rules', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lotArb, { minLength: 1, maxLength: 6 }), fc.array(roundArb, { minLength: 1, maxLength: 10 }), async (lots, rounds) => {
        const world: World = { userId: uniqueUser('interleaved'), purchases: [], disputes: [], openHolds: [], sequence: 0 };
        for (const lot of lots) {
          if (lot.kind === 'topup') {
            await run(world, { type: 'purchase', amount: lot.amount });
          } else {
            await run(world, { type: 'grant', kind: lot.kind, amount: lot.amount, expiresInMinutes: lot.expiresInMinutes });
          }
        }
        for (const round of rounds) {
          await f.setClock(new Date(f.clock.now.getTime() + minutes(round.advanceMinutes)));
          await runRound(world, round.ops);
        }
        await expectSweptAndConsistent(world, new Date(f.clock.now.getTime() + minutes(1)));
      }),
      { numRuns: 100 },
    );
  });
});
