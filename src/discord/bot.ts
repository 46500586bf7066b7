// The gateway side: a discord.js client whose interactions go through one router with one error
// boundary. A member sees a friendly message; an unexpected error is logged with a reference
// that the member is given instead of the error itself.
import { randomUUID } from 'node:crypto';
import { Client, Events, GatewayIntentBits, MessageFlags, Options, type Entitlement, type Interaction } from 'discord.js';
import { redeemEntitlement } from '../use-cases/redeem-entitlement.js';
import { commands } from '../../commands/index.js';
import type { BotDeps } from './bot-deps.js';
import { handleAdminAutocomplete } from './handlers/admin/admin-autocomplete.js';
import { handleAdmin } from './handlers/admin/index.js';
import { handleBalance } from './handlers/balance.js';
import { handleBatch } from './handlers/batch.js';
import { handleEstimate } from './handlers/estimate.js';
import { handleHistory, handleHistoryButton } from './handlers/history.js';
import { handleImagine } from './handlers/imagine.js';
import { autocompleteShowJob, handleShowJob } from './handlers/show-job.js';
import { handleJobButton, jobButtonActions, type JobButtonAction } from './handlers/job-buttons.js';
import { handlePricing } from './handlers/pricing.js';
import { handleQuoteButton } from './handlers/quote-buttons.js';
import { handleSettings } from './handlers/settings.js';
import { handleTopup } from './handlers/topup.js';
import { handleStripeCheckoutButton } from './handlers/topup-stripe.js';
import { handleUsage } from './handlers/usage.js';

export interface BotOptions {
  readonly token: string;
  /** REST base URL (`DISCORD_API_URL`); discord.js's `rest.api`. */
  readonly apiUrl?: string;
  readonly deps: BotDeps;
  /** Told how long each interaction took to answer, by kind (command name or button scope). */
  readonly onInteractionHandled?: (kind: string, seconds: number) => void;
  /** Development (`DISCORD_DEV_GUILD_ID`): register commands to this server (instant), not globally. */
  readonly devGuildId?: string;
}

async function route(interaction: Interaction, deps: BotDeps): Promise<void> {
  if (!interaction.inGuild()) {
    if (interaction.isRepliable()) await interaction.reply({ content: 'Use me in a server.', flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.isChatInputCommand()) {
    if (interaction.commandName === 'imagine') return handleImagine(interaction, deps);
    if (interaction.commandName === 'balance') return handleBalance(interaction, deps);
    if (interaction.commandName === 'topup') return handleTopup(interaction, deps);
    if (interaction.commandName === 'settings') return handleSettings(interaction, deps);
    if (interaction.commandName === 'batch') return handleBatch(interaction, deps);
    if (interaction.commandName === 'admin') return handleAdmin(interaction, deps);
    if (interaction.commandName === 'history') return handleHistory(interaction, deps);
    if (interaction.commandName === 'usage') return handleUsage(interaction, deps);
    if (interaction.commandName === 'pricing') return handlePricing(interaction, deps);
    if (interaction.commandName === 'estimate') return handleEstimate(interaction, deps);
    if (interaction.commandName === 'show' && interaction.options.getSubcommand() === 'job') return handleShowJob(interaction, deps);
  } else if (interaction.isAutocomplete()) {
    if (interaction.commandName === 'admin') return handleAdminAutocomplete(interaction, deps);
    if (interaction.commandName === 'show') return autocompleteShowJob(interaction, deps);
    return interaction.respond([]);
  } else if (interaction.isButton()) {
    const [scope, action, id, image] = interaction.customId.split(':');
    if (scope === 'quote' && (action === 'generate' || action === 'cancel') && id) return handleQuoteButton(interaction, action, id, deps);
    if (scope === 'job' && jobButtonActions.includes(action as JobButtonAction) && id) {
      return handleJobButton(interaction, action as JobButtonAction, id, image === undefined ? undefined : Number(image), deps);
    }
    if (scope === 'topup' && action === 'stripe' && id) return handleStripeCheckoutButton(interaction, id, deps);
    if (scope === 'history') return handleHistoryButton(interaction, deps);
  }
  if (interaction.isRepliable()) await interaction.reply({ content: 'That is not something I know how to do (yet).', flags: MessageFlags.Ephemeral });
}

/** Grants a purchase's pack (once per entitlement) and consumes it; logs what happened. */
async function redeem(entitlement: Entitlement, deps: BotDeps): Promise<void> {
  const redeemed = await redeemEntitlement({
    ledger: deps.ledger, card: deps.card,
    entitlement: { id: entitlement.id, skuId: entitlement.skuId, userId: entitlement.userId },
    consume: () => entitlement.consume(),
  });
  if (redeemed.ok) deps.log.info({ entitlementId: entitlement.id, userId: entitlement.userId, pack: redeemed.value.pack.id, replayed: redeemed.value.granted.replayed }, 'entitlement redeemed');
  else deps.log.warn({ entitlementId: entitlement.id, error: redeemed.error }, 'entitlement not redeemed');
}

const kindOf = (interaction: Interaction): string =>
  interaction.isChatInputCommand() ? interaction.commandName : interaction.isButton() ? `button:${interaction.customId.split(':', 2).join(':')}` : 'other';

export function createBot({ token, apiUrl, deps, onInteractionHandled, devGuildId }: BotOptions) {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(apiUrl ? { rest: { api: apiUrl } } : {}),
    // Interactions carry what we need; keep caches small so memory stays flat on big servers.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0, GuildMemberManager: 0, UserManager: 0, PresenceManager: 0, ReactionManager: 0 }),
  });
  client.on(Events.InteractionCreate, (interaction) => {
    const started = performance.now();
    const kind = kindOf(interaction);
    // Every line of this interaction's handling carries who, where and what.
    const log = deps.log.child({ interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId, kind });
    void route(interaction, { ...deps, log }).then(() => {
      const seconds = (performance.now() - started) / 1000;
      log.info({ ms: Math.round(seconds * 1000) }, 'interaction handled');
      onInteractionHandled?.(kind, seconds);
    }, async (error: unknown) => {
      const reference = randomUUID().slice(0, 8);
      log.error({ err: error, reference }, 'interaction failed');
      if (!interaction.isRepliable()) return;
      const content = `Something went wrong on our side (reference ${reference}). Nothing was charged for it.`;
      await (interaction.replied || interaction.deferred ? interaction.followUp({ content, flags: MessageFlags.Ephemeral }) : interaction.reply({ content, flags: MessageFlags.Ephemeral })).catch(() => undefined);
    });
  });
  client.on(Events.EntitlementCreate, (entitlement) => {
    void redeem(entitlement, deps).catch((error: unknown) => deps.log.error({ err: error, entitlementId: entitlement.id }, 'redeeming entitlement failed'));
  });
  return {
    client,
    async start(): Promise<void> {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(token);
      await ready;
      // Global commands reach every server but can take a while to show; a dev server's are instant.
      if (devGuildId) await client.application!.commands.set([...commands], devGuildId);
      else await client.application!.commands.set([...commands]);
      // Purchases made while the bot was down: redeem what was never consumed.
      const pending = await client.application!.entitlements.fetch({ excludeEnded: true });
      for (const entitlement of pending.values()) if (!entitlement.consumed) await redeem(entitlement, deps);
    },
    async stop(): Promise<void> {
      await client.destroy();
    },
  };
}
