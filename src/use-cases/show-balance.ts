import type { PriceCard, Tier } from '../domain/pricing/price-card-schema.js';
import { quote } from '../domain/pricing/quote.js';
import { freeDailyOf } from '../domain/guild-config.js';
import type { TierSource } from '../domain/subscriptions/tier-sources.js';
import { defaultModelFor, findTier } from '../domain/tiers.js';
import { grantMemberAllowances } from './grant-member-allowances.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';
import type { Balance, Ledger } from './ports/ledger.js';

export type { Balance };

export interface ShowBalanceDeps {
  readonly ledger: Ledger;
  readonly guildSettings: GuildSettingsStore;
  readonly card: PriceCard;
  readonly now: () => Date;
}

export interface ShowBalanceInput {
  readonly userId: string;
  readonly guildId: string;
  readonly roleIds: readonly string[];
  /** Another member whose credits in this guild the asker wants to see. */
  readonly otherUserId?: string | undefined;
  /** The asker manages this guild (Discord's Manage Server, as computed for the interaction). */
  readonly askerIsAdmin: boolean;
}

export type ShownBalance =
  | {
      readonly kind: 'own';
      readonly balance: Balance;
      readonly creditsPerDollar: number;
      /** The member's tier; undefined when today's allowances could not be granted (the balance is then as it stood). */
      readonly tier: Tier | undefined;
      /** Where the tier comes from: the default, a role, or a plan (which, and when it renews or ends). */
      readonly tierSource: TierSource | undefined;
      /** The tier a plan's pending downgrade moves to at renewal. */
      readonly renewalTier: Tier | undefined;
      /** Price of one image at the tier's default model, to say what the balance buys. */
      readonly unitPrice: number | null;
    }
  /** Another member's credits, for an admin: read only (looking grants them nothing). */
  | { readonly kind: 'other'; readonly balance: Balance; readonly creditsPerDollar: number }
  | { readonly kind: 'not_admin' };

/**
 * /balance: every bucket of the member's own credits, granting what they are due today first.
 * Server admins may look at another member's credits in this guild, read only.
 */
export async function showBalance(deps: ShowBalanceDeps, input: ShowBalanceInput): Promise<ShownBalance> {
  const { card } = deps;
  if (input.otherUserId !== undefined && input.otherUserId !== input.userId) {
    if (!input.askerIsAdmin) return { kind: 'not_admin' };
    return { kind: 'other', balance: await deps.ledger.guildBalance(input.otherUserId, input.guildId), creditsPerDollar: card.creditsPerDollar };
  }
  const [roleTiers, config] = await Promise.all([deps.guildSettings.roleTiers(input.guildId), deps.guildSettings.config(input.guildId)]);
  const allowances = await grantMemberAllowances({
    ledger: deps.ledger,
    card,
    now: deps.now(),
    userId: input.userId,
    guildId: input.guildId,
    roleIds: input.roleIds,
    roleTiers,
    ...freeDailyOf(config),
  });
  const balance = allowances.ok ? allowances.value.balance : await deps.ledger.balance(input.userId, input.guildId);
  const tier = allowances.ok ? allowances.value.tier : undefined;
  const tierSource = allowances.ok ? allowances.value.tierSource : undefined;
  const renewalName = tierSource?.kind === 'subscription' ? tierSource.subscription.renewalTierName : null;
  const model = tier ? defaultModelFor(card, tier) : undefined;
  const unit = tier && model ? quote(card, { model }, tier) : undefined;
  return {
    kind: 'own',
    balance,
    creditsPerDollar: card.creditsPerDollar,
    tier,
    tierSource,
    renewalTier: renewalName === null ? undefined : findTier(card, renewalName),
    unitPrice: unit?.ok ? unit.value.unitPrice : null,
  };
}
