import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { quote } from '../../domain/pricing/quote.js';
import { defaultModelFor } from '../../domain/tiers.js';
import { grantMemberAllowances } from '../../use-cases/grant-member-allowances.js';
import { memberRoleIds, type BotDeps } from '../bot-deps.js';
import { freeDailyOf } from '../../domain/guild-config.js';
import { renderBalance, renderOthersBalance } from '../render/balance-reply.js';

/**
 * `/balance [member]`: every bucket of your own credits (granting what you are due today first);
 * server admins (Manage Server) may look at another member's credits in this server — read only
 * (looking grants them nothing), and without their purchases, which are theirs across every server.
 */
export async function handleBalance(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const other = interaction.options.getUser('member');
  if (other && other.id !== interaction.user.id) {
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
      await interaction.editReply({ content: 'Only server admins (Manage Server) can see another member’s balance.' });
      return;
    }
    const balance = await deps.ledger.balance(other.id, interaction.guildId);
    await interaction.editReply({ embeds: [renderOthersBalance({ balance, creditsPerDollar: deps.card.creditsPerDollar, memberName: other.username })] });
    return;
  }
  const allowances = await grantMemberAllowances({
    ledger: deps.ledger, card: deps.card, now: deps.now(), userId: interaction.user.id, guildId: interaction.guildId,
    roleIds: memberRoleIds(interaction.member), roleTiers: await deps.guildSettings.roleTiers(interaction.guildId),
    ...freeDailyOf(await deps.guildSettings.config(interaction.guildId)),
  });
  const balance = allowances.ok ? allowances.value.balance : await deps.ledger.balance(interaction.user.id, interaction.guildId);
  const tier = allowances.ok ? allowances.value.tier : undefined;
  const model = tier ? defaultModelFor(deps.card, tier) : undefined;
  const unit = tier && model ? quote(deps.card, { model }, tier) : undefined;
  await interaction.editReply({
    embeds: [renderBalance({
      balance, tierLabel: tier?.label ?? 'none', creditsPerDollar: deps.card.creditsPerDollar,
      unitPrice: unit?.ok ? unit.value.unitPrice : null, memberName: interaction.user.username,
    })],
  });
}
