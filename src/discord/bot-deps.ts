import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { Logger } from '../shared/logger.js';
import type { GrantPolicy } from '../domain/admin/grant-policy.js';
import type { AdminCredits } from '../use-cases/ports/admin-credits.js';
import type { AdminStatsReader } from '../use-cases/ports/admin-stats.js';
import type { AuditLog } from '../use-cases/ports/audit-log.js';
import type { Checkout } from '../use-cases/ports/checkout.js';
import type { GenerationQueue } from '../use-cases/ports/generation-queue.js';
import type { GuildSettingsStore } from '../use-cases/ports/guild-settings.js';
import type { JobCredits } from '../use-cases/ports/job-credits.js';
import type { JobStore } from '../use-cases/ports/job-store.js';
import type { Ledger } from '../use-cases/ports/ledger.js';
import type { PurchaseNotifier } from '../use-cases/ports/purchase-notifier.js';
import type { MemberSettingsStore } from '../use-cases/ports/member-settings.js';
import type { LedgerHistoryReader } from '../use-cases/ports/ledger-history.js';
import type { UsageReader } from '../use-cases/ports/usage-reader.js';
import type { JobMessageSender } from './job-message-sender.js';
import type { HeldForJob } from './render/interaction-failure.js';

/** What the interaction handlers need; built once by the entry point. */
export interface BotDeps {
  readonly ledger: Ledger;
  readonly jobs: JobStore;
  /** Confirming a quote holds its credits here (the ledger's). */
  readonly jobCredits: JobCredits;
  readonly queue: GenerationQueue;
  readonly guildSettings: GuildSettingsStore;
  readonly audit: AuditLog;
  /** Each member's /settings: default model and size, auto-confirm, low-balance warning. */
  readonly memberSettings: MemberSettingsStore;
  /** Admin grants (capped) and job refunds; written by the ledger. */
  readonly adminCredits: AdminCredits;
  readonly adminStats: AdminStatsReader;
  /** Who may create credits: OWNER_IDS, GUILD_ADMIN_GRANTS, GUILD_ADMIN_GRANT_CAP. */
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
  readonly checkout?: Checkout;
  /** Tells a member a Discord purchase arrived. @defaultValue a DM over the bot's REST API */
  readonly purchaseNotifier?: PurchaseNotifier;
  /** Whether Discord test-mode purchases grant their pack (DISCORD_TEST_PURCHASES). @defaultValue false */
  readonly grantTestPurchases?: boolean;
  /** The operator's banned words (BANNED_WORDS), refused in prompts in every guild. @defaultValue none */
  readonly operatorBannedWords?: readonly string[];
  /** A confirmed job not finished by then is ended and refunded. @defaultValue 45 minutes */
  readonly jobDeadlineMs?: number;
  /**
   * Told (per interaction, by the router) when handling it held credits for a job, so an error
   * afterwards tells the member their credits are held rather than that nothing was charged.
   */
  readonly onCreditsHeld?: (held: HeldForJob) => void;
  /** Writes job messages through the interaction's webhook while it lives, else the channel. */
  readonly jobMessages: JobMessageSender;
}

/** What an entry point hands createBot: the bot adds the job message sender on its own REST client. */
export type BotDepsInput = Omit<BotDeps, 'jobMessages' | 'onCreditsHeld'> & { readonly jobMessages?: JobMessageSender };

/** The member's role ids, whether discord.js cached the member or only has the raw payload. */
export function memberRoleIds(member: unknown): string[] {
  const roles = (member as { roles?: string[] | { cache: Map<string, unknown> } } | null)?.roles;
  if (Array.isArray(roles)) return roles;
  return roles ? [...roles.cache.keys()] : [];
}
