// /estimate counts the free credits this guild gives, not the card's.
import { describe, expect, it } from 'vitest';
import { defaultGuildConfig } from '../../../src/domain/guild-config.js';
import { estimatePlan } from '../../../src/use-cases/estimate-plan.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();

describe('estimatePlan', () => {
  it('counts the guild’s free daily credits, and the card’s where the guild set none', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.configs.set('generous', { ...defaultGuildConfig('generous'), freeDailyCredits: 50 });
    const plan = (guildId: string) => estimatePlan(bot.deps, { guildId, imagesPerDay: 40, days: 10 });
    const [plain, generous] = [await plan('plain'), await plan('generous')];
    expect(plain.ok && plain.value.freeCredits).toBe(20 * 10);
    expect(generous.ok && generous.value.freeCredits).toBe(50 * 10);
    expect(generous.ok && generous.value.creditsPerDollar).toBe(100);
  });
});
