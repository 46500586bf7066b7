import type { LedgerError } from '../domain/credits/ledger-errors.js';
import type { PriceCard, Tier } from '../domain/pricing/price-card-schema.js';
import { err, ok, type Result } from '../domain/result.js';
import { dailyResetWindow, expiryWithRollover, tierPeriodWindow } from '../domain/tier-periods.js';
import { decideTier, type TierSource } from '../domain/subscriptions/tier-sources.js';
import { resolveMemberTier } from '../domain/tiers.js';
import type { Balance, Granted, Ledger } from './ports/ledger.js';

export interface GrantMemberAllowancesOptions {
  readonly ledger: Ledger;
  readonly card: PriceCard;
  readonly now: Date;
  readonly userId: string;
  readonly guildId: string;
  /** The member's roles as the interaction reports them: they decide the tier, best of several. */
  readonly roleIds: Iterable<string>;
  /** The guild's mapping of role id → tier name (set by admins). */
  readonly roleTiers: ReadonlyMap<string, string>;
  /** The guild's free daily credits. @defaultValue the card's freeDailyCredits */
  readonly freeDailyCredits?: number;
}

export interface MemberAllowances {
  /** The best of the member's roles and live subscriptions. */
  readonly tier: Tier;
  /** Where the tier comes from (a subscription: which, and when it renews or ends). */
  readonly tierSource: TierSource;
  /** What was granted by this call; null when it was already granted for the period. */
  readonly freeGranted: Granted | null;
  readonly tierGranted: Granted | null;
  /** The member's balance after the grants. */
  readonly balance: Balance;
}

/**
 * Lazily grants what a member is due before they spend or look at their balance: their one-time
 * welcome credits, today's free credits, the paid periods of their (and their server's) live
 * subscriptions, and their best role tier's allowance for its current period, less what
 * overlapping periods already gave (after an upgrade, the difference); returns the balance after
 * it and the tier that applies, the best of roles and subscriptions. Safe to call on every
 * interaction: each grant happens once.
 */
export async function grantMemberAllowances(options: GrantMemberAllowancesOptions): Promise<Result<MemberAllowances, LedgerError>> {
  const { ledger, card, now, userId, guildId } = options;
  const roleTier = resolveMemberTier(card, options.roleIds, options.roleTiers);
  // The role tier's allowance; a subscription's paid periods are granted by the ledger from its
  // own records, before this, so this counts them (a role no better than the plan adds nothing).
  const tier = roleTier;
  const day = dailyResetWindow(now);
  const period = tierPeriodWindow(tier.period, now);
  const granted = await ledger.grantAllowances({
    userId,
    guildId,
    free: { periodKey: day.key, expiresAt: day.end, amount: options.freeDailyCredits ?? card.freeDailyCredits },
    // The ledger gives the period's allowance less what overlapping periods already gave, so
    // moving between a weekly and a monthly tier tops up rather than granting both in full.
    tier: {
      periodKey: `${tier.period}:${period.key}`,
      periodStart: period.start,
      periodEnd: period.end,
      expiresAt: expiryWithRollover(period, tier.rolloverPeriods),
      tierName: tier.name,
      allowance: tier.allowance,
    },
  });
  if (!granted.ok) return err(granted.error);
  const decided = decideTier(card, roleTier, granted.value.subscriptions);
  return ok({
    tier: decided.tier,
    tierSource: decided.source,
    freeGranted: granted.value.free,
    tierGranted: granted.value.tier,
    balance: granted.value.balance,
  });
}
