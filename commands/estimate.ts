import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** `/estimate images-per-day [model] [size] [days]`: what a plan costs and which tier or pack covers it. */
export const estimate = {
  type: ApplicationCommandType.ChatInput,
  name: 'estimate',
  description: 'Plan ahead: what N images a day cost, with a buffer, and which tier or pack covers it',
  dm_permission: false,
  options: [
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'images-per-day',
      description: 'Images you expect to make each day (1–1000)',
      required: true,
      min_value: 1,
      max_value: 1000,
    },
    { type: ApplicationCommandOptionType.String, name: 'model', description: 'Model (default: the free tier’s model)', required: false },
    {
      type: ApplicationCommandOptionType.String,
      name: 'size',
      description: 'WIDTHxHEIGHT or an aspect ratio like 16:9 (default: the model’s first size)',
      required: false,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'days',
      description: 'How many days (1–365, default 30)',
      required: false,
      min_value: 1,
      max_value: 365,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
