import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** `/show job`: brings back a past job's images with working buttons (owner, or server admins). */
export const show = {
  type: ApplicationCommandType.ChatInput,
  name: 'show',
  description: 'Bring back something you made',
  dm_permission: false,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'job',
      description: 'A past job’s images and buttons',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'id',
          description: 'The job (start typing its prompt)',
          required: true,
          autocomplete: true,
          max_length: 100,
        },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
