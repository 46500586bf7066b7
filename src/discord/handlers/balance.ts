import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { quote } from '../../domain/pricing/quote.js';
import { defaultModelFor } from '../../domain/tiers.js';
import { grantMemberAllowances } from '../../use-cases/grant-member-allowances.js';
import { memberRoleIds, type BotDeps } from '../bot-deps.js';
import { freeDailyOf } from '../../domain/guild-config.js';
import { renderBalance } from '../render/balance-reply.js';

/** `/balance [member]`: every bucket; admins (Manage Server) may look at another member. */
export async function handleBalance(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const other = interaction.options.getUser('member');
  if (other && other.id !== interaction.user.id && !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await interaction.editReply({ content: 'Only server admins (Manage Server) can see another member’s balance.' });
    return;
  }
  const target = other ?? interaction.user;
  // Another member's roles are not in this interaction; their tier shows from what was granted.
  const roleIds = target.id === interaction.user.id ? memberRoleIds(interaction.member) : [];
  const allowances = await grantMemberAllowances({
    ledger: deps.ledger, card: deps.card, now: deps.now(), userId: target.id, guildId: interaction.guildId,
    roleIds, roleTiers: await deps.guildSettings.roleTiers(interaction.guildId),
    ...freeDailyOf(await deps.guildSettings.config(interaction.guildId)),
  });
  const balance = allowances.ok ? allowances.value.balance : await deps.ledger.balance(target.id, interaction.guildId);
  const tier = allowances.ok ? allowances.value.tier : undefined;
  const model = tier ? defaultModelFor(deps.card, tier) : undefined;
  const unit = tier && model ? quote(deps.card, { model }, tier) : undefined;
  await interaction.editReply({
    embeds: [renderBalance({
      balance, tierLabel: tier?.label ?? 'none', creditsPerDollar: deps.card.creditsPerDollar,
      unitPrice: unit?.ok ? unit.value.unitPrice : null, memberName: target.username,
    })],
  });
}
