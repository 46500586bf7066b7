// The bot's dependencies for a test: every store on the test file's database, the price card
// the test chose, a silent logger. New ports get one line here, not one in every test file.
import { randomInt } from 'node:crypto';
import { createPgAdminStatsReader } from '../../src/db/admin-stats-store.js';
import { createPgAuditLog } from '../../src/db/audit-log.js';
import { createPgGuildSettingsStore } from '../../src/db/guild-settings-store.js';
import { createPgMemberSettingsStore } from '../../src/db/member-settings-store.js';
import { createPgLedgerHistoryReader } from '../../src/db/ledger-history-reader.js';
import { createPgUsageReader } from '../../src/db/usage-reader.js';
import type { BotDeps } from '../../src/discord/bot-deps.js';
import { noGrants } from '../../src/domain/admin/grant-policy.js';
import { createSqlAdminCredits } from '../../src/ledger/sql-admin-credits.js';
import { createBot } from '../../src/discord/bot.js';
import type { PriceCard } from '../../src/domain/pricing/price-card-schema.js';
import { createLogger } from '../../src/shared/logger.js';
import type { FakeDiscord } from '../fakes/fake-discord/fake-discord.js';
import type { PipelineFixture } from './pipeline-fixture.js';

export function testBotDeps(f: PipelineFixture, card: PriceCard, overrides: Partial<BotDeps> = {}): BotDeps {
  return {
    ledger: f.ledger, jobs: f.jobs, queue: f.queue,
    guildSettings: createPgGuildSettingsStore(f.database.db.pool),
    audit: createPgAuditLog(f.database.db.pool),
    memberSettings: createPgMemberSettingsStore(f.database.db.pool),
    adminCredits: createSqlAdminCredits(f.database.db.pool), adminStats: createPgAdminStatsReader(f.database.db.pool), grantPolicy: noGrants,
    history: createPgLedgerHistoryReader(f.database.db.pool), usage: createPgUsageReader(f.database.db.pool),
    card, log: createLogger('silent'), now: () => new Date(), randomSeed: () => randomInt(0, 2 ** 31),
    ...overrides,
  };
}

/** A bot logged in to the fake Discord with `testBotDeps`; call `stop()` in afterAll. */
export async function startTestBot(f: PipelineFixture, fake: FakeDiscord, card: PriceCard, overrides: Partial<BotDeps> = {}) {
  const bot = createBot({ token: fake.token, apiUrl: fake.apiUrl, deps: testBotDeps(f, card, overrides) });
  await bot.start();
  return bot;
}
