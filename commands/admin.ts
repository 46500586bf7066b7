import { ApplicationCommandType, PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { adminConfigGroup } from './admin-config.js';

/**
 * `/admin`: server admins only. Hidden from members without Manage Server by default (admins can
 * change that in Integrations, so every handler checks again at run time).
 */
export const admin = {
  type: ApplicationCommandType.ChatInput,
  name: 'admin',
  description: 'Server admin tools',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  dm_permission: false,
  options: [adminConfigGroup],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
