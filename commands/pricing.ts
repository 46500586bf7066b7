import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** `/pricing`: the whole price card — rate, models, operations, batches, tiers, packs, refunds. */
export const pricing = {
  type: ApplicationCommandType.ChatInput,
  name: 'pricing',
  description: 'The price card: credits per dollar, model prices, batch discounts, tiers and packs',
  dm_permission: false,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
