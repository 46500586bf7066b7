import { EmbedBuilder, time, TimestampStyles } from 'discord.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { Balance } from '../../use-cases/ports/ledger.js';

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
