// Taking back a purchase whose payment was reversed: towards a total target, only from that
// purchase's lot and only what is left of it, once however many reversals race.
import { describe, expect, it } from 'vitest';
import { expectLedgerConsistent, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const f = useLedger();

async function purchase(credits = 1000) {
  const userId = uniqueUser();
  const purchaseKey = `stripe:cs_${userId}`;
  const granted = await f.ledger.grant({
    key: purchaseKey,
    userId,
    guildId: null,
    kind: 'topup',
    amount: credits,
    expiresAt: null,
    actorId: 'stripe',
    reason: 'pack',
  });
  expect(granted.ok).toBe(true);
  return { userId, purchaseKey };
}
const reverse = (purchaseKey: string, key: string, targetCredits: number | 'all') =>
  f.ledger.reversePurchase({ key, purchaseKey, targetCredits, actorId: 'stripe', reason: 'refund' });
const topup = async (userId: string) => (await f.ledger.balance(userId, 'guild-reversal')).buckets.topup.available;

describe('reversing a purchase', () => {
  it('takes what is missing towards the target; the same key again, or a smaller target, takes nothing', async () => {
    const { userId, purchaseKey } = await purchase();
    expect(await reverse(purchaseKey, 'refund:ch:300', 300)).toEqual({
      ok: true,
      value: { outcome: 'reversed', userId, taken: 300, shortfall: 0, remaining: 700 },
    });
    expect(await reverse(purchaseKey, 'refund:ch:300', 300)).toMatchObject({ ok: true, value: { outcome: 'already', taken: 300 } });
    expect(await reverse(purchaseKey, 'refund:ch:200', 200)).toMatchObject({ ok: true, value: { outcome: 'nothing_due', taken: 0 } });
    expect(await reverse(purchaseKey, 'refund:ch:1000', 1000)).toMatchObject({ ok: true, value: { outcome: 'reversed', taken: 700, remaining: 0 } });
    // A target above the purchase takes no more than the purchase.
    expect(await reverse(purchaseKey, 'dispute:dp', 5000)).toMatchObject({ ok: true, value: { outcome: 'nothing_due', taken: 0, shortfall: 0 } });
    expect(await topup(userId)).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('a target of "all" takes whatever is left of the whole purchase, after a partial reversal too, once', async () => {
    const { userId, purchaseKey } = await purchase(1000);
    expect(await reverse(purchaseKey, 'refund:part:250', 250)).toMatchObject({ ok: true, value: { outcome: 'reversed', taken: 250 } });
    expect(await reverse(purchaseKey, 'discord-withdrawn:1', 'all')).toEqual({
      ok: true,
      value: { outcome: 'reversed', userId, taken: 750, shortfall: 0, remaining: 0 },
    });
    expect(await reverse(purchaseKey, 'discord-withdrawn:1', 'all')).toMatchObject({ ok: true, value: { outcome: 'already', taken: 750 } });
    expect(await topup(userId)).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('many reversals at once take exactly the largest target, never from another lot', async () => {
    const { userId, purchaseKey } = await purchase();
    await f.ledger.grant({
      key: `other:${userId}`,
      userId,
      guildId: null,
      kind: 'topup',
      amount: 500,
      expiresAt: null,
      actorId: 'stripe',
      reason: 'another pack',
    });
    const targets = Array.from({ length: 24 }, (_, i) => ((i * 37) % 900) + 50);
    const results = await Promise.all(targets.map((target, i) => reverse(purchaseKey, `refund:race:${i}`, target)));
    const taken = results.reduce((sum, r) => sum + (r.ok ? r.value.taken : 0), 0);
    expect(taken).toBe(Math.max(...targets));
    expect(await topup(userId)).toBe(1000 - taken + 500);
    await expectLedgerConsistent(f.database);
  });

  it('what the member spent is a shortfall: reported, not taken from anything else', async () => {
    const { userId, purchaseKey } = await purchase(100);
    await f.ledger.grant({
      key: `gift:${userId}`,
      userId,
      guildId: 'guild-reversal',
      kind: 'grant',
      amount: 50,
      expiresAt: null,
      actorId: 'admin',
      reason: 'gift',
    });
    // Spend 120: the gift goes first (it is not a top-up), then 70 of the purchase.
    const hold = await f.ledger.hold({ key: `h:${userId}`, userId, guildId: 'guild-reversal', amount: 120, actorId: userId, reason: 'images' });
    expect(hold.ok).toBe(true);
    if (hold.ok) await f.ledger.settle({ holdId: hold.value.holdId, capture: 120, actorId: 'worker', reason: 'delivered' });
    expect(await reverse(purchaseKey, 'refund:spent:100', 100)).toMatchObject({
      ok: true,
      value: { outcome: 'reversed', taken: 30, shortfall: 70, remaining: 0 },
    });
    expect(await f.ledger.balance(userId, 'guild-reversal')).toMatchObject({ available: 0, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('refuses an unknown purchase and bad input, moving nothing', async () => {
    expect(await reverse('stripe:cs_nobody', 'refund:x:1', 10)).toEqual({ ok: false, error: { code: 'purchase_not_found', purchaseKey: 'stripe:cs_nobody' } });
    const { userId, purchaseKey } = await purchase();
    expect(await reverse(purchaseKey, 'refund:x:-1', -1)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'targetCredits' } });
    expect(await reverse(purchaseKey, ' ', 10)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'key' } });
    expect(await topup(userId)).toBe(1000);
  });
});

describe('restoring a reversal (a chargeback won)', () => {
  it('gives back what that reversal took as a new top-up lot, once', async () => {
    const { userId, purchaseKey } = await purchase();
    await reverse(purchaseKey, 'dispute:dp_1', 1000);
    const restore = () => f.ledger.restoreReversal({ reversalKey: 'dispute:dp_1', key: 'dispute-won:dp_1', actorId: 'stripe', reason: 'won' });
    const [first, ...again] = await Promise.all(Array.from({ length: 5 }, restore));
    const all = [first, ...again].map((r) => (r?.ok ? r.value : null));
    expect(all.filter((r) => r?.replayed === false)).toEqual([expect.objectContaining({ userId, amount: 1000 })]);
    expect(await topup(userId)).toBe(1000);
    expect(await f.ledger.restoreReversal({ reversalKey: 'dispute:never', key: 'dispute-won:never', actorId: 'stripe', reason: 'won' })).toEqual({
      ok: true,
      value: null,
    });
    // Given back to the purchase itself: a later refund of the same payment still takes what is due.
    expect(await reverse(purchaseKey, 'refund:after-won:300', 300)).toMatchObject({ ok: true, value: { outcome: 'reversed', taken: 300, remaining: 700 } });
    expect(await topup(userId)).toBe(700);
    await expectLedgerConsistent(f.database);
  });
});

describe('a reversal of credits held in running jobs', () => {
  const guild = 'guild-reversal';
  const holdFor = async (userId: string, amount: number) => {
    const held = await f.ledger.hold({ key: `job:${userId}:${Math.random()}`, userId, guildId: guild, amount, actorId: userId, reason: 'job' });
    if (!held.ok) throw new Error(held.error.code);
    return held.value.holdId;
  };

  it('records what it could not take and takes it when the held credits come back', async () => {
    const { userId, purchaseKey } = await purchase(500);
    const jobs = [await holdFor(userId, 240), await holdFor(userId, 240)];
    expect(await reverse(purchaseKey, 'dispute:dp_held', 500)).toMatchObject({
      ok: true,
      value: { outcome: 'reversed', taken: 20, shortfall: 480, remaining: 0 },
    });
    // Both jobs fail: their 480 credits return to the purchase, which owes them to the dispute.
    for (const holdId of jobs) await f.ledger.settle({ holdId, capture: 0, actorId: 'worker', reason: 'failed' });
    expect(await topup(userId)).toBe(0);
    expect(await reverse(purchaseKey, 'dispute:dp_held', 500)).toMatchObject({ ok: true, value: { outcome: 'already', taken: 500, shortfall: 0 } });
    await expectLedgerConsistent(f.database);
  });

  it('owes only what was not spent: a delivered job keeps its credits spent, a failed one pays the debt', async () => {
    const { userId, purchaseKey } = await purchase(500);
    const [delivered, failed] = [await holdFor(userId, 200), await holdFor(userId, 200)];
    expect(await reverse(purchaseKey, 'refund:ch_held:500', 500)).toMatchObject({ ok: true, value: { taken: 100, shortfall: 400 } });
    await f.ledger.settle({ holdId: delivered, capture: 200, actorId: 'worker', reason: 'delivered' });
    await f.ledger.settle({ holdId: failed, capture: 50, actorId: 'worker', reason: '1 of 4 delivered' });
    expect(await topup(userId)).toBe(0);
    // What the member spent stays owed, and nothing else of theirs is touched.
    expect(await reverse(purchaseKey, 'refund:ch_held:500', 500)).toMatchObject({ ok: true, value: { outcome: 'already', taken: 250, shortfall: 250 } });
    await expectLedgerConsistent(f.database);
  });

  it('a won dispute gives back what it took, debt collected included, and owes nothing more', async () => {
    const { userId, purchaseKey } = await purchase(500);
    const job = await holdFor(userId, 300);
    await reverse(purchaseKey, 'dispute:dp_won_held', 500);
    await f.ledger.settle({ holdId: job, capture: 0, actorId: 'worker', reason: 'failed' });
    expect(await topup(userId)).toBe(0);
    const won = await f.ledger.restoreReversal({ reversalKey: 'dispute:dp_won_held', key: 'dispute-won:dp_won_held', actorId: 'stripe', reason: 'won' });
    expect(won).toMatchObject({ ok: true, value: { amount: 500, replayed: false } });
    expect(await topup(userId)).toBe(500);
    await expectLedgerConsistent(f.database);
  });

  it('a dispute won while the credits are still held cancels the debt: they come back to the member', async () => {
    const { userId, purchaseKey } = await purchase(500);
    const job = await holdFor(userId, 500);
    expect(await reverse(purchaseKey, 'dispute:dp_won_early', 500)).toMatchObject({ ok: true, value: { taken: 0, shortfall: 500 } });
    await f.ledger.restoreReversal({ reversalKey: 'dispute:dp_won_early', key: 'dispute-won:dp_won_early', actorId: 'stripe', reason: 'won' });
    await f.ledger.settle({ holdId: job, capture: 0, actorId: 'worker', reason: 'failed' });
    expect(await topup(userId)).toBe(500);
    await expectLedgerConsistent(f.database);
  });

  it('a won dispute leaves a refund of the same payment its claim: what the refund could not take is taken from what comes back', async () => {
    const { userId, purchaseKey } = await purchase(1000);
    expect(await reverse(purchaseKey, 'dispute:dp_then_refund', 1000)).toMatchObject({ ok: true, value: { taken: 1000 } });
    expect(await reverse(purchaseKey, 'refund:ch_after_dispute:300', 300)).toMatchObject({
      ok: true,
      value: { outcome: 'nothing_due', taken: 0, shortfall: 0 },
    });
    await f.ledger.restoreReversal({ reversalKey: 'dispute:dp_then_refund', key: 'dispute-won:dp_then_refund', actorId: 'stripe', reason: 'won' });
    expect(await topup(userId)).toBe(700);
    expect(await reverse(purchaseKey, 'refund:ch_after_dispute:300', 300)).toMatchObject({ ok: true, value: { outcome: 'already', taken: 300 } });
    await expectLedgerConsistent(f.database);
  });

  it('refunds of held credits racing reversals of the purchase take exactly the largest target', async () => {
    const { userId, purchaseKey } = await purchase(1000);
    const jobs = await Promise.all(Array.from({ length: 10 }, () => holdFor(userId, 90)));
    const targets = [300, 950, 600, 950, 120];
    await Promise.all([
      ...targets.map((target, i) => reverse(purchaseKey, `refund:held-race:${i}`, target)),
      ...jobs.map((holdId, i) => f.ledger.settle({ holdId, capture: i % 2 === 0 ? 0 : 90, actorId: 'worker', reason: 'done' })),
    ]);
    // 450 captured (spent), 550 back or never held; 950 to take back: all 550 of them.
    expect(await topup(userId)).toBe(0);
    const replays = await Promise.all(targets.map((target, i) => reverse(purchaseKey, `refund:held-race:${i}`, target)));
    expect(replays.reduce((sum, r) => sum + (r.ok ? r.value.taken : 0), 0)).toBe(550);
    await expectLedgerConsistent(f.database);
  });
});
