import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { memberRoleIds, type HandlerContext } from '../handler-context.js';
import { renderBalance, renderOthersBalance } from '../render/balance-reply.js';

/**
 * `/balance [member]`: every bucket of your own credits (granting what you are due today first);
 * server admins (Manage Server) may look at another member's credits in this server — read only
 * (looking grants them nothing), and without their purchases, which are theirs across every server.
 */
export async function handleBalance(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const other = interaction.options.getUser('member');
  const shown = await ctx.useCases.showBalance({
    userId: interaction.user.id,
    guildId: interaction.guildId,
    roleIds: memberRoleIds(interaction.member),
    otherUserId: other?.id,
    askerIsAdmin: interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild),
  });
  switch (shown.kind) {
    case 'not_admin':
      await interaction.editReply({ content: 'Only server admins (Manage Server) can see another member’s balance.' });
      return;
    case 'other':
      await interaction.editReply({
        embeds: [renderOthersBalance({ balance: shown.balance, creditsPerDollar: shown.creditsPerDollar, memberName: other?.username ?? '' })],
      });
      return;
    case 'own':
      await interaction.editReply({
        embeds: [
          renderBalance({
            balance: shown.balance,
            tierLabel: shown.tier?.label ?? 'none',
            tierSource: shown.tierSource,
            renewalTierLabel: shown.renewalTier?.label,
            creditsPerDollar: shown.creditsPerDollar,
            unitPrice: shown.unitPrice,
            memberName: interaction.user.username,
          }),
        ],
      });
  }
}
