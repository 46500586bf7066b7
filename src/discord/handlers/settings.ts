import { type ChatInputCommandInteraction } from 'discord.js';
import { defaultMemberSettings, validateSettingsChange, type SettingsInput } from '../../domain/settings/member-settings.js';
import { resolveMemberTier } from '../../domain/tiers.js';
import { memberRoleIds, type BotDeps } from '../bot-deps.js';
import { renderSettings } from '../render/settings-reply.js';

/**
 * `/settings [model] [size] [auto-confirm] [low-balance-warning] [reset]`, always private.
 * No options: show. Otherwise validate every option first; one bad option changes nothing.
 */
export async function handleSettings(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const { user, guildId, options } = interaction;
  const input: SettingsInput = {
    model: options.getString('model') ?? undefined,
    size: options.getString('size') ?? undefined,
    autoConfirm: options.getInteger('auto-confirm') ?? undefined,
    lowBalanceWarning: options.getInteger('low-balance-warning') ?? undefined,
  };
  const reset = options.getBoolean('reset') === true;
  const [current, roleTiers] = await Promise.all([deps.memberSettings.get(user.id, guildId), deps.guildSettings.roleTiers(guildId)]);
  const tier = resolveMemberTier(deps.card, memberRoleIds(interaction.member), roleTiers);
  const changing = Object.values(input).some((value) => value !== undefined);
  if (!changing && !reset) {
    await interaction.editReply({ embeds: [renderSettings(deps.card, tier, current)] });
    return;
  }
  // A reset applies first, so "reset + model" means "defaults, but this model".
  const base = reset ? defaultMemberSettings : current;
  const change = validateSettingsChange(deps.card, tier, base, input);
  if (!change.ok) {
    await interaction.editReply({ content: `${change.error} Nothing was changed.` });
    return;
  }
  if (reset) await deps.memberSettings.reset(user.id, guildId);
  const saved = changing ? await deps.memberSettings.update(user.id, guildId, change.value) : defaultMemberSettings;
  await interaction.editReply({
    content: reset && !changing ? 'Reset: every setting is back to its default.' : 'Saved.',
    embeds: [renderSettings(deps.card, tier, saved)],
  });
}
