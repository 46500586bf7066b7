// Which handler answers which interaction, as tables: slash commands by name (every registered
// command must have one, or this file does not compile), buttons by the scope their custom id
// starts with, autocomplete by command. A route may still decline an interaction it turns out not
// to know (a subcommand it has no handler for, a malformed or stale custom id): the router then
// gives the member the "not something I know" reply.
//
// Each route also says how the interaction is acknowledged, because the router acknowledges it
// before the handler runs (src/discord/bot.ts): Discord fails an interaction not answered within
// 3 s, and a handler that first waits for the database, Redis or a rate-limited channel can miss
// that under load. Handlers then answer by editing the acknowledgement (`editReply`) or, after
// an `update`, with a private `followUp`.
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { CommandName } from '../../commands/index.js';
import type { HandlerContext } from './handler-context.js';
import { editScope, parseEditId } from './render/edit-ids.js';
import { handleAdminAutocomplete } from './handlers/admin/admin-autocomplete.js';
import { handleAdmin } from './handlers/admin/index.js';
import { handleBalance } from './handlers/balance.js';
import { handleBatch } from './handlers/batch.js';
import { editAck, handleEdit } from './handlers/edit-image.js';
import { handleEditMask } from './handlers/edit-mask.js';
import { handleEstimate } from './handlers/estimate.js';
import { handleHistory, handleHistoryButton } from './handlers/history.js';
import { handleImagine } from './handlers/imagine.js';
import { handleJobButton, jobButtonActions, type JobButtonAction } from './handlers/job-buttons.js';
import { handlePricing } from './handlers/pricing.js';
import { handleQuoteButton } from './handlers/quote-buttons.js';
import { handleSettings } from './handlers/settings.js';
import { autocompleteShowJob, handleShowJob } from './handlers/show-job.js';
import { handleSubscribe } from './handlers/subscribe.js';
import { handleTopup } from './handlers/topup.js';
import { handleStripeCheckoutButton } from './handlers/topup-stripe.js';
import { handleSubscribeCardButton, handleSubscribePortalButton } from './handlers/subscribe-stripe.js';
import { handleUsage } from './handlers/usage.js';

type InGuild = 'cached' | 'raw';
export type GuildCommand = ChatInputCommandInteraction<InGuild>;
export type GuildButton = ButtonInteraction<InGuild>;
export type GuildAutocomplete = AutocompleteInteraction<InGuild>;

/** A route's answer: what to run, or `declined` when the interaction is not one it knows. */
export const declined = 'declined';
type Run = () => Promise<void>;

/**
 * How the router acknowledges an interaction before its handler runs:
 * - `private-reply`: a private "thinking…" reply, which the handler edits into its answer;
 * - `update`: the message the button is on, which the handler edits (or leaves, answering the
 *   clicker with a private follow-up);
 * - `none`: autocomplete, which has no acknowledgement but its (fast) suggestions.
 */
export type Ack = 'private-reply' | 'update' | 'none';

export interface Route {
  readonly ack: Ack;
  readonly run: Run;
}
export type Routed = Route | typeof declined;

/** A button's custom id, `scope:action:id:extra` (e.g. `job:upscale:<job id>:<image>`), split on `:`. */
export interface ButtonId {
  readonly action: string | undefined;
  readonly id: string | undefined;
  readonly extra: string | undefined;
}

export type CommandRoute = (interaction: GuildCommand, ctx: HandlerContext) => Run | typeof declined;
export interface ButtonRoute {
  readonly ack: Exclude<Ack, 'none'>;
  readonly resolve: (interaction: GuildButton, button: ButtonId, ctx: HandlerContext) => Run | typeof declined;
}
export type AutocompleteRoute = (interaction: GuildAutocomplete, ctx: HandlerContext) => Promise<void>;

/** A command whose handler takes every interaction of it. */
const always =
  (handler: (interaction: GuildCommand, ctx: HandlerContext) => Promise<void>): CommandRoute =>
  (interaction, ctx) =>
  () =>
    handler(interaction, ctx);

export const commandRoutes = {
  imagine: always(handleImagine),
  balance: always(handleBalance),
  topup: always(handleTopup),
  subscribe: always(handleSubscribe),
  settings: always(handleSettings),
  batch: always(handleBatch),
  admin: always(handleAdmin),
  history: always(handleHistory),
  usage: always(handleUsage),
  pricing: always(handlePricing),
  estimate: always(handleEstimate),
  edit: always(handleEditMask),
  show: (interaction, ctx) => (interaction.options.getSubcommand() === 'job' ? () => handleShowJob(interaction, ctx) : declined),
} as const satisfies Record<CommandName, CommandRoute>;

const isJobAction = (action: string | undefined): action is JobButtonAction => jobButtonActions.includes(action as JobButtonAction);

export const buttonRoutes = {
  // Generate / Cancel edit the quote they sit on.
  quote: {
    ack: 'update',
    resolve: (interaction, { action, id }, ctx) =>
      (action === 'generate' || action === 'cancel') && id ? () => handleQuoteButton(interaction, action, id, ctx) : declined,
  },
  // `job:<action>:<job id>[:<image k>]`; the image number picks the image for upscale #k / variations #k.
  // The job message is public: each click gets its own private answer (a quote, or why not).
  job: {
    ack: 'private-reply',
    resolve: (interaction, { action, id, extra }, ctx) =>
      isJobAction(action) && id ? () => handleJobButton(interaction, action, id, extra === undefined ? undefined : Number(extra), ctx) : declined,
  },
  // `topup:stripe:<pack id>`
  topup: {
    ack: 'private-reply',
    resolve: (interaction, { action, id }, ctx) => (action === 'stripe' && id ? () => handleStripeCheckoutButton(interaction, id, ctx) : declined),
  },
  // `subscribe:card:<plan id>` (a card plan's checkout) and `subscribe:portal` (Stripe's billing portal), under /subscribe.
  subscribe: {
    ack: 'private-reply',
    resolve: (interaction, { action, id }, ctx) =>
      action === 'card' && id
        ? () => handleSubscribeCardButton(interaction, id, ctx)
        : action === 'portal'
          ? () => handleSubscribePortalButton(interaction, ctx)
          : declined,
  },
  // The pager turns its own page; it reads its own custom id.
  history: { ack: 'update', resolve: (interaction, _button, ctx) => () => handleHistoryButton(interaction, ctx) },
} as const satisfies Record<string, ButtonRoute>;

export const autocompleteRoutes = {
  admin: handleAdminAutocomplete,
  show: autocompleteShowJob,
  // /edit's job option: the same suggestions as /show job's.
  edit: autocompleteShowJob,
} as const satisfies Partial<Record<CommandName, AutocompleteRoute>>;

/** `table[key]` only for the table's own keys: a custom id like `constructor:…` finds nothing. */
function lookup<T extends object>(table: T, key: string | undefined): T[keyof T] | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key as keyof T] : undefined;
}

/**
 * Finds the route of a guild interaction without starting it; `declined` when no route knows it
 * (the caller tells the member).
 */
export function routeInGuild(interaction: Interaction<InGuild>, ctx: HandlerContext): Routed {
  if (interaction.isChatInputCommand()) {
    const route: CommandRoute | undefined = lookup(commandRoutes, interaction.commandName);
    const run = route ? route(interaction, ctx) : declined;
    return run === declined ? declined : { ack: 'private-reply', run };
  }
  if (interaction.isAutocomplete()) {
    const route: AutocompleteRoute | undefined = lookup(autocompleteRoutes, interaction.commandName);
    // An option we offer no suggestions for gets an empty list rather than a timed-out spinner.
    return { ack: 'none', run: route ? () => route(interaction, ctx) : () => interaction.respond([]) };
  }
  // The edit controls are buttons, a select menu and modals: each says how it is acknowledged.
  if ((interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit()) && interaction.customId.startsWith(`${editScope}:`)) {
    const edit = parseEditId(interaction.customId);
    return edit === null ? declined : { ack: editAck(edit), run: () => handleEdit(interaction, edit, ctx) };
  }
  if (interaction.isButton()) {
    const [scope, action, id, extra] = interaction.customId.split(':');
    const route: ButtonRoute | undefined = lookup(buttonRoutes, scope);
    const run = route ? route.resolve(interaction, { action, id, extra }, ctx) : declined;
    return run === declined || !route ? declined : { ack: route.ack, run };
  }
  return declined;
}
