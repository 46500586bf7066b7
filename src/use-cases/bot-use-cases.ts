// The bot's use cases, built once from its ports: every Discord handler receives these and
// nothing else, and calls one of them per interaction (src/discord/routes.ts).
import type { GrantPolicy } from '../domain/admin/grant-policy.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { Logger } from '../shared/logger.js';
import { cancelQuote } from './cancel-quote.js';
import { changeGuildConfig } from './change-guild-config.js';
import { changeMemberSettings } from './change-member-settings.js';
import { confirmQuote } from './confirm-quote.js';
import { estimatePlan } from './estimate-plan.js';
import { findRecentJobs } from './find-recent-jobs.js';
import { grantCredits } from './grant-credits.js';
import { keepJob } from './keep-job.js';
import { listPacks } from './list-packs.js';
import { listPlans } from './list-plans.js';
import { listRoleTiers } from './list-role-tiers.js';
import type { AdminCredits } from './ports/admin-credits.js';
import type { AdminStatsReader } from './ports/admin-stats.js';
import type { Checkout } from './ports/checkout.js';
import type { GenerationQueue } from './ports/generation-queue.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';
import type { JobCredits } from './ports/job-credits.js';
import type { JobMessages } from './ports/job-messages.js';
import type { JobStore } from './ports/job-store.js';
import type { LedgerHistoryReader } from './ports/ledger-history.js';
import type { Ledger } from './ports/ledger.js';
import type { TierSubscriptions } from './ports/tier-subscriptions.js';
import type { MemberSettingsStore } from './ports/member-settings.js';
import type { PurchaseNotifier } from './ports/purchase-notifier.js';
import type { UsageReader } from './ports/usage-reader.js';
import type { BudgetAlertNotifier, SpendingLimits } from './ports/spending-limits.js';
import { setBudgetAlertChannel } from './set-budget-alert-channel.js';
import { setServerBudget, type SetServerBudgetInput } from './set-server-budget.js';
import { removeSpendingCap, setSpendingCap } from './set-spending-cap.js';
import { showSpendingLimits } from './show-spending-limits.js';
import { redeemEntitlement, type PurchasedEntitlement } from './redeem-entitlement.js';
import { refundJob } from './refund-job.js';
import { forgetDeletedRole, removeRoleTier } from './remove-role-tier.js';
import { requestGeneration } from './request-generation.js';
import { findEditableJob } from './find-editable-job.js';
import { quoteEdit } from './quote-edit.js';
import { requoteJob } from './requote-job.js';
import { reverseEntitlement, type WithdrawnEntitlement } from './reverse-entitlement.js';
import { revokeCredits } from './revoke-credits.js';
import { setRoleTier } from './set-role-tier.js';
import { showAdminStats } from './show-admin-stats.js';
import { showBalance } from './show-balance.js';
import { showGuildConfig } from './show-guild-config.js';
import { showHistory } from './show-history.js';
import { showJob } from './show-job.js';
import { showPricing } from './show-pricing.js';
import { showUsage } from './show-usage.js';
import { startCheckout } from './start-checkout.js';
import type { CardPlans } from './card-plans.js';
import { openBillingPortal } from './open-billing-portal.js';
import { startPlanCheckout } from './start-plan-checkout.js';
import { suggestTiers } from './suggest-tiers.js';
import { syncDiscordSubscription } from './sync-discord-subscription.js';

/** What an entry point builds the bot on: its stores, readers, queue and settings. */
export interface BotPorts {
  readonly ledger: Ledger;
  /** Sold plans (Discord and Stripe subscriptions): part of every member's tier. */
  readonly tierSubscriptions: TierSubscriptions;
  readonly jobs: JobStore;
  /** Confirming a quote holds its credits here (the ledger's). */
  readonly jobCredits: JobCredits;
  readonly queue: GenerationQueue;
  /** Role tiers and guild config, under the operator's policy (applyServerAdminPolicy). */
  readonly guildSettings: GuildSettingsStore;
  /** Each member's /settings: default model and size, auto-confirm, low-balance warning. */
  readonly memberSettings: MemberSettingsStore;
  /** Server caps and budgets (/admin caps, /admin budget); the checks run at confirm, in SQL. */
  readonly spendingLimits: SpendingLimits;
  /** Admin grants (capped) and job refunds; written by the ledger. */
  readonly adminCredits: AdminCredits;
  readonly adminStats: AdminStatsReader;
  /** Who may create credits: OWNER_IDS, GUILD_ADMIN_GRANTS, GUILD_ADMIN_GRANT_CAP, GUILD_ADMIN_TIERS, GUILD_FREE_DAILY_MAX. */
  readonly grantPolicy: GrantPolicy;
  /** /history: the member's ledger, grouped by operation. */
  readonly history: LedgerHistoryReader;
  /** /usage: what the member's finished jobs cost. */
  readonly usage: UsageReader;
  readonly card: PriceCard;
  readonly log: Logger;
  readonly now: () => Date;
  readonly randomSeed: () => number;
  /** Card payments for /topup packs (Stripe Checkout); undefined when Stripe is not configured. */
  readonly checkout?: Checkout | undefined;
  /** Card plans for /subscribe (Stripe subscriptions and their billing portal); undefined when Stripe is not configured. */
  readonly cardPlans?: CardPlans | undefined;
  /** Tells a member a Discord purchase arrived. @defaultValue a DM over the bot's REST API */
  readonly purchaseNotifier?: PurchaseNotifier | undefined;
  /** Whether Discord test-mode purchases grant their pack (DISCORD_TEST_PURCHASES). @defaultValue false */
  readonly grantTestPurchases?: boolean | undefined;
  /** The operator's banned words (BANNED_WORDS), refused in prompts in every guild. @defaultValue none */
  readonly operatorBannedWords?: readonly string[] | undefined;
  /** A confirmed job not finished by then is ended and refunded. @defaultValue 45 minutes */
  readonly jobDeadlineMs?: number | undefined;
  /** GUILD_OWNER_BUDGETS: may a server's owner set its budget? @defaultValue false (only OWNER_IDS) */
  readonly guildOwnersMaySetBudget?: boolean | undefined;
}

/** What the bot's use cases write to Discord themselves, made by the Discord adapter on its REST client. */
export interface BotOutbound {
  readonly jobMessages: JobMessages;
  readonly purchaseNotifier: PurchaseNotifier;
  readonly budgetAlertNotifier: BudgetAlertNotifier;
}

export function createBotUseCases(deps: BotPorts & BotOutbound) {
  const bind =
    <Input, Output>(useCase: (deps: BotPorts & BotOutbound, input: Input) => Output) =>
    (input: Input) =>
      useCase(deps, input);
  return {
    // Members
    requestGeneration: bind(requestGeneration),
    requoteJob: bind(requoteJob),
    quoteEdit: bind(quoteEdit),
    findEditableJob: bind(findEditableJob),
    confirmQuote: bind(confirmQuote),
    cancelQuote: bind(cancelQuote),
    keepJob: bind(keepJob),
    showBalance: bind(showBalance),
    changeMemberSettings: bind(changeMemberSettings),
    showJob: bind(showJob),
    findRecentJobs: bind(findRecentJobs),
    showHistory: bind(showHistory),
    showUsage: bind(showUsage),
    estimatePlan: bind(estimatePlan),
    showPricing: bind(showPricing),
    listPacks: () => listPacks(deps),
    listPlans: () => listPlans(deps),
    startCheckout: bind(startCheckout),
    startPlanCheckout: bind(startPlanCheckout),
    openBillingPortal: bind(openBillingPortal),
    // Server admins
    setRoleTier: bind(setRoleTier),
    removeRoleTier: bind(removeRoleTier),
    listRoleTiers: bind(listRoleTiers),
    suggestTiers: bind(suggestTiers),
    grantCredits: bind(grantCredits),
    revokeCredits: bind(revokeCredits),
    refundJob: bind(refundJob),
    showGuildConfig: bind(showGuildConfig),
    changeGuildConfig: bind(changeGuildConfig),
    showAdminStats: bind(showAdminStats),
    setSpendingCap: bind(setSpendingCap),
    removeSpendingCap: bind(removeSpendingCap),
    showSpendingLimits: bind(showSpendingLimits),
    setBudgetAlertChannel: bind(setBudgetAlertChannel),
    setServerBudget: (input: SetServerBudgetInput) =>
      setServerBudget(
        {
          spendingLimits: deps.spendingLimits,
          budgetPolicy: { ownerIds: deps.grantPolicy.ownerIds, guildOwnersMaySetBudget: deps.guildOwnersMaySetBudget ?? false },
        },
        input,
      ),
    // Discord's own events
    forgetDeletedRole: bind(forgetDeletedRole),
    redeemEntitlement: (entitlement: PurchasedEntitlement, consume: () => Promise<void>) =>
      redeemEntitlement({
        ledger: deps.ledger,
        card: deps.card,
        notifier: deps.purchaseNotifier,
        entitlement,
        consume,
        grantTestPurchases: deps.grantTestPurchases ?? false,
      }),
    syncDiscordSubscription: bind(syncDiscordSubscription),
    reverseEntitlement: (entitlement: WithdrawnEntitlement) =>
      reverseEntitlement({ ledger: deps.ledger, card: deps.card, notifier: deps.purchaseNotifier, entitlement }),
  };
}

export type BotUseCases = ReturnType<typeof createBotUseCases>;
