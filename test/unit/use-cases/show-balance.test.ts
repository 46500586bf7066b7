// /balance: the member's own credits after what they are due today; an admin may look at
// another member's, read only.
import { describe, expect, it } from 'vitest';
import { defaultGuildConfig } from '../../../src/domain/guild-config.js';
import { showBalance } from '../../../src/use-cases/show-balance.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const asker = { userId: 'u1', guildId: 'g1', roleIds: ['r-pro'], askerIsAdmin: false };

describe('showBalance', () => {
  it('grants today’s free credits (the guild’s amount) and the tier’s allowance first, and prices one image at the tier’s default', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.map('g1', 'r-pro', 'pro');
    bot.guildSettings.configs.set('g1', { ...defaultGuildConfig('g1'), freeDailyCredits: 5 });
    const sut = await showBalance(bot.deps, asker);
    if (sut.kind !== 'own') throw new Error(sut.kind);
    expect(sut.balance.available).toBe(105);
    expect(sut.tier?.name).toBe('pro');
    expect(sut.unitPrice).toBe(2);
    expect(sut.creditsPerDollar).toBe(100);
  });

  it('shows a server admin another member’s credits without granting them anything', async () => {
    const bot = fakeBot(card);
    bot.wallets.set('u2', 'g1', 30);
    expect(await showBalance(bot.deps, { ...asker, otherUserId: 'u2', askerIsAdmin: true })).toMatchObject({ kind: 'other', balance: { available: 30 } });
    expect(bot.ledger.grants).toEqual([]);
  });

  it('refuses another member’s credits to a member who is not an admin; asking for oneself is one’s own balance', async () => {
    const bot = fakeBot(card);
    expect(await showBalance(bot.deps, { ...asker, otherUserId: 'u2' })).toEqual({ kind: 'not_admin' });
    expect((await showBalance(bot.deps, { ...asker, otherUserId: 'u1' })).kind).toBe('own');
  });
});
