import { EmbedBuilder } from 'discord.js';
import type { PriceCard, Tier } from '../../domain/pricing/price-card-schema.js';
import { formatSize, resolveSize } from '../../domain/pricing/sizes.js';
import { applyMemberDefaults, usableDefaultModel, type MemberSettings } from '../../domain/settings/member-settings.js';
import { defaultModelFor } from '../../domain/tiers.js';
import { defaultLaneFor, laneLabel } from '../../domain/lanes/lanes.js';
import type { Lane } from '../../domain/pricing/card-terms.js';

/** The member's settings, each with what it falls back to when unset (or no longer usable). */
export function renderSettings(card: PriceCard, tier: Tier, settings: MemberSettings): EmbedBuilder {
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

  return new EmbedBuilder()
    .setTitle('Your settings in this server')
    .addFields(
      { name: 'Default model', value: model },
      { name: 'Default size', value: size },
      { name: 'Speed lane', value: lane },
      { name: 'Auto-confirm', value: auto },
      { name: 'Low-balance warning', value: warning },
    )
    .setFooter({
      text: 'Change one with /settings model:… size:… lane:… auto-confirm:… low-balance-warning:… — or reset:True. Options you type in /imagine always win.',
    });
}
