import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** `/subscribe`: the plans that sell tiers — their credits, prices and periods — and a way to buy each. */
export const subscribe = {
  type: ApplicationCommandType.ChatInput,
  name: 'subscribe',
  description: "Plans: a tier's credits every week or year, renewing on the day you buy",
  dm_permission: false,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
