import { EmbedBuilder, time, TimestampStyles } from 'discord.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { TierSource } from '../../domain/subscriptions/tier-sources.js';
import type { Balance } from '../../use-cases/show-balance.js';

export interface BalanceView {
  readonly balance: Balance;
  readonly tierLabel: string;
  /** Where the tier comes from; undefined when it could not be decided (the balance is as it stood). */
  readonly tierSource?: TierSource | undefined;
  /** Label of the tier a pending downgrade moves to at renewal. */
  readonly renewalTierLabel?: string | undefined;
  readonly creditsPerDollar: number;
  /** Price of one image at the member's defaults, to say what the balance buys. */
  readonly unitPrice: number | null;
  readonly memberName: string;
}

/**
 * When a bucket's credits go: "expire" rather than "reset", because tier credits may roll over
 * (several periods' lots at once: the soonest is named) and gifts may expire or not.
 */
const expiry = (bucket: { readonly available: number; readonly nextExpiry: Date | null }, ifNone = '') =>
  bucket.available === 0 ? '' : bucket.nextExpiry ? ` · soonest expire ${time(bucket.nextExpiry, TimestampStyles.RelativeTime)}` : ifNone;

const sellerName = { discord: 'Discord', stripe: 'card' } as const;

/** "Your tier: **Pro** — your Discord plan, renews in 6 days.": which source gives it, and until when. */
export function tierSourceLine(tierLabel: string, source: TierSource | undefined, renewalTierLabel?: string): string {
  const tier = `Your tier: **${tierLabel}**`;
  if (!source || source.kind === 'default') return `${tier}.`;
  if (source.kind === 'role') return `${tier} — from your role in this server.`;
  const plan = source.subscription;
  const whose = plan.scope === 'guild' ? "this server's plan" : `your ${sellerName[plan.source]} plan`;
  const when = time(plan.periodEnd, TimestampStyles.RelativeTime);
  const until = plan.status === 'ending' ? `cancelled, ends ${when}` : `renews ${when}${renewalTierLabel ? ` as ${renewalTierLabel}` : ''}`;
  return `${tier} — ${whose} (${plan.interval}ly), ${until}.`;
}

export function renderBalance(view: BalanceView): EmbedBuilder {
  const { buckets, available, held } = view.balance;
  const buys = view.unitPrice ? ` — about ${Math.floor(available / view.unitPrice)} images at your defaults` : '';
  return (
    new EmbedBuilder()
      // Credits, not dollars: free, tier and gifted credits were never money; only top-ups were bought.
      .setTitle(`${view.memberName}: ${available} credits`)
      .setDescription(`${tierSourceLine(view.tierLabel, view.tierSource, view.renewalTierLabel)}\nSpent soonest-expiring first${buys}.`)
      .addFields(
        { name: 'Free today', value: `${buckets.free.available}${expiry(buckets.free)}`, inline: true },
        { name: `Tier: ${view.tierLabel}`, value: `${buckets.tier.available}${expiry(buckets.tier)}`, inline: true },
        { name: 'Gifts', value: `${buckets.grant.available}${expiry(buckets.grant, ' · never expire')}`, inline: true },
        {
          name: 'Top-ups',
          value: `${buckets.topup.available}${buckets.topup.available > 0 ? ` (bought: ${formatUsd(buckets.topup.available / view.creditsPerDollar)} at the base rate; never expire)` : ' (never expire)'}`,
          inline: true,
        },
        { name: 'Held by running jobs', value: `${held}`, inline: true },
      )
  );
}

export interface OthersBalanceView {
  readonly balance: Balance;
  readonly creditsPerDollar: number;
  readonly memberName: string;
}

/**
 * Another member's credits in this server, for an admin: what this server gave them (free, tier,
 * gifts) and what their jobs here hold. Their purchases are left out — they are the member's own,
 * across every server, and would tell this server's admin what they bought elsewhere.
 */
export function renderOthersBalance(view: OthersBalanceView): EmbedBuilder {
  const { buckets, held } = view.balance;
  const here = buckets.free.available + buckets.tier.available + buckets.grant.available;
  return new EmbedBuilder()
    .setTitle(`${view.memberName}: ${here} credits from this server`)
    .setDescription('As of their last use of the bot (looking grants them nothing). Credits they bought are theirs alone and not shown.')
    .addFields(
      { name: 'Free today', value: `${buckets.free.available}${expiry(buckets.free)}`, inline: true },
      { name: 'Tier allowance', value: `${buckets.tier.available}${expiry(buckets.tier)}`, inline: true },
      { name: 'Gifts', value: `${buckets.grant.available}${expiry(buckets.grant, ' · never expire')}`, inline: true },
      { name: 'Held by their running jobs here', value: `${held}`, inline: true },
    );
}
