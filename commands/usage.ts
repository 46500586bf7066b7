import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** `/usage [days] [model]`: spend by model and operation, refunds, kept images, and a chart. */
export const usage = {
  type: ApplicationCommandType.ChatInput,
  name: 'usage',
  description: 'What you spent by model, refunds, images kept, with a chart of spend per day',
  dm_permission: false,
  options: [
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'days',
      description: 'How many days back (1–365, default 30)',
      required: false,
      min_value: 1,
      max_value: 365,
    },
    { type: ApplicationCommandOptionType.String, name: 'model', description: 'Only this model', required: false },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
