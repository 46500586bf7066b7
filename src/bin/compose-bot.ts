// Wires the bot process: the discord.js gateway client and its interaction handlers on the
// ledger, job store and queue. Requires DISCORD_TOKEN.
import { randomInt } from 'node:crypto';
import { createDatabase } from '../db/client.js';
import { createPgGuildSettingsStore } from '../db/guild-settings-store.js';
import { createPgJobStore } from '../db/job-store.js';
import { createBot } from '../discord/bot.js';
import { createSqlLedger } from '../ledger/sql-ledger.js';
import { createBullGenerationQueue } from '../queue/bullmq-generation-queue.js';
import { createRedisConnection } from '../queue/redis-connection.js';
import type { Logger } from '../shared/logger.js';
import type { Preflight } from './preflight.js';

export async function composeBot({ config, priceCard }: Preflight, log: Logger, token: string): Promise<{ stop(): Promise<void> }> {
  const db = createDatabase(config.database);
  const queue = createBullGenerationQueue({
    connection: createRedisConnection(config.redis.url, (error) => log.warn({ err: error.message }, 'redis connection problem; retrying')),
    prefix: config.redis.queuePrefix,
  });
  const bot = createBot({
    token,
    ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}),
    deps: {
      ledger: createSqlLedger(db.pool), jobs: createPgJobStore(db.pool), queue, guildSettings: createPgGuildSettingsStore(db.pool),
      card: priceCard, log, now: () => new Date(), randomSeed: () => randomInt(0, 2 ** 32 - 1),
    },
  });
  await bot.start();
  log.info({ user: bot.client.user?.tag, guilds: bot.client.guilds.cache.size }, 'bot connected to Discord');
  return {
    async stop() {
      await bot.stop();
      await queue.close();
      await db.close();
    },
  };
}
