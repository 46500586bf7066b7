import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateSpend, type LotKind, type SpendableLot } from '../../../src/domain/credits/lots.js';
import type { HoldId } from '../../../src/use-cases/ports/ledger.js';
import { expectLedgerConsistent, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-order';
const f = useLedger();
const hours = (n: number) => n * 60 * 60 * 1000;

async function remainingByLot(userId: string): Promise<Map<bigint, number>> {
  const { rows } = await f.database.sql.query(`SELECT id, remaining FROM credit_lot WHERE user_id = $1`, [userId]);
  return new Map(rows.map((r: { id: string; remaining: number }) => [BigInt(r.id), r.remaining]));
}

describe('spending order', () => {
  it('spends free, then tier, then guild grants, then top-ups, soonest expiry first', async () => {
    const userId = uniqueUser();
    const now = f.clock.now.getTime();
    const grant = (kind: LotKind, amount: number, expiresAt: Date | null, guild: string | null = guildId) =>
      f.ledger.grant({ key: `${kind}:${userId}:${amount}`, userId, guildId: guild, kind, amount, expiresAt, actorId: 'test', reason: kind });
    await grant('topup', 100, null, null);
    await grant('grant', 30, null);
    await grant('tier', 50, new Date(now + hours(24 * 6)));
    await grant('free', 20, new Date(now + hours(12)));
    await grant('grant', 10, new Date(now + hours(2)));

    const spentFrom = async (amount: number) => {
      const hold = await f.ledger.hold({ key: `${userId}:${amount}:${Math.random()}`, userId, guildId, amount, actorId: userId, reason: 'job' });
      if (!hold.ok) throw new Error(hold.error.code);
      const { rows } = await f.database.sql.query(`SELECT lot_kind, -delta_available AS took FROM ledger_entry WHERE hold_id = $1 ORDER BY line`, [
        hold.value.holdId,
      ]);
      return rows.map((r: { lot_kind: string; took: number }) => `${r.lot_kind}:${r.took}`);
    };
    // An expiring grant goes before free credits that expire later.
    expect(await spentFrom(15)).toEqual(['grant:10', 'free:5']);
    expect(await spentFrom(20)).toEqual(['free:15', 'tier:5']);
    expect(await spentFrom(60)).toEqual(['tier:45', 'grant:15']);
    // Never-expiring guild grants before purchased top-ups.
    expect(await spentFrom(40)).toEqual(['grant:15', 'topup:25']);
    await expectLedgerConsistent(f.database);
  });

  it('matches the in-memory model of the rules for any lots and any holds and settlements', async () => {
    const kinds: LotKind[] = ['free', 'tier', 'topup', 'grant'];
    const lotArb = fc.record({
      kind: fc.constantFrom(...kinds),
      amount: fc.integer({ min: 1, max: 60 }),
      // null: never expires; negative: already expired when the holds run.
      expiresInHours: fc.option(fc.integer({ min: -48, max: 24 * 30 }), { nil: null }),
    });
    const opArb = fc.oneof(
      fc.record({ type: fc.constant('hold' as const), amount: fc.integer({ min: 1, max: 90 }) }),
      fc.record({ type: fc.constant('settle' as const), pick: fc.nat(), captureShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );

    await fc.assert(
      fc.asyncProperty(fc.array(lotArb, { minLength: 1, maxLength: 8 }), fc.array(opArb, { minLength: 1, maxLength: 12 }), async (lots, ops) => {
        const userId = uniqueUser('prop');
        const now = f.clock.now.getTime();
        const model = new Map<bigint, SpendableLot>();
        for (const [i, lot] of lots.entries()) {
          const expiresAt = lot.expiresInHours === null || lot.kind === 'topup' ? null : new Date(now + hours(lot.expiresInHours) + i);
          const granted = await f.ledger.grant({
            key: `${userId}:lot:${i}`,
            userId,
            guildId: lot.kind === 'topup' ? null : guildId,
            kind: lot.kind,
            amount: lot.amount,
            expiresAt,
            actorId: 'test',
            reason: 'property',
          });
          if (!granted.ok) throw new Error(granted.error.code);
          model.set(granted.value.lotId, { id: granted.value.lotId, kind: lot.kind, remaining: lot.amount, expiresAt });
        }
        const openHolds: { holdId: HoldId; amount: number; portions: { lotId: bigint; amount: number }[] }[] = [];
        for (const [i, op] of ops.entries()) {
          if (op.type === 'hold') {
            const expected = allocateSpend([...model.values()], op.amount, f.clock.now);
            const result = await f.ledger.hold({ key: `${userId}:op:${i}`, userId, guildId, amount: op.amount, actorId: userId, reason: 'property' });
            expect(result.ok).toBe(expected !== null);
            if (result.ok && expected) {
              for (const portion of expected) {
                const lot = model.get(portion.lotId)!;
                model.set(portion.lotId, { ...lot, remaining: lot.remaining - portion.amount });
              }
              openHolds.push({ holdId: result.value.holdId, amount: op.amount, portions: expected });
            }
          } else if (openHolds.length > 0) {
            const [hold] = openHolds.splice(op.pick % openHolds.length, 1);
            const capture = Math.floor(hold!.amount * op.captureShare);
            const settled = await f.ledger.settle({ holdId: hold!.holdId, capture, actorId: 'worker', reason: 'property' });
            expect(settled.ok).toBe(true);
            // Model: the first `capture` credits held stay spent; the rest return to their lots.
            let toCapture = capture;
            for (const portion of hold!.portions) {
              const kept = Math.min(portion.amount, toCapture);
              toCapture -= kept;
              const lot = model.get(portion.lotId)!;
              model.set(portion.lotId, { ...lot, remaining: lot.remaining + portion.amount - kept });
            }
          }
          const actual = await remainingByLot(userId);
          expect(actual).toEqual(new Map([...model.values()].map((lot) => [lot.id, lot.remaining])));
        }
      }),
      { numRuns: 60 },
    );
    await expectLedgerConsistent(f.database);
  });
});
