// When the playground runs, and the configuration it runs the real bot with: the operator's
// settings, except what keeps it apart from a real deployment — its own database and queue keys,
// the local image provider, a local Stripe webhook secret, the local Discord's URL and token.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { PLAYGROUND_OWNER_ID } from './playground-world.js';

/** Without a token, `npm start` opens the playground unless PLAYGROUND=off. A token always wins. */
export const playgroundWanted = (config: Config): boolean => config.discord.token === undefined && config.playground === 'auto';

/** The playground's database: DATABASE_URL's, with `_playground` after its name (created if missing). */
export function playgroundDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1)) || 'imagine_credits';
  url.pathname = `/${encodeURIComponent(`${name}_playground`)}`;
  return url.toString();
}

/** The configuration the playground's own storage uses, before the local Discord is known. */
export function playgroundStorageConfig(config: Config): Config {
  return {
    ...config,
    database: { ...config.database, url: playgroundDatabaseUrl(config.database.url) },
    redis: { ...config.redis, queuePrefix: `${config.redis.queuePrefix}-playground` },
  };
}

/**
 * The whole configuration the bot and worker run with in the playground, from the storage
 * configuration preflight made (`playgroundStorageConfig`: already its own database and queue). The Stripe key is a
 * placeholder nobody can charge with: card payments are simulated by signing events with the
 * webhook secret made here, and no request ever leaves for Stripe (its API URL is this machine's).
 */
export function playgroundConfig(storage: Config, discord: { token: string; apiUrl: string }): Config {
  const config = storage;
  return {
    ...storage,
    discord: {
      ...config.discord,
      token: discord.token,
      apiUrl: discord.apiUrl,
      devGuildId: undefined,
      ownerIds: [...new Set([...config.discord.ownerIds, PLAYGROUND_OWNER_ID])],
    },
    provider: { kind: 'local', delayMs: config.provider.kind === 'local' ? config.provider.delayMs : 0 },
    stripe: {
      secretKey: 'sk_test_playground_never_charges',
      webhookSecret: `whsec_playground_${randomBytes(18).toString('hex')}`,
      apiUrl: 'http://127.0.0.1:9',
    },
  };
}
