import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { laneChoices } from './imagine.js';
import { MAX_AUTO_CONFIRM_CREDITS, MAX_LOW_BALANCE_WARNING } from '../src/domain/settings/member-settings.js';

/** `/settings`: without options shows yours; with options changes them (only what you give). */
export const settings = {
  type: ApplicationCommandType.ChatInput,
  name: 'settings',
  description: 'Your defaults here: model, size, lane, auto-confirm, low-balance warning, spending caps',
  dm_permission: false,
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'model',
      description: 'Default model for /imagine and /batch (see /pricing)',
      required: false,
      max_length: 40,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'size',
      description: 'Default size: WIDTHxHEIGHT or an aspect ratio like 16:9',
      required: false,
      max_length: 12,
    },
    // Integer options reject text and fractions in Discord's client; the handler checks again.
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'auto-confirm',
      description: 'Skip the quote for jobs costing at most this many credits (0 = always ask)',
      required: false,
      min_value: 0,
      max_value: MAX_AUTO_CONFIRM_CREDITS,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'low-balance-warning',
      description: 'Warn me when fewer credits than this are left (0 = off)',
      required: false,
      min_value: 0,
      max_value: MAX_LOW_BALANCE_WARNING,
    },
    // Strings, not integers: "off" removes a cap, and a typo gets a sentence instead of Discord's red box.
    {
      type: ApplicationCommandOptionType.String,
      name: 'daily-cap',
      description: 'The most credits you let yourself spend here per day (UTC), or "off"',
      required: false,
      max_length: 12,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'monthly-cap',
      description: 'The most credits you let yourself spend here per month (UTC), or "off"',
      required: false,
      max_length: 12,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'lane',
      description: 'Default speed lane for /imagine: Relax (slow, cheap or free), Fast, or Turbo (faster, costs more)',
      required: false,
      choices: laneChoices,
    },
    {
      type: ApplicationCommandOptionType.Boolean,
      name: 'reset',
      description: 'Back to every default (other options given are applied after)',
      required: false,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
