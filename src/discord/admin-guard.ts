import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';

/**
 * The run-time half of the admin check. Discord's default member permissions on a command can be
 * overridden by any server admin (Integrations settings), so every admin handler calls this too:
 * the member must have Manage Server in *this* guild, as Discord computed it for this interaction.
 * Replies with the refusal and returns false otherwise.
 */
export async function requireManageGuild(interaction: ChatInputCommandInteraction<'cached' | 'raw'>): Promise<boolean> {
  if (interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return true;
  await interaction.editReply({ content: 'Only server admins (Manage Server) can do that.' });
  return false;
}
