import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** `/balance`: every bucket of credits, what running jobs hold, and what it buys. */
export const balance = {
  type: ApplicationCommandType.ChatInput,
  name: 'balance',
  description: 'Your credits: free today, tier, top-ups, held by running jobs',
  dm_permission: false,
  options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'Admins: see another member', required: false }],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
