import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { aspectOption, laneOption, maxPromptLength, sizeOption, stepsOption } from './imagine.js';

/** `/batch`: several prompts, same settings, one discounted quote, delivered together. */
export const batch = {
  type: ApplicationCommandType.ChatInput,
  name: 'batch',
  description: 'Several prompts as one discounted batch — one image each, delivered together',
  dm_permission: false,
  options: [
    // Slash options are single-line in Discord's client, so "|" is what members can actually type.
    {
      type: ApplicationCommandOptionType.String,
      name: 'prompts',
      description: 'Prompts separated by | (e.g. a red fox | a blue whale | a green owl)',
      required: true,
      min_length: 3,
      max_length: 6000,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'model',
      description: 'Model (see /pricing); default: yours from /settings',
      required: false,
      max_length: 40,
    },
    sizeOption,
    aspectOption,
    stepsOption,
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'seed',
      description: 'Seed, to repeat a result (image n uses seed + n - 1)',
      required: false,
      min_value: 0,
      max_value: 4_294_967_295,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'negative',
      description: 'What to keep out of every image',
      required: false,
      max_length: maxPromptLength,
    },
    laneOption,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
