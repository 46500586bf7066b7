import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  PermissionFlagsBits,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { adminConfigGroup } from './admin-config.js';
import { budgetGroup, capsGroup } from './admin-limits.js';

// Reasons land in the ledger and the audit log, whose fields hold at most 200 characters.
const reason = (required: boolean) =>
  ({ type: ApplicationCommandOptionType.String, name: 'reason', description: 'Why (kept in the ledger / audit log)', required, max_length: 200 }) as const;

const tierGroup = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  name: 'tier',
  description: 'Which roles give which price-card tier',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'set',
      description: 'Members with this role get this tier',
      options: [
        { type: ApplicationCommandOptionType.Role, name: 'role', description: 'The role', required: true },
        {
          type: ApplicationCommandOptionType.String,
          name: 'tier',
          description: 'A tier from the price card (e.g. starter, pro)',
          required: true,
          max_length: 50,
          autocomplete: true,
        },
        reason(false),
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'This role no longer gives a tier',
      options: [{ type: ApplicationCommandOptionType.Role, name: 'role', description: 'The role', required: true }, reason(false)],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Roles and their tiers, with each tier’s allowance' },
  ],
} as const satisfies APIApplicationCommandSubcommandGroupOption;

const creditsGroup = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  name: 'credits',
  description: 'Gift or take back credits in this server',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'grant',
      description: 'Gift credits to a member (operators, or admins where allowed)',
      options: [
        { type: ApplicationCommandOptionType.User, name: 'member', description: 'Who receives them', required: true },
        { type: ApplicationCommandOptionType.Integer, name: 'amount', description: 'Credits to gift', required: true, min_value: 1, max_value: 1_000_000 },
        reason(false),
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'expires-in-days',
          description: 'Expire after this many days (default: never)',
          required: false,
          min_value: 1,
          max_value: 3650,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'revoke',
      description: 'Take back unspent gifted credits',
      options: [
        { type: ApplicationCommandOptionType.User, name: 'member', description: 'From whom', required: true },
        { type: ApplicationCommandOptionType.Integer, name: 'amount', description: 'Credits to take back', required: true, min_value: 1, max_value: 1_000_000 },
        reason(true),
      ],
    },
  ],
} as const satisfies APIApplicationCommandSubcommandGroupOption;

const statsSubcommand = {
  type: ApplicationCommandOptionType.Subcommand,
  name: 'stats',
  description: 'Spend by model, provider cost vs credits charged, refunds, top spenders',
  options: [
    { type: ApplicationCommandOptionType.Integer, name: 'days', description: 'Period in days (default 30)', required: false, min_value: 1, max_value: 365 },
  ],
} as const satisfies APIApplicationCommandSubcommandOption;

const refundSubcommand = {
  type: ApplicationCommandOptionType.Subcommand,
  name: 'refund',
  description: 'Give a finished job’s credits back to its owner (once)',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'job',
      description: 'The job id (from the result’s buttons or /history)',
      required: true,
      max_length: 64,
    },
    reason(true),
  ],
} as const satisfies APIApplicationCommandSubcommandOption;

/** /admin's subcommand groups; another group (e.g. config) is one more entry here. */
export const adminGroups: APIApplicationCommandSubcommandGroupOption[] = [tierGroup, creditsGroup, adminConfigGroup, capsGroup, budgetGroup];
export const adminSubcommands: APIApplicationCommandSubcommandOption[] = [statsSubcommand, refundSubcommand];

/**
 * `/admin`: hidden from members without Manage Server by default. Admins can change that in the
 * server's Integrations settings, so every handler checks Manage Server again at run time.
 */
export const admin = {
  type: ApplicationCommandType.ChatInput,
  name: 'admin',
  description: 'Server admin: tiers, credits, config, caps, budget, stats, refunds',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  dm_permission: false,
  options: [...adminGroups, ...adminSubcommands],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
