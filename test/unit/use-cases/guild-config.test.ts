// /admin config: a change is validated, then written with its audit row; free credits above the
// operator's ceiling are refused before anything is written.
import { describe, expect, it } from 'vitest';
import { changeGuildConfig } from '../../../src/use-cases/change-guild-config.js';
import { showGuildConfig } from '../../../src/use-cases/show-guild-config.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const policy = { ownerIds: [], guildAdminsMayGrant: false, guildAdminDailyCap: 0, guildAdminTiers: 'all' as const, freeDailyMax: 100 };

describe('changeGuildConfig', () => {
  it('writes the change with who, old → new and why, and answers with both and the defaults', async () => {
    const bot = fakeBot(card, { grantPolicy: policy, operatorBannedWords: ['a', 'b'] });
    const sut = await changeGuildConfig(bot.deps, { guildId: 'g1', actorId: 'admin', change: { kind: 'free-daily', amount: 50 }, reason: 'generous' });
    expect(sut).toMatchObject({
      ok: true,
      value: { before: { freeDailyCredits: null }, after: { freeDailyCredits: 50 }, defaults: { freeDailyCredits: 20, operatorWordCount: 2 } },
    });
    expect(bot.guildSettings.audit).toEqual([
      { guildId: 'g1', actorId: 'admin', action: 'config.set', subject: 'freeDailyCredits', details: { from: null, to: 50 }, reason: 'generous' },
    ]);
  });

  it('refuses free credits above the operator’s ceiling, and a value the domain refuses, writing nothing', async () => {
    const bot = fakeBot(card, { grantPolicy: policy });
    expect(await changeGuildConfig(bot.deps, { guildId: 'g1', actorId: 'admin', change: { kind: 'free-daily', amount: 101 } })).toEqual({
      ok: false,
      error: { code: 'over_free_daily_ceiling', ceiling: 100 },
    });
    expect(await changeGuildConfig(bot.deps, { guildId: 'g1', actorId: 'admin', change: { kind: 'job-limit', count: 0 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_config_change' },
    });
    expect(bot.guildSettings.audit).toEqual([]);
    expect((await showGuildConfig(bot.deps, { guildId: 'g1' })).config).toMatchObject({ freeDailyCredits: null, maxRunningJobsPerMember: null });
  });
});
