// Wires the bot process: the discord.js gateway client and its interaction handlers on the
// ledger, job store and queue. Requires DISCORD_TOKEN.
import { createSpendingLimitsStore } from '../db/spending-limits-store.js';
import { randomInt } from 'node:crypto';
import { createPgAdminStatsReader } from '../db/admin-stats-store.js';
import { cacheGuildSettings } from '../db/cached-guild-settings.js';
import { cacheMemberSettings } from '../db/cached-member-settings.js';
import { createDatabase } from '../db/client.js';
import { createPgGuildSettingsStore } from '../db/guild-settings-store.js';
import { createPgJobStore, rehearseQuoteInsert } from '../db/job-store.js';
import { warmUpPool, warmUpPrisma } from '../db/warm-up.js';
import { createPgMemberSettingsStore, rehearseMemberSettingsRead } from '../db/member-settings-store.js';
import { createPgLedgerHistoryReader } from '../db/ledger-history-reader.js';
import { createPgUsageReader } from '../db/usage-reader.js';
import { createBot } from '../discord/bot.js';
import { applyServerAdminPolicy } from '../use-cases/apply-server-admin-policy.js';
import { startBudgetAlertDelivery } from '../use-cases/deliver-budget-alerts.js';
import { createBudgetAlertOutbox } from '../db/budget-alert-outbox.js';
import { startQueuePlaceRefresher } from '../use-cases/refresh-queue-places.js';
import { createSqlTierSubscriptions } from '../ledger/sql-tier-subscriptions.js';
import { createSqlAdminCredits } from '../ledger/sql-admin-credits.js';
import { createSqlLedger, rehearseAllowancesCall } from '../ledger/sql-ledger.js';
import { createBullGenerationQueue } from '../queue/bullmq-generation-queue.js';
import { createRedisConnection } from '../queue/redis-connection.js';
import { Status } from 'discord.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../shared/logger.js';
import { allowancePolicyFor } from '../domain/admin/grant-policy.js';
import { createSqlJobCredits } from '../ledger/sql-job-credits.js';
import type { ProcessPart } from './compose-worker.js';
import type { Preflight } from './preflight.js';
import { composeStripe } from './compose-stripe.js';
import type { Checkout } from '../use-cases/ports/checkout.js';

export interface BotOptions {
  /** Card checkouts made somewhere other than Stripe: the playground's simulated checkout pages. */
  readonly checkout?: Checkout;
}

export async function composeBot(
  { config, priceCard }: Preflight,
  log: Logger,
  token: string,
  metrics: Metrics,
  options: BotOptions = {},
): Promise<ProcessPart> {
  const db = createDatabase(config.database);
  const queue = createBullGenerationQueue({
    connection: createRedisConnection(config.redis.url, (error) => log.warn({ err: error.message }, 'redis connection problem; retrying')),
    prefix: config.redis.queuePrefix,
  });
  // The ledger is stateless (its SQL functions hold the rules), so the webhook may have its own.
  const stripe = await composeStripe(config, {
    ledger: createSqlLedger(db.pool),
    pool: db.pool,
    card: priceCard,
    token,
    log,
    ...(options.checkout ? { checkout: options.checkout } : {}),
  });
  const jobs = createPgJobStore(db);
  const grantPolicy = { ownerIds: config.discord.ownerIds, ...config.adminGrants };
  const bot = createBot({
    token,
    onInteractionAcknowledged: (kind, seconds) => metrics.interactionAckSeconds.observe({ kind }, seconds),
    onInteractionHandled: (kind, seconds) => metrics.interactionSeconds.observe({ kind }, seconds),
    ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}),
    ...(config.discord.devGuildId ? { devGuildId: config.discord.devGuildId } : {}),
    deps: {
      ledger: createSqlLedger(db.pool, { allowancePolicy: allowancePolicyFor(grantPolicy, priceCard) }),
      tierSubscriptions: createSqlTierSubscriptions(db.pool),
      jobs,
      jobCredits: createSqlJobCredits(db.pool),
      queue,
      guildSettings: applyServerAdminPolicy(cacheGuildSettings(createPgGuildSettingsStore(db.prisma), { log }), grantPolicy, priceCard),
      memberSettings: cacheMemberSettings(createPgMemberSettingsStore(db.prisma)),
      spendingLimits: createSpendingLimitsStore(db.prisma),
      adminCredits: createSqlAdminCredits(db.pool),
      adminStats: createPgAdminStatsReader(db),
      grantPolicy,
      history: createPgLedgerHistoryReader(db.pool),
      usage: createPgUsageReader(db.pool),
      card: priceCard,
      log,
      now: () => new Date(),
      randomSeed: () => randomInt(0, 2 ** 32 - 1),
      ...(stripe ? { checkout: stripe.checkout, cardPlans: stripe.cardPlans } : {}),
      operatorBannedWords: config.moderation.bannedWords,
      grantTestPurchases: config.discord.grantTestPurchases,
      guildOwnersMaySetBudget: config.adminGrants.guildOwnersMaySetBudget,
    },
  });
  const poolWarmUpFailure = await warmUpPool(db.pool, config.database.poolSize, [rehearseMemberSettingsRead, rehearseAllowancesCall, rehearseQuoteInsert]);
  const warmUpFailure = (await warmUpPrisma(db.prisma)) ?? poolWarmUpFailure;
  if (warmUpFailure) log.warn({ err: warmUpFailure.message }, 'warming the database connections failed; the first interactions will be slower');
  await bot.start();
  const stopQueuePlaces = startQueuePlaceRefresher({ jobMessages: bot.jobMessages, jobs, log });
  const stopBudgetAlerts = startBudgetAlertDelivery({
    outbox: createBudgetAlertOutbox(db.pool),
    notifier: bot.budgetAlertNotifier,
    spendingLimits: createSpendingLimitsStore(db.prisma),
    log,
  });
  log.info({ user: bot.client.user?.tag, guilds: bot.client.guilds.cache.size }, 'bot connected to Discord');
  return {
    ...(stripe ? { publicRoutes: stripe.routes } : {}),
    checks: {
      postgres: () => db.pool.query('SELECT 1'),
      discord: async () => {
        if (bot.client.ws.status !== Status.Ready) throw new Error(`gateway ${Status[bot.client.ws.status] ?? bot.client.ws.status}`);
      },
    },
    async stop() {
      await stopQueuePlaces();
      await stopBudgetAlerts();
      await bot.stop();
      await queue.close();
      await db.close();
    },
  };
}
