import { ApplicationCommandOptionType, ChannelType, type APIApplicationCommandSubcommandGroupOption } from 'discord.js';

// Caps are typed as text: "off" removes one, and a typo gets a sentence rather than Discord's red box.
const capOption = (name: 'daily' | 'monthly') =>
  ({
    type: ApplicationCommandOptionType.String,
    name,
    description: `Most credits a ${name === 'daily' ? 'day' : 'month'} (UTC) in this server, or "off"`,
    required: false,
    max_length: 12,
  }) as const;
const reason = {
  type: ApplicationCommandOptionType.String,
  name: 'reason',
  description: 'Why (kept in the audit log)',
  required: false,
  max_length: 200,
} as const;

/** `/admin caps member|role|list`: what members may spend per day and month in this server. */
export const capsGroup = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  name: 'caps',
  description: 'Spending caps per member or per role',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'member',
      description: 'Cap one member (wins over their roles’ caps)',
      options: [
        { type: ApplicationCommandOptionType.User, name: 'member', description: 'The member', required: true },
        capOption('daily'),
        capOption('monthly'),
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'role',
      description: 'Cap members with this role (@everyone: every member)',
      options: [
        { type: ApplicationCommandOptionType.Role, name: 'role', description: 'The role', required: true },
        capOption('daily'),
        capOption('monthly'),
        reason,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Remove the caps of a member (they follow their roles again) or of a role',
      options: [
        { type: ApplicationCommandOptionType.User, name: 'member', description: 'The member', required: false },
        { type: ApplicationCommandOptionType.Role, name: 'role', description: 'The role', required: false },
        reason,
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Every cap in this server' },
  ],
} as const satisfies APIApplicationCommandSubcommandGroupOption;

/** `/admin budget show|set|clear|alerts`: what the server may spend per month. */
export const budgetGroup = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  name: 'budget',
  description: 'The server’s monthly budget and its alerts',
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'The budget, this month’s spending and where alerts go' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'set',
      description: 'Set the monthly budget (the operator, or the server owner where allowed)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'amount',
          description: 'Credits (e.g. 5000) or provider dollars (e.g. $25)',
          required: true,
          max_length: 20,
        },
        reason,
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'clear', description: 'Remove the monthly budget', options: [reason] },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'alerts',
      description: 'Where the 80% and 100% alerts go (no channel: a DM to the server owner)',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'A text channel the bot can post in',
          required: false,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        reason,
      ],
    },
  ],
} as const satisfies APIApplicationCommandSubcommandGroupOption;
