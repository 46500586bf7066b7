import { ApplicationCommandOptionType, ChannelType, type APIApplicationCommandSubcommandGroupOption } from 'discord.js';

const reason = {
  type: ApplicationCommandOptionType.String,
  name: 'reason',
  description: 'Why (kept in the audit log)',
  required: false,
  max_length: 200,
} as const;

/** Where images may be made: text, announcement and forum channels (threads follow their parent). */
const generatingChannelTypes: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
];

/**
 * `/admin config …`: the guild's own settings. One subcommand group of the `/admin` command
 * (commands/admin.ts); handled by src/discord/handlers/admin-config.ts. Every change is audited.
 */
export const adminConfigGroup = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  name: 'config',
  description: 'Server settings: free credits, channels, limits, moderation, NSFW, spoilers',
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show this server’s settings' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'free-daily',
      description: 'Free credits each member gets per day (empty: the bot’s default)',
      options: [
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'amount',
          description: 'Credits per member per day',
          required: false,
          min_value: 0,
          max_value: 10_000,
        },
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'channel-allow',
      description: 'Allow making images in a channel (once any is set, only there)',
      options: [
        { type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'The channel', required: true, channel_types: generatingChannelTypes },
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'channel-disallow',
      description: 'Remove a channel from the allowed list',
      options: [
        { type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'The channel', required: true, channel_types: generatingChannelTypes },
        reason,
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'channels-clear', description: 'Allow making images in every channel again', options: [reason] },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'job-limit',
      description: 'Most jobs one member may run at once (empty: the tier’s limit)',
      options: [
        { type: ApplicationCommandOptionType.Integer, name: 'count', description: 'Jobs at once per member', required: false, min_value: 1, max_value: 50 },
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'ban-word',
      description: 'Refuse prompts containing this word or phrase (whole words, any case)',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'word', description: 'Word or phrase', required: true, min_length: 1, max_length: 50 },
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'unban-word',
      description: 'Allow a banned word or phrase again',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'word', description: 'Word or phrase', required: true, min_length: 1, max_length: 50 },
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'ban-pattern',
      description: 'Refuse prompts matching a regular expression (case-insensitive)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'regex',
          description: 'Regular expression in RE2 syntax (no lookaround or backreferences), up to 200 characters',
          required: true,
          min_length: 1,
          max_length: 200,
        },
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'unban-pattern',
      description: 'Remove a banned pattern',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'regex',
          description: 'The pattern, or its number from /admin config show',
          required: true,
          min_length: 1,
          max_length: 200,
        },
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'nsfw',
      description: 'Whether the safety filter may be off in age-restricted channels',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'mode',
          description: 'NSFW policy',
          required: true,
          choices: [
            { name: 'blocked everywhere (default)', value: 'blocked' },
            { name: 'allowed in age-restricted channels only', value: 'age-restricted-channels' },
          ],
        },
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'spoiler',
      description: 'Post results as spoilers (blurred until clicked)',
      options: [{ type: ApplicationCommandOptionType.Boolean, name: 'on', description: 'Spoiler results', required: true }, reason],
    },
  ],
} as const satisfies APIApplicationCommandSubcommandGroupOption;
