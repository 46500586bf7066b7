import { EmbedBuilder } from 'discord.js';
import type { PriceCard, Tier } from '../../domain/pricing/price-card-schema.js';
import { formatSize, resolveSize } from '../../domain/pricing/sizes.js';
import { applyMemberDefaults, usableDefaultModel, type MemberSettings } from '../../domain/settings/member-settings.js';
import { defaultModelFor } from '../../domain/tiers.js';
import { defaultLaneFor, laneLabel } from '../../domain/lanes/lanes.js';
import type { Lane } from '../../domain/pricing/card-terms.js';
import type { SpendingCaps } from '../../domain/spending/server-caps.js';

/** The member's settings, each with what it falls back to when unset (or no longer usable). */
/** What counts against caps, and the server's caps for the member, shown with their own. */
export interface CapsContext {
  readonly spent: { readonly day: number; readonly month: number };
  readonly serverCaps: SpendingCaps;
}

export function renderSettings(card: PriceCard, tier: Tier, settings: MemberSettings, context?: CapsContext): EmbedBuilder {
  const tierDefault = defaultModelFor(card, tier) ?? 'none';
  const { model: effectiveModel } = applyMemberDefaults(card, tier, {}, settings);
  const spec = card.models[effectiveModel];
  const modelFirstSize = spec?.sizes[0] ?? '?';

  let model = `not set — the first your tier (${tier.label}) allows: **${tierDefault}**`;
  if (settings.defaultModel !== null) {
    model = usableDefaultModel(card, tier, settings.defaultModel)
      ? `**${settings.defaultModel}**`
      : `${settings.defaultModel} — not available to your tier now, so **${tierDefault}** is used`;
  }

  let size = `not set — the model's first size: **${modelFirstSize}**`;
  if (settings.defaultSize !== null) {
    const resolved = spec ? resolveSize(settings.defaultSize, spec.sizes) : undefined;
    size = resolved
      ? `**${settings.defaultSize}**${settings.defaultSize.includes(':') ? ` (${formatSize(resolved)} on ${effectiveModel})` : ''}`
      : `${settings.defaultSize} — ${effectiveModel} does not offer it, so **${modelFirstSize}** is used`;
  }

  const auto =
    settings.autoConfirmMaxCredits > 0
      ? `jobs up to **${settings.autoConfirmMaxCredits}** credits start at once, without a quote`
      : 'off — every job shows its price first (default)';
  const warning = settings.lowBalanceWarningAt > 0 ? `after a job, when fewer than **${settings.lowBalanceWarningAt}** credits are left` : 'off (default)';

  const effectiveLane = defaultLaneFor(tier, settings.defaultLane);
  const laneText = (lane: Lane) => `**${laneLabel[lane]}** (${tier.lanes[lane] ?? 1}× price)`;
  let lane = `not set — ${laneText(effectiveLane)}`;
  if (settings.defaultLane !== null) {
    lane =
      settings.defaultLane === effectiveLane
        ? laneText(effectiveLane)
        : `${laneLabel[settings.defaultLane]} — not part of your tier now, so ${laneText(effectiveLane)} is used`;
  }
  const cap = (value: number | null, period: string) => (value === null ? `no ${period} cap` : `at most **${value}** credits a ${period}`);
  const own =
    settings.dailyCap === null && settings.monthlyCap === null
      ? 'off (default)'
      : `${cap(settings.dailyCap, 'day')}, ${cap(settings.monthlyCap, 'month')} in this server (UTC); a job that would pass one is refused and nothing is charged`;
  const server = context
    ? context.serverCaps.daily === null && context.serverCaps.monthly === null
      ? 'The server sets no caps for you.'
      : `The server's caps for you: ${cap(context.serverCaps.daily, 'day')}, ${cap(context.serverCaps.monthly, 'month')}.`
    : '';
  const spent = context ? `Spent or running here: **${context.spent.day}** today, **${context.spent.month}** this month.` : '';
  const caps = [own, server, spent].filter((line) => line !== '').join('\n');

  return new EmbedBuilder()
    .setTitle('Your settings in this server')
    .addFields(
      { name: 'Default model', value: model },
      { name: 'Default size', value: size },
      { name: 'Speed lane', value: lane },
      { name: 'Auto-confirm', value: auto },
      { name: 'Low-balance warning', value: warning },
      { name: 'Spending caps', value: caps },
    )
    .setFooter({
      text: 'Change one with /settings model:… size:… lane:… auto-confirm:… low-balance-warning:… daily-cap:… monthly-cap:… ("off" removes a cap) — or reset:True. Options you type in /imagine always win.',
    });
}
