import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { maxPromptLength } from './imagine.js';

/**
 * `/edit`: Vary (Region) with a mask the member made (nobody can draw in Discord, but anyone can
 * upload a picture). The other edits are buttons under each result (its Edit button).
 */
export const edit = {
  type: ApplicationCommandType.ChatInput,
  name: 'edit',
  description: 'Repaint part of one of your images: upload a mask, white where it should change',
  dm_permission: false,
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'job',
      description: 'The job (start typing its prompt)',
      required: true,
      autocomplete: true,
      max_length: 100,
    },
    {
      type: ApplicationCommandOptionType.Attachment,
      name: 'mask',
      description: 'Black-and-white PNG, JPEG or WebP the size of the image: white is repainted',
      required: true,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'image',
      description: 'Which image of the job (default 1)',
      required: false,
      min_value: 1,
      max_value: 10,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'prompt',
      description: 'What to paint there (default: the image’s own prompt)',
      required: false,
      max_length: maxPromptLength,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
