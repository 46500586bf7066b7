// Sold plans in the ledger (issue 15): each paid period is granted exactly once, to the right
// members, whichever path gets there first; overlapping sources never double a period; a refund
// takes back what the period left unspent; and nothing here is reachable by a server admin.
import { beforeAll, describe, expect, it } from 'vitest';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { createSqlTierSubscriptions } from '../../../src/ledger/sql-tier-subscriptions.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import type { Ledger } from '../../../src/use-cases/ports/ledger.js';
import type { SubscriptionRecord, TierSubscriptions } from '../../../src/use-cases/ports/tier-subscriptions.js';
import { createTestLedger, expectLedgerConsistent, mapRoleToTier, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const f = useLedger();
let card: PriceCard;
let ledger: Ledger;
let subscriptions: TierSubscriptions;
beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  ledger = createTestLedger(f.database, card);
  subscriptions = createSqlTierSubscriptions(f.database.db.pool);
});

const day = 86_400_000;
const at = (iso: string) => new Date(iso);
/** A weekly Pro plan bought on 2026-11-20 09:00 (the ledger's clock stands at 2026-11-22 12:00). */
const bought = at('2026-11-20T09:00:00Z');
const weekAfter = (start: Date, weeks = 1) => new Date(start.getTime() + 7 * day * weeks);

function plan(userId: string, overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    source: 'discord',
    externalId: `sub-${userId}`,
    userId,
    guildId: null,
    tierName: 'pro',
    renewalTierName: null,
    interval: 'week',
    periodStart: bought,
    periodEnd: weekAfter(bought),
    status: 'active',
    ...overrides,
  };
}

async function paid(subscription: SubscriptionRecord, start = subscription.periodStart, credits = 450, tierName = subscription.tierName) {
  const { stored } = await subscriptions.record({ ...subscription, periodStart: start, periodEnd: weekAfter(start), tierName });
  return subscriptions.recordPaidPeriod(stored.id, {
    reference: `${stored.id}:${start.toISOString()}:${tierName}`,
    tierName,
    credits,
    periodStart: start,
    periodEnd: weekAfter(start),
    expiresAt: weekAfter(start),
  });
}

async function allowances(userId: string, guildId: string, roleTier?: [string, number]) {
  const granted = await ledger.grantAllowances({
    userId,
    guildId,
    ...(roleTier
      ? {
          tier: {
            periodKey: 'weekly:2026-W47',
            periodStart: at('2026-11-16T00:00:00Z'),
            periodEnd: at('2026-11-23T00:00:00Z'),
            expiresAt: at('2026-11-23T00:00:00Z'),
            tierName: roleTier[0],
            allowance: roleTier[1],
          },
        }
      : {}),
  });
  if (!granted.ok) throw new Error(JSON.stringify(granted.error));
  return granted.value;
}

describe('a user-level plan', () => {
  it('grants its paid period to the buyer once, in every server, expiring at the renewal', async () => {
    const userId = uniqueUser();
    const first = await paid(plan(userId));
    expect(first).toMatchObject({ created: true, granted: 450 });
    const replay = await paid(plan(userId));
    expect(replay).toMatchObject({ created: false, granted: 0 });

    for (const guildId of ['guild-a', 'guild-b']) {
      const seen = await allowances(userId, guildId);
      expect(seen.subscriptionCredits).toBe(0);
      expect(seen.balance.buckets.tier).toEqual({ available: 450, nextExpiry: weekAfter(bought) });
      expect(seen.subscriptions).toEqual([
        expect.objectContaining({ source: 'discord', scope: 'user', tierName: 'pro', periodEnd: weekAfter(bought), status: 'active' }),
      ]);
    }
    await expectLedgerConsistent(f.database);
  });

  it('grants each renewal once: three paid periods, three grants, each its own week', async () => {
    const userId = uniqueUser();
    const subscription = plan(userId);
    for (let week = 0; week < 3; week++) {
      expect((await paid(subscription, weekAfter(bought, week))).granted).toBe(450);
      expect((await paid(subscription, weekAfter(bought, week))).granted).toBe(0);
    }
    const { rows } = await f.database.sql.query<{ amount: number; expires_at: Date }>(
      `SELECT amount, expires_at FROM credit_lot WHERE user_id = $1 AND kind = 'tier' ORDER BY expires_at`,
      [userId],
    );
    expect(rows).toEqual([0, 1, 2].map((week) => ({ amount: 450, expires_at: weekAfter(bought, week + 1) })));
    await expectLedgerConsistent(f.database);
  });

  it('never doubles a period with a role of the same tier: the role adds only what the plan lacks', async () => {
    const userId = uniqueUser();
    await mapRoleToTier(f.database, 'guild-role-and-plan', 'pro');
    await mapRoleToTier(f.database, 'guild-role-and-plan', 'ultra');
    await paid(plan(userId));
    const same = await allowances(userId, 'guild-role-and-plan', ['pro', 450]);
    expect(same.tier).toBeNull();
    expect(same.balance.available).toBe(450);
    // A better role tops up to its own allowance over the overlapping plan week.
    const better = await allowances(userId, 'guild-role-and-plan', ['ultra', 1000]);
    expect(better.tier?.amount).toBe(550);
    expect(better.balance.available).toBe(1000);
    await expectLedgerConsistent(f.database);
  });

  it('the same payment event handled by eight processes at once, beside the member using the bot, grants the period once', async () => {
    const userId = uniqueUser();
    const subscription = plan(userId);
    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => paid(subscription)),
      ...Array.from({ length: 4 }, () => allowances(userId, 'guild-race')),
    ]);
    const granted = results.reduce((sum, result) => sum + ('granted' in result ? result.granted : result.subscriptionCredits), 0);
    expect(granted).toBe(450);
    expect((await ledger.balance(userId, 'guild-race')).buckets.tier.available).toBe(450);
    await expectLedgerConsistent(f.database);
  });

  it('eight concurrent descriptions of one new subscription are all recorded, as one row (its two events arrive together)', async () => {
    const userId = uniqueUser();
    const recorded = await Promise.all(Array.from({ length: 8 }, () => subscriptions.record(plan(userId))));
    expect(new Set(recorded.map((r) => r.stored.id)).size).toBe(1);
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM tier_subscription WHERE user_id = $1`, [userId]);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('an upgrade mid-period grants the difference at once; the same upgrade replayed grants nothing', async () => {
    const userId = uniqueUser();
    const subscription = plan(userId);
    await paid(subscription);
    expect((await paid(subscription, bought, 1000, 'ultra')).granted).toBe(550);
    expect((await paid(subscription, bought, 1000, 'ultra')).granted).toBe(0);
    expect((await allowances(userId, 'guild-upgrade')).balance.buckets.tier.available).toBe(1000);
  });

  it('a refund ends the tier now and takes back what is unspent of the period, once; spent credits stay spent', async () => {
    const userId = uniqueUser();
    const subscription = plan(userId);
    await paid(subscription);
    const held = await ledger.hold({ key: `spend-${userId}`, userId, guildId: 'guild-refund', amount: 100, actorId: userId, reason: 'a job' });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    await ledger.settle({ holdId: held.value.holdId, capture: 100, actorId: 'system', reason: 'delivered' });
    const stored = await subscriptions.find('discord', subscription.externalId);
    const ended = await subscriptions.end({
      subscriptionId: stored!.id,
      endsAt: f.clock.now,
      reason: 'refunded',
      takeBackFraction: 1,
      key: `refund:${userId}`,
    });
    expect(ended).toEqual({ outcome: 'ended', taken: 350, shortfall: 100 });
    const again = await subscriptions.end({
      subscriptionId: stored!.id,
      endsAt: f.clock.now,
      reason: 'refunded',
      takeBackFraction: 1,
      key: `refund:${userId}`,
    });
    expect(again.outcome).toBe('already');
    expect(again.taken).toBe(0);

    const after = await allowances(userId, 'guild-refund');
    expect(after.balance.available).toBe(0);
    expect(after.subscriptions).toEqual([]);
    // The revoked period is never granted again, by a replayed payment event or anything else.
    expect((await paid(subscription)).granted).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('credits a running job holds are taken back when the job gives them back', async () => {
    const userId = uniqueUser();
    const subscription = plan(userId);
    await paid(subscription);
    const held = await ledger.hold({ key: `running-${userId}`, userId, guildId: 'guild-held', amount: 200, actorId: userId, reason: 'a job' });
    if (!held.ok) throw new Error('hold failed');
    const stored = await subscriptions.find('discord', subscription.externalId);
    expect(
      await subscriptions.end({ subscriptionId: stored!.id, endsAt: f.clock.now, reason: 'refunded', takeBackFraction: 1, key: `refund:${userId}` }),
    ).toEqual({
      outcome: 'ended',
      taken: 250,
      shortfall: 200,
    });
    await ledger.settle({ holdId: held.value.holdId, capture: 0, actorId: 'system', reason: 'failed' });
    expect((await ledger.balance(userId, 'guild-held')).available).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it("a server admin's revoke never reaches a member's plan credits (they serve every server)", async () => {
    const userId = uniqueUser();
    await paid(plan(userId));
    const revoked = await ledger.revoke({
      key: `admin-revoke-${userId}`,
      userId,
      guildId: 'guild-hostile',
      amount: 100,
      kinds: ['tier', 'free', 'grant'],
      actorId: 'hostile-admin',
      reason: 'mine now',
    });
    expect(revoked.ok).toBe(false);
    expect((await ledger.balance(userId, 'guild-other')).available).toBe(450);
  });
});

describe('a guild plan', () => {
  it('gives every member of that server the period, once each, when they next use the bot there — and no one elsewhere', async () => {
    const buyer = uniqueUser('owner');
    const { stored } = await subscriptions.record(plan(buyer, { externalId: `guild-sub-${buyer}`, guildId: 'guild-subscribed' }));
    const period = await subscriptions.recordPaidPeriod(stored.id, {
      reference: `${stored.id}:p1`,
      tierName: 'pro',
      credits: 450,
      periodStart: bought,
      periodEnd: weekAfter(bought),
      expiresAt: weekAfter(bought),
    });
    expect(period.granted).toBe(0);
    const members = [buyer, uniqueUser(), uniqueUser()];
    for (const member of members) {
      const first = await allowances(member, 'guild-subscribed');
      expect(first.subscriptionCredits).toBe(450);
      expect(first.subscriptions).toEqual([expect.objectContaining({ scope: 'guild', tierName: 'pro' })]);
      expect((await allowances(member, 'guild-subscribed')).subscriptionCredits).toBe(0);
      const elsewhere = await allowances(member, 'guild-elsewhere');
      expect(elsewhere.balance.available).toBe(0);
      expect(elsewhere.subscriptions).toEqual([]);
    }
    // Concurrent first uses by one member still grant once.
    const late = uniqueUser();
    const racing = await Promise.all(Array.from({ length: 8 }, () => allowances(late, 'guild-subscribed')));
    expect(racing.reduce((sum, granted) => sum + granted.subscriptionCredits, 0)).toBe(450);
    await expectLedgerConsistent(f.database);
  });
});

describe('a guild plan and a role in the same server', () => {
  it('never double a period: the role adds only what the plan lacks', async () => {
    const userId = uniqueUser();
    await mapRoleToTier(f.database, 'guild-plan-and-role', 'pro');
    const { stored } = await subscriptions.record(plan(uniqueUser('owner'), { externalId: `guild-plan-role-${userId}`, guildId: 'guild-plan-and-role' }));
    await subscriptions.recordPaidPeriod(stored.id, {
      reference: `${stored.id}:p1`,
      tierName: 'pro',
      credits: 450,
      periodStart: bought,
      periodEnd: weekAfter(bought),
      expiresAt: weekAfter(bought),
    });
    const seen = await allowances(userId, 'guild-plan-and-role', ['pro', 450]);
    expect(seen.subscriptionCredits).toBe(450);
    expect(seen.tier).toBeNull();
    expect(seen.balance.buckets.tier.available).toBe(450);
  });
});

describe('the welcome grant', () => {
  it('gives each member the card’s welcome credits once, in whichever server they come first, never expiring', async () => {
    const welcoming = createTestLedger(f.database, card, undefined, { welcome: true });
    const userId = uniqueUser();
    const grants = await Promise.all(['guild-w1', 'guild-w2', 'guild-w1'].map((guildId) => welcoming.grantAllowances({ userId, guildId })));
    expect(grants.map((g) => (g.ok ? g.value.welcome : -1)).sort()).toEqual([0, 0, card.welcomeCredits]);
    const balance = await welcoming.balance(userId, 'guild-w3');
    expect(balance.buckets.free).toEqual({ available: card.welcomeCredits, nextExpiry: null });
    await expectLedgerConsistent(f.database);
  });
});
