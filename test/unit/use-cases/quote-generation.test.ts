// The one quote set-up of /imagine, /batch and the result buttons: it reads the member's
// /settings, the guild's role tiers and config itself, refuses before any credit moves, and
// stores what the guild decided with the quote.
import { describe, expect, it } from 'vitest';
import { defaultGuildConfig } from '../../../src/domain/guild-config.js';
import { quoteGeneration } from '../../../src/use-cases/quote-generation.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const member = { userId: 'u1', guildId: 'g1', channelId: 'c-art', roleIds: [] as string[] };

describe('quoteGeneration', () => {
  it('prices at the tier of the member’s roles with their /settings default model, and stores the quote', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.map('g1', 'r-starter', 'starter');
    await bot.memberSettings.update('u1', 'g1', { defaultModel: 'sdxl' });
    const sut = await quoteGeneration(bot.deps, { member: { ...member, roleIds: ['r-starter'] }, request: { prompt: 'a lighthouse' } });
    if (!sut.ok) throw new Error(sut.error.code);
    expect(sut.value.quote).toMatchObject({ model: 'sdxl', tier: 'starter' });
    expect(sut.value.memberSettings.defaultModel).toBe('sdxl');
    const stored = bot.jobStore.quotes.get(sut.value.quoteId);
    expect(stored).toMatchObject({ userId: 'u1', guildId: 'g1', channelId: 'c-art', tierName: 'starter', price: sut.value.quote.total });
    expect(stored?.expiresAt).toEqual(new Date(bot.deps.now().getTime() + 10 * 60_000));
  });

  it('shows the balance after today’s free credits and the tier’s allowance, granted once', async () => {
    const bot = fakeBot(card);
    const first = await quoteGeneration(bot.deps, { member, request: { prompt: 'a lighthouse' } });
    const second = await quoteGeneration(bot.deps, { member, request: { prompt: 'a lighthouse' } });
    expect(first.ok && second.ok && [first.value.available, second.value.available]).toEqual([120, 120]);
    expect(bot.ledger.grants).toHaveLength(2);
  });

  it('refuses a channel the guild does not allow before any credit moves, and stores no quote', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.configs.set('g1', { ...defaultGuildConfig('g1'), allowedChannelIds: ['c-gallery'] });
    const sut = await quoteGeneration(bot.deps, { member, request: { prompt: 'a lighthouse' } });
    expect(sut).toEqual({ ok: false, error: { code: 'channel_not_allowed', allowedChannelIds: ['c-gallery'] } });
    expect(bot.ledger.grants).toEqual([]);
    expect(bot.jobStore.quotes.size).toBe(0);
  });

  it('allows a thread under an allowed channel', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.configs.set('g1', { ...defaultGuildConfig('g1'), allowedChannelIds: ['c-gallery'] });
    const sut = await quoteGeneration(bot.deps, {
      member: { ...member, channelId: 'thread-1', parentChannelId: 'c-gallery' },
      request: { prompt: 'a lighthouse' },
    });
    expect(sut.ok).toBe(true);
  });

  it('refuses a prompt with the operator’s or the guild’s banned words, granting nothing', async () => {
    const bot = fakeBot(card, { operatorBannedWords: ['dragon'] });
    bot.guildSettings.configs.set('g1', { ...defaultGuildConfig('g1'), bannedWords: ['kraken'] });
    for (const prompt of ['a red dragon', 'a kraken at sea']) {
      const sut = await quoteGeneration(bot.deps, { member, request: { prompt } });
      expect(sut.ok ? 'quoted' : sut.error.code).toBe('moderated');
    }
    expect(bot.ledger.grants).toEqual([]);
    expect(bot.jobStore.quotes.size).toBe(0);
  });

  it('refuses a model above the member’s tier, naming the tier that unlocks it', async () => {
    const bot = fakeBot(card);
    const sut = await quoteGeneration(bot.deps, { member, request: { prompt: 'a lighthouse', model: 'dev' } });
    if (sut.ok || sut.error.code !== 'rejected') throw new Error('expected a rejection');
    expect(sut.error.rejection.message).toMatch(/Pro/);
  });

  it('stores the guild’s job settings with the quote: spoilers, NSFW in an age-restricted channel, the running-job limit', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.configs.set('g1', { ...defaultGuildConfig('g1'), spoilerResults: true, nsfw: 'age-restricted-channels', maxRunningJobsPerMember: 2 });
    const sut = await quoteGeneration(bot.deps, { member: { ...member, channelAgeRestricted: true }, request: { prompt: 'a lighthouse', seed: 7 } });
    if (!sut.ok) throw new Error(sut.error.code);
    expect(bot.jobStore.quotes.get(sut.value.quoteId)?.request).toMatchObject({ spoiler: true, allowNsfw: true, maxRunningJobsPerMember: 2, seed: 7 });
  });
});
