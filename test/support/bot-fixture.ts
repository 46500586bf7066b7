// The bot's ports for a test: every store on the test file's database, the price card
// the test chose, a silent logger. New ports get one line here, not one in every test file.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createPgAdminStatsReader } from '../../src/db/admin-stats-store.js';
import { createPgGuildSettingsStore } from '../../src/db/guild-settings-store.js';
import { createPgMemberSettingsStore } from '../../src/db/member-settings-store.js';
import { createPgLedgerHistoryReader } from '../../src/db/ledger-history-reader.js';
import { createSpendingLimitsStore } from '../../src/db/spending-limits-store.js';
import { createPgUsageReader } from '../../src/db/usage-reader.js';
import { createSqlAdminCredits } from '../../src/ledger/sql-admin-credits.js';
import { createSqlTierSubscriptions } from '../../src/ledger/sql-tier-subscriptions.js';
import { createBot } from '../../src/discord/bot.js';
import type { PriceCard } from '../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../src/pricing/load-price-card.js';
import { createLogger } from '../../src/shared/logger.js';
import type { BotPorts } from '../../src/use-cases/bot-use-cases.js';
import { FakeDiscord, type FakeDiscordOptions } from '../../src/playground/local-discord/fake-discord.js';
import { createTestLedger, testGrantPolicy } from './ledger-fixture.js';
import type { PipelineFixture } from './pipeline-fixture.js';

export function testBotDeps(f: PipelineFixture, card: PriceCard, overrides: Partial<BotPorts> = {}): BotPorts {
  const grantPolicy = overrides.grantPolicy ?? testGrantPolicy;
  return {
    // As in production: the bot's ledger checks allowances against its policy and card.
    ledger: createTestLedger(f.database, card, grantPolicy),
    tierSubscriptions: createSqlTierSubscriptions(f.database.db.pool),
    jobs: f.jobs,
    jobCredits: f.credits,
    queue: f.queue,
    guildSettings: createPgGuildSettingsStore(f.database.db.prisma),
    memberSettings: createPgMemberSettingsStore(f.database.db.prisma),
    spendingLimits: createSpendingLimitsStore(f.database.db.prisma),
    adminCredits: createSqlAdminCredits(f.database.db.pool),
    adminStats: createPgAdminStatsReader(f.database.db),
    grantPolicy,
    history: createPgLedgerHistoryReader(f.database.db.pool),
    usage: createPgUsageReader(f.database.db.pool),
    card,
    log: createLogger(process.env['TEST_BOT_LOG'] === '1' ? 'debug' : 'silent'),
    now: () => new Date(),
    randomSeed: () => randomInt(0, 2 ** 31),
    ...overrides,
  };
}

/** A bot logged in to the fake Discord with `testBotDeps`; call `stop()` in afterAll. */
export async function startTestBot(f: PipelineFixture, fake: FakeDiscord, card: PriceCard, overrides: Partial<BotPorts> = {}) {
  const bot = createBot({ token: fake.token, apiUrl: fake.apiUrl, deps: testBotDeps(f, card, overrides) });
  await bot.start();
  return bot;
}

export interface TestGuild {
  readonly guildId: string;
  readonly guildName: string;
  readonly channelId: string;
  /** A role the guild maps to the card's `starter` tier; none when absent. */
  readonly starterRoleId?: string;
  /** More roles mapped to tiers: role id → tier name on the card. */
  readonly tierRoles?: Readonly<Record<string, string>>;
}

/**
 * For one test file: a fake Discord with one guild (a text channel, and a Starter role mapped to
 * the starter tier when asked for) and a bot on the default price card logged in to it. Its
 * fields are set before the file's tests run.
 */
export function useGuildBot(f: PipelineFixture, guild: TestGuild, fakeOptions: FakeDiscordOptions = {}, botOverrides: Partial<BotPorts> = {}) {
  const env = {} as { fake: FakeDiscord; bot: Awaited<ReturnType<typeof startTestBot>>; card: PriceCard };
  const tierRoles: Record<string, string> = { ...(guild.starterRoleId ? { [guild.starterRoleId]: 'starter' } : {}), ...guild.tierRoles };
  beforeAll(async () => {
    env.card = await loadPriceCardOrThrow();
    env.fake = await FakeDiscord.start(fakeOptions);
    env.fake.addGuild({
      id: guild.guildId,
      name: guild.guildName,
      channels: [{ id: guild.channelId, name: 'art', type: 0 }],
      roles: Object.entries(tierRoles).map(([id, tier]) => ({ id, name: tier.charAt(0).toUpperCase() + tier.slice(1), permissions: '0' })),
    });
    for (const [roleId, tier] of Object.entries(tierRoles))
      await createPgGuildSettingsStore(f.database.db.prisma).setRoleTier(guild.guildId, roleId, tier, 'test-admin');
    env.bot = await startTestBot(f, env.fake, env.card, botOverrides);
  });
  afterAll(async () => {
    await env.bot?.stop();
    await env.fake?.close();
  });
  return env;
}
