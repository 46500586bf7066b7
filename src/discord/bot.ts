// The gateway side: a discord.js client whose interactions go through one router with one error
// boundary. A member sees a friendly message; an unexpected error is logged with a reference
// that the member is given instead of the error itself.
import { randomUUID } from 'node:crypto';
import {
  Client,
  EntitlementType,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Options,
  SKUType,
  SnowflakeUtil,
  type Entitlement,
  type Interaction,
} from 'discord.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { soldPlans } from '../domain/subscriptions/plans.js';
import type { Logger } from '../shared/logger.js';
import { createBotUseCases, type BotPorts, type BotUseCases } from '../use-cases/bot-use-cases.js';
import type { WithdrawnEntitlement } from '../use-cases/reverse-entitlement.js';
import { commands } from '../../commands/index.js';
import type { HandlerContext } from './handler-context.js';
import { createJobMessageSender } from './job-message-sender.js';
import { createJobMessages } from './job-messages.js';
import { createDiscordPurchaseNotifier } from './purchase-notifier.js';
import { createBudgetAlertNotifier } from './budget-alert-notifier.js';
import { failedInteractionText, type HeldForJob } from './render/interaction-failure.js';
import { declined, routeInGuild, type Ack } from './routes.js';
import { onPlanEntitlement, onPlanSubscription, reconcilePlans } from './subscription-events.js';
import { errorMessage } from '../shared/error-message.js';

export interface BotOptions {
  readonly token: string;
  /** REST base URL (`DISCORD_API_URL`); discord.js's `rest.api`. */
  readonly apiUrl?: string;
  /** The ports the bot's use cases are built on (once, here: handlers receive the use cases). */
  readonly deps: BotPorts;
  /** Told how long each interaction took to acknowledge (Discord allows 3 s), by kind (command name or button scope). */
  readonly onInteractionAcknowledged?: (kind: string, seconds: number) => void;
  /** Told how long each interaction took to handle in full (its answer edited in), by kind. */
  readonly onInteractionHandled?: (kind: string, seconds: number) => void;
  /** Development (`DISCORD_DEV_GUILD_ID`): register commands to this server (instant), not globally. */
  readonly devGuildId?: string;
}

/** Acknowledges the interaction as its route says; throws when Discord refuses (too late: nothing else runs). */
async function acknowledge(interaction: Interaction, ack: Ack): Promise<void> {
  if (ack === 'private-reply' && interaction.isRepliable()) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  else if (ack === 'update' && interaction.isMessageComponent()) await interaction.deferUpdate();
}

/**
 * Answers first, then works: the acknowledgement goes out before the handler touches the
 * database, Redis or a channel, so a burst of other work cannot make it miss Discord's 3 s.
 * If the acknowledgement itself fails, the handler never runs: no credit moves for an
 * interaction the member was told had failed.
 */
async function route(interaction: Interaction, ctx: HandlerContext, onAcknowledged: () => void): Promise<void> {
  if (!interaction.inGuild()) {
    if (interaction.isRepliable()) await interaction.reply({ content: 'Use me in a server.', flags: MessageFlags.Ephemeral });
    return;
  }
  const routed = routeInGuild(interaction, ctx);
  if (routed === declined) {
    if (interaction.isRepliable()) await interaction.reply({ content: 'That is not something I know how to do (yet).', flags: MessageFlags.Ephemeral });
    return;
  }
  await acknowledge(interaction, routed.ack);
  onAcknowledged();
  await routed.run();
}

/** What the bot's own (not interaction) events run with. */
interface EventContext {
  readonly useCases: BotUseCases;
  readonly card: PriceCard;
  readonly log: Logger;
}

/** Grants a purchase's pack (once per entitlement), tells the member and consumes it; logs what happened. */
async function redeem(entitlement: Entitlement, deps: EventContext): Promise<void> {
  const redeemed = await deps.useCases.redeemEntitlement(
    {
      id: entitlement.id,
      skuId: entitlement.skuId,
      userId: entitlement.userId,
      test: entitlement.type === EntitlementType.TestModePurchase,
      deleted: entitlement.deleted,
    },
    () => entitlement.consume(),
  );
  if (!redeemed.ok) {
    deps.log.warn({ entitlementId: entitlement.id, error: redeemed.error }, 'entitlement not redeemed');
    return;
  }
  const { pack, granted, notice } = redeemed.value;
  deps.log.info(
    { entitlementId: entitlement.id, userId: entitlement.userId, pack: pack.id, replayed: granted.replayed, notice: notice.status },
    'entitlement redeemed',
  );
  // The credits are in; only the DM did not arrive (closed DMs, Discord down). /balance shows them.
  if (notice.status === 'failed') deps.log.warn({ err: notice.error, entitlementId: entitlement.id, userId: entitlement.userId }, 'purchase DM not delivered');
}

/**
 * Why an entitlement event takes its purchase back, or null: Discord deletes an entitlement it
 * refunds or withdraws, and a one-time purchase has no end of its own, so one that has ended was
 * ended by Discord. An end still to come changes nothing yet.
 */
function withdrawal(entitlement: Entitlement): WithdrawnEntitlement['why'] | null {
  if (entitlement.deleted) return 'deleted';
  return entitlement.endsTimestamp !== null && entitlement.endsTimestamp <= Date.now() ? 'ended' : null;
}

/** Takes back what a withdrawn purchase granted (once), tells the member, logs what happened. */
async function withdraw(entitlement: Entitlement, why: WithdrawnEntitlement['why'], deps: EventContext): Promise<void> {
  const context = { entitlementId: entitlement.id, userId: entitlement.userId, skuId: entitlement.skuId, why };
  const reversed = await deps.useCases.reverseEntitlement({ id: entitlement.id, skuId: entitlement.skuId, why });
  if (!reversed.ok) {
    // Nothing of ours to take back: an unknown SKU or a test purchase that granted nothing.
    const level = reversed.error.code === 'purchase_not_found' ? 'info' : 'error';
    deps.log[level]({ ...context, outcome: reversed.error.code, credits: 0, problem: reversed.error }, 'entitlement withdrawal handled');
    return;
  }
  const { outcome, credits, alreadySpent, notice } = reversed.value;
  deps.log[credits > 0 ? 'warn' : 'info']({ ...context, outcome, credits, alreadySpent, notice: notice.status }, 'entitlement withdrawal handled');
  if (notice.status === 'failed') deps.log.warn({ ...context, err: notice.error }, 'could not tell the member about the withdrawn purchase');
}

/** How far back a start looks for purchases Discord withdrew while the bot was down. */
const missedWithdrawalsLookBackMs = 90 * 24 * 60 * 60 * 1000;

/**
 * Discord does not send a missed gateway event again, so a refund made while the bot was down is
 * found at the next start: the pack SKUs' purchases of the last 90 days, deleted ones included,
 * page by page. Taking back is keyed, so finding the same deletion at every start changes nothing.
 */
async function takeBackMissedWithdrawals(client: Client<true>, deps: EventContext): Promise<void> {
  const skus = packSkus(deps);
  if (skus.length === 0) return;
  const since = SnowflakeUtil.generate({ timestamp: Date.now() - missedWithdrawalsLookBackMs }).toString();
  for await (const entitlement of everyEntitlement(client, { skus, excludeDeleted: false }, since)) {
    const why = withdrawal(entitlement);
    if (why) await withdraw(entitlement, why, deps);
  }
}

/**
 * Purchases made while the bot was down (Discord does not send a missed ENTITLEMENT_CREATE
 * again): every live pack purchase not yet consumed is redeemed, however many pages that takes.
 * Redeeming is keyed by entitlement, so one already granted is only consumed.
 */
async function redeemMissedPurchases(client: Client<true>, deps: EventContext): Promise<void> {
  const skus = packSkus(deps);
  if (skus.length === 0) return;
  for await (const entitlement of everyEntitlement(client, { skus, excludeEnded: true }, '0')) {
    if (!entitlement.consumed) await redeem(entitlement, deps);
  }
}

/**
 * The card's SKUs against the application's own (Discord does not tell a bot a SKU's price, but
 * it does say whether the SKU exists and what kind it is): a pack whose SKU is missing or is not
 * a consumable, or a plan whose SKU is not a subscription, is logged at start, before a member
 * meets a button that cannot work or a purchase that can be made only once.
 */
async function checkSkus(client: Client<true>, deps: EventContext): Promise<void> {
  const sold = [
    ...deps.card.packs.flatMap((pack) => (pack.discordSkuId ? [{ what: { packId: pack.id }, skuId: pack.discordSkuId, kind: SKUType.Consumable }] : [])),
    ...soldPlans(deps.card).flatMap(({ id, plan }) =>
      plan.discordSkuId ? [{ what: { planId: id }, skuId: plan.discordSkuId, kind: SKUType.Subscription }] : [],
    ),
  ];
  if (sold.length === 0) return;
  const skus = await client.application.fetchSKUs();
  for (const { what, skuId, kind } of sold) {
    const sku = skus.get(skuId);
    if (!sku) deps.log.warn({ ...what, skuId }, 'a discordSkuId on the card is not a SKU of this application: its Discord button cannot sell it');
    else if (sku.type !== kind) {
      const problem =
        kind === SKUType.Consumable
          ? "a pack's SKU is not a consumable: each member could buy it only once"
          : "a plan's SKU is not a subscription: it would not renew";
      deps.log.warn({ ...what, skuId: sku.id, skuType: SKUType[sku.type] }, problem);
    }
  }
}

const packSkus = (deps: EventContext): string[] => deps.card.packs.flatMap((pack) => (pack.discordSkuId === undefined ? [] : [pack.discordSkuId]));

/** The application's entitlements after a snowflake, oldest first, page by page (Discord's pages hold at most 100). */
async function* everyEntitlement(client: Client<true>, filter: { skus: string[]; excludeDeleted?: boolean; excludeEnded?: boolean }, after: string) {
  const pageSize = 100;
  for (;;) {
    const page = await client.application.entitlements.fetch({ ...filter, after, limit: pageSize, cache: false });
    for (const entitlement of page.values()) {
      yield entitlement;
      if (BigInt(entitlement.id) > BigInt(after)) after = entitlement.id;
    }
    if (page.size < pageSize) return;
  }
}

const kindOf = (interaction: Interaction): string =>
  interaction.isChatInputCommand() ? interaction.commandName : interaction.isButton() ? `button:${interaction.customId.split(':', 2).join(':')}` : 'other';

export function createBot({ token, apiUrl, deps: input, onInteractionAcknowledged, onInteractionHandled, devGuildId }: BotOptions) {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // As many shards as Discord recommends (it requires them from 2,500 guilds), all in this
    // process: the handlers keep no state in memory, so which shard an interaction came in on
    // does not matter.
    shards: 'auto',
    // discord.js counts every request against its own guard of 50 a second, interaction webhooks
    // included — but Discord leaves those (answers, follow-ups, job messages) out of the bot's
    // global limit, and they are nearly all this client sends: a crowd of 40 had its answers held
    // back by up to a second. Its bot-token requests (rationed queue-place edits past a token's
    // life, DMs, start-up) stay far below 50 a second, and a global 429 from Discord is still obeyed.
    rest: { globalRequestsPerSecond: Number.POSITIVE_INFINITY, ...(apiUrl ? { api: apiUrl } : {}) },
    // Interactions carry what we need; keep caches small so memory stays flat on big servers.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      GuildMemberManager: 0,
      UserManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
    }),
  });
  // The use cases write the job message (through the confirming interaction's webhook while it
  // lives) and purchase DMs by REST, as the Stripe webhook does, unless the entry point gives another notifier.
  const jobMessages = createJobMessages(createJobMessageSender({ rest: client.rest, jobs: input.jobs, ...(apiUrl ? { apiUrl } : {}) }));
  const budgetAlertNotifier = createBudgetAlertNotifier(client);
  const useCases = createBotUseCases({
    ...input,
    jobMessages,
    budgetAlertNotifier,
    purchaseNotifier: input.purchaseNotifier ?? createDiscordPurchaseNotifier({ token, apiUrl }),
  });
  const deps: EventContext = { useCases, card: input.card, log: input.log };
  client.on(Events.InteractionCreate, (interaction) => {
    const started = performance.now();
    const kind = kindOf(interaction);
    // Every line of this interaction's handling carries who, where and what.
    const log = deps.log.child({ interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId, kind });
    // Credits held by this interaction, so an error message never says "nothing was charged" after a hold.
    let held: HeldForJob | null = null;
    let ackMs: number | null = null;
    const onAcknowledged = () => {
      const seconds = (performance.now() - started) / 1000;
      ackMs = Math.round(seconds * 1000);
      onInteractionAcknowledged?.(kind, seconds);
    };
    void route(interaction, { useCases, log, onCreditsHeld: (hold) => (held = hold) }, onAcknowledged).then(
      () => {
        const seconds = (performance.now() - started) / 1000;
        log.info({ ms: Math.round(seconds * 1000), ackMs }, 'interaction handled');
        onInteractionHandled?.(kind, seconds);
      },
      async (error: unknown) => {
        const reference = randomUUID().slice(0, 8);
        log.error({ err: error, reference, ackMs, heldJobId: held?.jobId }, 'interaction failed');
        // Not acknowledged (Discord refused: too late): the member saw "This interaction failed" and nothing ran.
        if (!interaction.isRepliable() || !(interaction.deferred || interaction.replied)) return;
        const content = failedInteractionText(reference, held);
        // A "thinking…" reply not yet edited becomes the message; anything else gets a private follow-up.
        const answered =
          interaction.deferred && !interaction.replied && interaction.ephemeral === true
            ? interaction.editReply({ content, components: [], embeds: [] })
            : interaction.followUp({ content, flags: MessageFlags.Ephemeral });
        await answered.catch((failure: unknown) => log.warn({ err: errorMessage(failure), reference }, 'could not tell the member an interaction failed'));
      },
    );
  });
  client.on(Events.GuildRoleDelete, (role) => {
    void useCases.forgetDeletedRole({ guildId: role.guild.id, role: { id: role.id, name: role.name } }).then(
      (tier) => {
        if (tier !== null) deps.log.info({ guildId: role.guild.id, roleId: role.id, tier }, 'tier mapping of a deleted role removed');
      },
      (error: unknown) => deps.log.error({ err: error, guildId: role.guild.id, roleId: role.id }, 'forgetting a deleted role’s tier failed'),
    );
  });
  // Plans (subscription SKUs) and packs (consumables) share the entitlement events.
  const plans = { useCases, card: input.card, log: input.log };
  const ready = () => client as Client<true>;
  client.on(Events.EntitlementCreate, (entitlement) => {
    if (onPlanEntitlement(ready(), entitlement, plans, 'entitlement create')) return;
    void redeem(entitlement, deps).catch((error: unknown) => deps.log.error({ err: error, entitlementId: entitlement.id }, 'redeeming entitlement failed'));
  });
  client.on(Events.SubscriptionCreate, (subscription) => onPlanSubscription(ready(), subscription, plans, 'subscription create'));
  client.on(Events.SubscriptionUpdate, (_old, subscription) => onPlanSubscription(ready(), subscription, plans, 'subscription update'));
  client.on(Events.SubscriptionDelete, (subscription) => onPlanSubscription(ready(), subscription, plans, 'subscription delete'));
  const onWithdrawn = (entitlement: Entitlement, why: WithdrawnEntitlement['why']) => {
    void withdraw(entitlement, why, deps).catch((error: unknown) =>
      deps.log.error({ err: error, entitlementId: entitlement.id, why }, 'taking back a withdrawn purchase FAILED: needs an operator'),
    );
  };
  client.on(Events.EntitlementDelete, (entitlement) => {
    if (!onPlanEntitlement(ready(), entitlement, plans, 'entitlement delete')) onWithdrawn(entitlement, 'deleted');
  });
  client.on(Events.EntitlementUpdate, (_old, entitlement) => {
    if (onPlanEntitlement(ready(), entitlement, plans, 'entitlement update')) return;
    const why = withdrawal(entitlement);
    if (why) onWithdrawn(entitlement, why);
    else deps.log.debug({ entitlementId: entitlement.id, consumed: entitlement.consumed, endsAt: entitlement.endsAt }, 'entitlement update changes no credits');
  });
  return {
    client,
    /** How this bot writes job messages: the queue-place refresher keeps their places current through it. */
    jobMessages,
    /** How this bot tells admins about their server's budget: the alert delivery sends through it. */
    budgetAlertNotifier,
    async start(): Promise<void> {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(token);
      await ready;
      // Global commands reach every server but can take a while to show; a dev server's are instant.
      if (devGuildId) await client.application!.commands.set([...commands], devGuildId);
      else await client.application!.commands.set([...commands]);
      await checkSkus(client as Client<true>, deps).catch((error: unknown) => deps.log.warn({ err: error }, "could not check the card's Discord SKUs"));
      await redeemMissedPurchases(client as Client<true>, deps);
      // Plans bought, renewed, cancelled or refunded while the bot was down.
      await reconcilePlans(client as Client<true>, plans).catch((error: unknown) =>
        deps.log.error({ err: error }, 'reconciling Discord plan subscriptions at start FAILED; they are reconciled at the next start'),
      );
      // …and refunds made while it was down (answering interactions meanwhile: the handlers are on).
      await takeBackMissedWithdrawals(client as Client<true>, deps).catch((error: unknown) =>
        deps.log.error({ err: error }, 'looking for purchases withdrawn while the bot was down FAILED; they are taken back at the next start'),
      );
    },
    async stop(): Promise<void> {
      await client.destroy();
    },
  };
}
