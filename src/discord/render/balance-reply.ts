import { EmbedBuilder, time, TimestampStyles } from 'discord.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { Balance } from '../../use-cases/show-balance.js';

export interface BalanceView {
  readonly balance: Balance;
  readonly tierLabel: string;
  readonly creditsPerDollar: number;
  /** Price of one image at the member's defaults, to say what the balance buys. */
  readonly unitPrice: number | null;
  readonly memberName: string;
}

const until = (date: Date | null) => (date ? ` · resets ${time(date, TimestampStyles.RelativeTime)}` : '');

export function renderBalance(view: BalanceView): EmbedBuilder {
  const { buckets, available, held } = view.balance;
  const buys = view.unitPrice ? ` — about ${Math.floor(available / view.unitPrice)} images at your defaults` : '';
  return new EmbedBuilder()
    .setTitle(`${view.memberName}: ${available} credits (${formatUsd(available / view.creditsPerDollar)})`)
    .setDescription(`Spent soonest-expiring first${buys}.`)
    .addFields(
      { name: 'Free today', value: `${buckets.free.available}${until(buckets.free.nextExpiry)}`, inline: true },
      { name: `Tier: ${view.tierLabel}`, value: `${buckets.tier.available}${until(buckets.tier.nextExpiry)}`, inline: true },
      { name: 'Gifts', value: `${buckets.grant.available}`, inline: true },
      { name: 'Top-ups', value: `${buckets.topup.available} (never expire)`, inline: true },
      { name: 'Held by running jobs', value: `${held}`, inline: true },
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
    .setTitle(`${view.memberName}: ${here} credits from this server (${formatUsd(here / view.creditsPerDollar)})`)
    .setDescription('As of their last use of the bot (looking grants them nothing). Credits they bought are theirs alone and not shown.')
    .addFields(
      { name: 'Free today', value: `${buckets.free.available}${until(buckets.free.nextExpiry)}`, inline: true },
      { name: 'Tier allowance', value: `${buckets.tier.available}${until(buckets.tier.nextExpiry)}`, inline: true },
      { name: 'Gifts', value: `${buckets.grant.available}`, inline: true },
      { name: 'Held by their running jobs here', value: `${held}`, inline: true },
    );
}
