// `npm start` without DISCORD_TOKEN: the real bot and worker, composed exactly as with a token,
// against the built-in local Discord started here (127.0.0.1, a random port), plus the page that
// lets a person play the members and the owner of its one server. Only the Discord URL and token
// differ from production, and the storage (the playground's own database and queue keys, chosen
// in preflight), the images (the local provider) and the Stripe secret (a local one, to sign the
// simulated card payments).
import { createDatabase } from '../db/client.js';
import { createPgGuildSettingsStore } from '../db/guild-settings-store.js';
import { allowancePolicyFor } from '../domain/admin/grant-policy.js';
import { createSqlLedger } from '../ledger/sql-ledger.js';
import type { Metrics } from '../observability/metrics.js';
import { ChannelFeed } from '../playground/channel-feed.js';
import { FakeDiscord } from '../playground/local-discord/fake-discord.js';
import { PlaygroundApi } from '../playground/playground-api.js';
import { PlaygroundCheckout } from '../playground/playground-checkout.js';
import { localOnly } from '../playground/local-only.js';
import { playgroundConfig } from '../playground/playground-config.js';
import { createBalancePanel } from '../playground/balance-panel.js';
import { createPlaygroundHttp } from '../playground/playground-http.js';
import { PLAYGROUND_CHANNEL, PLAYGROUND_GUILD, PLAYGROUND_OWNER_ID, PLAYGROUND_ROLES, withPlaygroundSkus } from '../playground/playground-world.js';
import { SimulatedPurchases } from '../playground/simulated-purchases.js';
import { soldPlans } from '../domain/subscriptions/plans.js';
import type { Logger } from '../shared/logger.js';
import { composeBot } from './compose-bot.js';
import { composeWorker, type ProcessPart } from './compose-worker.js';
import type { Preflight } from './preflight.js';

export interface Playground {
  /** The playground first, so that stopping in reverse stops the bot and worker before the local Discord. */
  readonly parts: readonly ProcessPart[];
  /** Call once the listener is up: where the page is. */
  listening(port: number): string;
}

export async function composePlayground(ready: Preflight, log: Logger, metrics: Metrics): Promise<Playground> {
  const card = withPlaygroundSkus(ready.priceCard);
  const discord = await FakeDiscord.start();
  const guild = discord.addGuild({
    id: PLAYGROUND_GUILD.id,
    name: PLAYGROUND_GUILD.name,
    channels: [PLAYGROUND_CHANNEL],
    roles: PLAYGROUND_ROLES.map((role) => ({ id: role.id, name: role.name, permissions: '0' })),
    ownerId: PLAYGROUND_OWNER_ID,
  });
  for (const pack of card.packs) if (pack.discordSkuId) discord.addSku({ id: pack.discordSkuId, name: pack.id });
  for (const { id, plan } of soldPlans(card)) if (plan.discordSkuId) discord.subscriptions.addSku({ id: plan.discordSkuId, name: id, scope: 'user' });
  const config = playgroundConfig(ready.config, { token: discord.token, apiUrl: discord.apiUrl });
  const playgroundReady: Preflight = { config, priceCard: card, playground: true };

  const db = createDatabase({ url: config.database.url, poolSize: 2 });
  const guildSettings = createPgGuildSettingsStore(db.prisma);
  // The tier role of the "member with a tier role": mapped on the first start, then the owner's to change.
  if ((await guildSettings.roleTiers(guild.id)).size === 0) {
    for (const role of PLAYGROUND_ROLES) if (role.seededTier) await guildSettings.setRoleTier(guild.id, role.id, role.seededTier, PLAYGROUND_OWNER_ID);
  }
  // Upscales and variations read the image they start from where the local Discord serves it.
  const worker = await composeWorker(playgroundReady, log, metrics, { localSourceImages: { hosts: ['127.0.0.1'], protocols: ['http:'] } });

  let pageUrl = '';
  const feed = new ChannelFeed(discord, PLAYGROUND_CHANNEL.id);
  const purchases = new SimulatedPurchases({
    discord,
    guildId: guild.id,
    webhookUrl: () => new URL('/stripe/webhook', pageUrl).toString(),
    webhookSecret: config.stripe!.webhookSecret,
  });
  // /topup's "Buy with card" opens the playground's checkout page, which pays through the bot's webhook.
  const checkout = new PlaygroundCheckout(() => pageUrl, purchases);
  const bot = await composeBot(playgroundReady, log, discord.token, metrics, { checkout });

  const grantPolicy = { ownerIds: config.discord.ownerIds, ...config.adminGrants };
  const ledger = createSqlLedger(db.pool, { allowancePolicy: allowancePolicyFor(grantPolicy, card) });
  // The side panel is /balance's own use case: the same buckets, granting what is due today first.
  const balanceOf = createBalancePanel({ ledger, guildSettings, card, guildId: guild.id });

  const api = new PlaygroundApi({ discord, guild, channelId: PLAYGROUND_CHANNEL.id, feed, card, purchases });
  const http = createPlaygroundHttp({
    api,
    feed,
    discord,
    guild,
    channel: { id: PLAYGROUND_CHANNEL.id, name: PLAYGROUND_CHANNEL.name },
    card,
    balanceOf,
    roleTiers: () => guildSettings.roleTiers(guild.id),
    log,
  });
  const playground: ProcessPart = {
    checks: {},
    // The bot's Stripe webhook is served here too, on 127.0.0.1: the playground opens no public port.
    routes: [...http.routes, checkout.route, ...(bot.publicRoutes ?? [])].map(localOnly),
    closing: () => http.closeStreams(),
    async stop() {
      feed.close();
      await discord.close();
      await db.close();
    },
  };
  return {
    parts: [playground, worker, { ...bot, publicRoutes: [] }],
    listening(port) {
      pageUrl = `http://127.0.0.1:${port}/`;
      return pageUrl;
    },
  };
}
