import { type ChatInputCommandInteraction } from 'discord.js';
import { memberRoleIds, type HandlerContext } from '../handler-context.js';
import { renderSettings } from '../render/settings-reply.js';

const outcomeText = { shown: undefined, saved: 'Saved.', reset: 'Reset: every setting is back to its default.' } as const;

/**
 * `/settings [model] [size] [auto-confirm] [low-balance-warning] [lane] [daily-cap] [monthly-cap] [reset]`, always private.
 * No options: show. Otherwise validate every option first; one bad option changes nothing.
 */
export async function handleSettings(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const { options } = interaction;
  const changed = await ctx.useCases.changeMemberSettings({
    userId: interaction.user.id,
    guildId: interaction.guildId,
    roleIds: memberRoleIds(interaction.member),
    change: {
      model: options.getString('model') ?? undefined,
      size: options.getString('size') ?? undefined,
      autoConfirm: options.getInteger('auto-confirm') ?? undefined,
      lowBalanceWarning: options.getInteger('low-balance-warning') ?? undefined,
      lane: options.getString('lane') ?? undefined,
      dailyCap: options.getString('daily-cap') ?? undefined,
      monthlyCap: options.getString('monthly-cap') ?? undefined,
    },
    reset: options.getBoolean('reset') === true,
  });
  if (!changed.ok) {
    await interaction.editReply({ content: `${changed.error} Nothing was changed.` });
    return;
  }
  const { outcome, card, tier, settings, spent, serverCaps } = changed.value;
  const content = outcomeText[outcome];
  await interaction.editReply({ ...(content === undefined ? {} : { content }), embeds: [renderSettings(card, tier, settings, { spent, serverCaps })] });
}
