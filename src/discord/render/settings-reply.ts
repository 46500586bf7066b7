import { EmbedBuilder } from 'discord.js';
import type { PriceCard, Tier } from '../../domain/pricing/price-card-schema.js';
import { formatSize, resolveSize } from '../../domain/pricing/sizes.js';
import { applyMemberDefaults, usableDefaultModel, type MemberSettings } from '../../domain/settings/member-settings.js';
import { defaultModelFor } from '../../domain/tiers.js';

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

  const cap = (value: number | null, period: string) => (value === null ? `no ${period} cap` : `at most **${value}** credits a ${period}`);
  const caps =
    settings.dailyCap === null && settings.monthlyCap === null
      ? 'off (default) — server admins may still set caps for you'
      : `${cap(settings.dailyCap, 'day')}, ${cap(settings.monthlyCap, 'month')} in this server (UTC); a job that would pass one is refused and nothing is charged`;

  return new EmbedBuilder()
    .setTitle('Your settings in this server')
    .addFields(
      { name: 'Default model', value: model },
      { name: 'Default size', value: size },
      { name: 'Auto-confirm', value: auto },
      { name: 'Low-balance warning', value: warning },
      { name: 'Spending caps', value: caps },
    )
    .setFooter({
      text: 'Change one with /settings model:… size:… auto-confirm:… low-balance-warning:… daily-cap:… monthly-cap:… ("off" removes a cap) — or reset:True. Options you type in /imagine always win.',
    });
}
