// Checks every entry point runs before it starts work, so a misconfigured start fails at once
// with one line naming the problem rather than later, mid-interaction.
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { describeDatabaseError, redactUrl } from '../db/describe-error.js';
import { applyMigrations, ensureDatabaseExists, pendingMigrations } from '../db/migrations.js';
import { playgroundStorageConfig, playgroundWanted } from '../playground/playground-config.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../pricing/load-price-card.js';
import { errorMessage } from '../shared/error-message.js';

export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}

export interface Preflight {
  readonly config: Config;
  readonly priceCard: PriceCard;
  /** The process runs the playground: `config` already points at its own database and queue keys. */
  readonly playground?: true;
}

export interface PreflightOptions {
  /** This entry point may open the playground (only `npm start`), when the configuration asks for it. */
  readonly mayOpenPlayground?: boolean;
}

export async function preflight(options: PreflightOptions = {}): Promise<Preflight> {
  let loaded: Config;
  try {
    loaded = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new PreflightError(error.message);
    throw error;
  }
  const playground = options.mayOpenPlayground === true && playgroundWanted(loaded);
  const config = playground ? playgroundStorageConfig(loaded) : loaded;
  let priceCard: PriceCard;
  try {
    priceCard = await loadPriceCardOrThrow(config.priceCardPath);
  } catch (error) {
    throw new PreflightError(errorMessage(error));
  }
  const unknownTiers =
    config.adminGrants.guildAdminTiers === 'all'
      ? []
      : config.adminGrants.guildAdminTiers.filter((name) => !priceCard.tiers.some((tier) => tier.name === name));
  if (unknownTiers.length > 0) {
    throw new PreflightError(
      `GUILD_ADMIN_TIERS: the price card has no tier ${unknownTiers.map((name) => `"${name}"`).join(', ')} (its tiers: ${priceCard.tiers.map((tier) => tier.name).join(', ')}).`,
    );
  }
  let pending: string[];
  try {
    // The playground's database is its own to make: created and migrated here, never the real one.
    if (playground) {
      await ensureDatabaseExists(config.database.url);
      await applyMigrations(config.database.url);
    }
    pending = await pendingMigrations(config.database.url);
  } catch (error) {
    throw new PreflightError(`Cannot use the database at ${redactUrl(config.database.url)}: ${describeDatabaseError(error)}`);
  }
  if (pending.length > 0) {
    throw new PreflightError(`The database is missing ${pending.length} migration(s) (${pending.join(', ')}): run npm run db:migrate.`);
  }
  await checkRedis(config.redis.url);
  return playground ? { config, priceCard, playground: true } : { config, priceCard };
}

async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported below, once
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const where = new URL(url);
    throw new PreflightError(`Cannot reach Redis at ${where.host} (${errorMessage(error)}): start it, or set REDIS_URL to where it runs.`);
  } finally {
    redis.disconnect();
  }
}
