import { beforeAll, describe, expect, it } from 'vitest';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { grantMemberAllowances } from '../../../src/use-cases/grant-member-allowances.js';
import { expectLedgerConsistent, mapRoleToTier, uniqueUser, useLedger } from '../../support/ledger-fixture.js';

const guildId = 'guild-allowances';
const roleTiers = new Map([
  ['role-starter', 'starter'],
  ['role-pro', 'pro'],
]);
const f = useLedger();
let card: PriceCard;
beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  for (const tier of ['starter', 'pro']) await mapRoleToTier(f.database, guildId, tier);
});

const grantAt = (userId: string, now: Date, roleIds: string[]) => grantMemberAllowances({ ledger: f.ledger, card, now, userId, guildId, roleIds, roleTiers });

describe('granting what a member is due, lazily (default price card)', () => {
  it('a member without tier roles gets the free daily credits once a day, expiring at UTC midnight', async () => {
    const userId = uniqueUser();
    const now = new Date('2026-11-22T15:00:00Z');
    const first = await grantAt(userId, now, ['some-other-role']);
    expect(first.ok && first.value.tier.name).toBe('none');
    expect(first.ok && first.value.freeGranted).toMatchObject({ amount: 20, expiresAt: new Date('2026-11-23T00:00:00Z') });
    expect(first.ok && first.value.tierGranted).toBeNull();
    const again = await grantAt(userId, new Date('2026-11-22T23:59:59Z'), []);
    expect(again.ok && again.value.freeGranted).toBeNull();
    const nextDay = await grantAt(userId, new Date('2026-11-23T00:00:00Z'), []);
    expect(nextDay.ok && nextDay.value.freeGranted?.amount).toBe(20);
  });

  it('the best of several tier roles decides the allowance, granted once per week', async () => {
    const userId = uniqueUser();
    const now = new Date('2026-11-22T15:00:00Z');
    const first = await grantAt(userId, now, ['role-starter', 'role-pro']);
    expect(first.ok && first.value.tier.name).toBe('pro');
    // 2026-11-22 is a Sunday: the week (Monday 00:00 UTC start) ends at Monday 2026-11-23.
    expect(first.ok && first.value.tierGranted).toMatchObject({ amount: 450, expiresAt: new Date('2026-11-23T00:00:00Z') });
    expect((await grantAt(userId, now, ['role-pro'])).ok).toBe(true);
    expect((await f.ledger.balance(userId, guildId)).buckets.tier.available).toBe(450);
  });

  it('an upgrade mid-week grants the difference, and losing the role keeps what was granted', async () => {
    const userId = uniqueUser();
    const monday = new Date('2026-11-23T10:00:00Z');
    await grantAt(userId, monday, ['role-starter']);
    expect((await f.ledger.balance(userId, guildId)).buckets.tier.available).toBe(200);
    const upgrade = await grantAt(userId, new Date('2026-11-25T10:00:00Z'), ['role-pro']);
    expect(upgrade.ok && upgrade.value.tierGranted?.amount).toBe(250);
    const lost = await grantAt(userId, new Date('2026-11-26T10:00:00Z'), []);
    expect(lost.ok && lost.value.tier.name).toBe('none');
    await f.setClock(new Date('2026-11-26T10:00:00Z'));
    expect((await f.ledger.balance(userId, guildId)).buckets.tier.available).toBe(450);
    await expectLedgerConsistent(f.database);
  });

  it('uses the guild free daily amount when the admin set one, and grants nothing for zero', async () => {
    const userId = uniqueUser();
    const now = new Date('2026-11-22T15:00:00Z');
    const none = await grantMemberAllowances({ ledger: f.ledger, card, now, userId, guildId, roleIds: [], roleTiers, freeDailyCredits: 0 });
    expect(none.ok && none.value.freeGranted).toBeNull();
    const other = await grantMemberAllowances({ ledger: f.ledger, card, now, userId, guildId: 'guild-generous', roleIds: [], roleTiers, freeDailyCredits: 15 });
    expect(other.ok && other.value.freeGranted?.amount).toBe(15);
  });
});
