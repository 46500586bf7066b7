import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type APIApplicationCommandOptionChoice,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/** Discord allows 6000 characters in an option; image models choke long before. */
export const maxPromptLength = 1500;

/** The size and steps options, the same on /imagine and /batch. */
export const sizeOption = {
  type: ApplicationCommandOptionType.String,
  name: 'size',
  description: 'WIDTHxHEIGHT or an aspect ratio like 16:9',
  required: false,
  max_length: 12,
} as const;
/**
 * An aspect ratio to pick from, beside the free `size`: it maps to the model's listed size with
 * the nearest ratio (within 5%), so it never asks a model for a size it does not make. The same
 * ratios as COMMON_ASPECT_RATIOS in src/domain/pricing/sizes.ts (a test keeps them in step).
 */
export const aspectRatioChoices = ['1:1', '16:9', '9:16', '3:2', '2:3', '4:3', '3:4', '21:9', '9:21'] as const;
export const aspectOption = {
  type: ApplicationCommandOptionType.String,
  name: 'aspect',
  description: 'Aspect ratio: the model’s size nearest to it (or give an exact size)',
  required: false,
  choices: aspectRatioChoices.map((ratio) => ({ name: ratio, value: ratio })),
} as const;
export const stepsOption = {
  type: ApplicationCommandOptionType.Integer,
  name: 'steps',
  description: 'Diffusion steps (more: slower and pricier)',
  required: false,
  min_value: 1,
  max_value: 150,
} as const;

/** The speed lanes as Discord choices (the price card says which a tier offers, and at what factor). */
export const laneChoices: APIApplicationCommandOptionChoice<string>[] = [
  { name: 'Relax — waits behind paying jobs, cheap or free', value: 'relax' },
  { name: 'Fast — the standard queue and price', value: 'fast' },
  { name: 'Turbo — ahead of every Fast job, costs more', value: 'turbo' },
];
export const laneOption = {
  type: ApplicationCommandOptionType.String,
  name: 'lane',
  description: 'Speed lane (default: yours from /settings, else Fast)',
  required: false,
  choices: laneChoices,
} as const;

/** `/imagine`: quote an image (price, breakdown, balance after) with Generate / Cancel buttons. */
export const imagine = {
  type: ApplicationCommandType.ChatInput,
  name: 'imagine',
  description: 'Make an image from a prompt — you see the exact price before anything runs',
  dm_permission: false,
  options: [
    { type: ApplicationCommandOptionType.String, name: 'prompt', description: 'What to draw', required: true, min_length: 1, max_length: maxPromptLength },
    {
      type: ApplicationCommandOptionType.String,
      name: 'model',
      description: 'Model (see /pricing); default: the fastest your tier allows',
      required: false,
      max_length: 40,
    },
    sizeOption,
    aspectOption,
    stepsOption,
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'count',
      description: 'Images in one batch (batches cost less per image)',
      required: false,
      min_value: 1,
      max_value: 16,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'seed',
      description: 'Seed, to repeat a result',
      required: false,
      min_value: 0,
      max_value: 4_294_967_295,
    },
    { type: ApplicationCommandOptionType.String, name: 'negative', description: 'What to keep out of the image', required: false, max_length: maxPromptLength },
    laneOption,
    { type: ApplicationCommandOptionType.Attachment, name: 'image', description: 'An image to start from (img2img; PNG, JPEG or WebP)', required: false },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
