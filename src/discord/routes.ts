// Which handler answers which interaction, as tables: slash commands by name (every registered
// command must have one, or this file does not compile), buttons by the scope their custom id
// starts with, autocomplete by command. A route may still decline an interaction it turns out not
// to know (a subcommand it has no handler for, a malformed or stale custom id): the router then
// gives the member the "not something I know" reply.
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { CommandName } from '../../commands/index.js';
import type { BotDeps } from './bot-deps.js';
import { handleAdminAutocomplete } from './handlers/admin/admin-autocomplete.js';
import { handleAdmin } from './handlers/admin/index.js';
import { handleBalance } from './handlers/balance.js';
import { handleBatch } from './handlers/batch.js';
import { handleEstimate } from './handlers/estimate.js';
import { handleHistory, handleHistoryButton } from './handlers/history.js';
import { handleImagine } from './handlers/imagine.js';
import { handleJobButton, jobButtonActions, type JobButtonAction } from './handlers/job-buttons.js';
import { handlePricing } from './handlers/pricing.js';
import { handleQuoteButton } from './handlers/quote-buttons.js';
import { handleSettings } from './handlers/settings.js';
import { autocompleteShowJob, handleShowJob } from './handlers/show-job.js';
import { handleTopup } from './handlers/topup.js';
import { handleStripeCheckoutButton } from './handlers/topup-stripe.js';
import { handleUsage } from './handlers/usage.js';

type InGuild = 'cached' | 'raw';
export type GuildCommand = ChatInputCommandInteraction<InGuild>;
export type GuildButton = ButtonInteraction<InGuild>;
export type GuildAutocomplete = AutocompleteInteraction<InGuild>;

/** A route's answer: the handling under way, or `declined` when the interaction is not one it knows. */
export const declined = 'declined';
export type Routed = Promise<void> | typeof declined;

/** A button's custom id, `scope:action:id:extra` (e.g. `job:upscale:<job id>:<image>`), split on `:`. */
export interface ButtonId {
  readonly action: string | undefined;
  readonly id: string | undefined;
  readonly extra: string | undefined;
}

export type CommandRoute = (interaction: GuildCommand, deps: BotDeps) => Routed;
export type ButtonRoute = (interaction: GuildButton, button: ButtonId, deps: BotDeps) => Routed;
export type AutocompleteRoute = (interaction: GuildAutocomplete, deps: BotDeps) => Promise<void>;

export const commandRoutes = {
  imagine: handleImagine,
  balance: handleBalance,
  topup: handleTopup,
  settings: handleSettings,
  batch: handleBatch,
  admin: handleAdmin,
  history: handleHistory,
  usage: handleUsage,
  pricing: handlePricing,
  estimate: handleEstimate,
  show: (interaction, deps) => (interaction.options.getSubcommand() === 'job' ? handleShowJob(interaction, deps) : declined),
} as const satisfies Record<CommandName, CommandRoute>;

const isJobAction = (action: string | undefined): action is JobButtonAction => jobButtonActions.includes(action as JobButtonAction);

export const buttonRoutes = {
  quote: (interaction, { action, id }, deps) =>
    (action === 'generate' || action === 'cancel') && id ? handleQuoteButton(interaction, action, id, deps) : declined,
  // `job:<action>:<job id>[:<image k>]`; the image number picks the image for upscale #k / variations #k.
  job: (interaction, { action, id, extra }, deps) =>
    isJobAction(action) && id ? handleJobButton(interaction, action, id, extra === undefined ? undefined : Number(extra), deps) : declined,
  // `topup:stripe:<pack id>`
  topup: (interaction, { action, id }, deps) => (action === 'stripe' && id ? handleStripeCheckoutButton(interaction, id, deps) : declined),
  // The pager reads its own custom id.
  history: (interaction, _button, deps) => handleHistoryButton(interaction, deps),
} as const satisfies Record<string, ButtonRoute>;

export const autocompleteRoutes = {
  admin: handleAdminAutocomplete,
  show: autocompleteShowJob,
} as const satisfies Partial<Record<CommandName, AutocompleteRoute>>;

/** `table[key]` only for the table's own keys: a custom id like `constructor:…` finds nothing. */
function lookup<T extends object>(table: T, key: string | undefined): T[keyof T] | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key as keyof T] : undefined;
}

/** Routes a guild interaction; `declined` when no route knows it (the caller tells the member). */
export function routeInGuild(interaction: Interaction<InGuild>, deps: BotDeps): Routed {
  if (interaction.isChatInputCommand()) {
    const route: CommandRoute | undefined = lookup(commandRoutes, interaction.commandName);
    return route ? route(interaction, deps) : declined;
  }
  if (interaction.isAutocomplete()) {
    const route: AutocompleteRoute | undefined = lookup(autocompleteRoutes, interaction.commandName);
    // An option we offer no suggestions for gets an empty list rather than a timed-out spinner.
    return route ? route(interaction, deps) : interaction.respond([]);
  }
  if (interaction.isButton()) {
    const [scope, action, id, extra] = interaction.customId.split(':');
    const route: ButtonRoute | undefined = lookup(buttonRoutes, scope);
    return route ? route(interaction, { action, id, extra }, deps) : declined;
  }
  return declined;
}
