import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** `/topup`: the credit packs, their bulk discount, and a way to buy each. */
export const topup = {
  type: ApplicationCommandType.ChatInput,
  name: 'topup',
  description: 'Buy credits: packs that never expire and work in every server',
  dm_permission: false,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
