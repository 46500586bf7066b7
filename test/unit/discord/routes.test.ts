// The router's tables: every registered slash command has a handler and every handler a
// registered command (the compiler checks the first; this checks both at run time too), every
// command that offers autocomplete has an autocomplete route, and custom ids reach the right
// handler with their parts — or nothing does; and each is acknowledged the way its answer needs
// (a private reply for commands and job buttons, an update for the quote and the history pager).
import { describe, expect, it, vi } from 'vitest';
import type { Interaction } from 'discord.js';
import { commands } from '../../../commands/index.js';
import type { HandlerContext } from '../../../src/discord/handler-context.js';

vi.mock('../../../src/discord/handlers/job-buttons.js', () => ({
  jobButtonActions: ['reroll', 'keep', 'upscale', 'variation'],
  handleJobButton: vi.fn(() => Promise.resolve()),
}));
vi.mock('../../../src/discord/handlers/quote-buttons.js', () => ({ handleQuoteButton: vi.fn(() => Promise.resolve()) }));
vi.mock('../../../src/discord/handlers/topup-stripe.js', () => ({ handleStripeCheckoutButton: vi.fn(() => Promise.resolve()) }));
vi.mock('../../../src/discord/handlers/subscribe-stripe.js', () => ({
  handleSubscribeCardButton: vi.fn(() => Promise.resolve()),
  handleSubscribePortalButton: vi.fn(() => Promise.resolve()),
}));
vi.mock('../../../src/discord/handlers/show-job.js', () => ({
  handleShowJob: vi.fn(() => Promise.resolve()),
  autocompleteShowJob: vi.fn(() => Promise.resolve()),
}));

const { autocompleteRoutes, buttonRoutes, commandRoutes, declined, routeInGuild } = await import('../../../src/discord/routes.js');
type Routed = ReturnType<typeof routeInGuild>;
const { handleJobButton } = await import('../../../src/discord/handlers/job-buttons.js');
const { handleQuoteButton } = await import('../../../src/discord/handlers/quote-buttons.js');
const { handleStripeCheckoutButton } = await import('../../../src/discord/handlers/topup-stripe.js');
const { handleSubscribeCardButton, handleSubscribePortalButton } = await import('../../../src/discord/handlers/subscribe-stripe.js');
const { handleShowJob } = await import('../../../src/discord/handlers/show-job.js');

const deps = {} as HandlerContext;
const no = () => false;
const button = (customId: string) => ({ customId, isChatInputCommand: no, isAutocomplete: no, isButton: () => true }) as unknown as Interaction<'cached'>;
const slash = (commandName: string, subcommand = 'job') =>
  ({
    commandName,
    options: { getSubcommand: () => subcommand },
    isChatInputCommand: () => true,
    isAutocomplete: no,
    isButton: no,
  }) as unknown as Interaction<'cached'>;
const autocomplete = (commandName: string, respond = vi.fn(() => Promise.resolve())) =>
  ({ commandName, respond, isChatInputCommand: no, isAutocomplete: () => true, isButton: no }) as unknown as Interaction<'cached'>;

type Option = { readonly autocomplete?: boolean; readonly options?: readonly Option[] };
const offersAutocomplete = (options: readonly Option[] = []): boolean => options.some((o) => o.autocomplete === true || offersAutocomplete(o.options));

describe('the routing tables', () => {
  it('has a handler for every registered command and a registered command for every handler', () => {
    expect(Object.keys(commandRoutes).sort()).toEqual(commands.map((c) => c.name).sort());
  });

  it('routes autocomplete for exactly the commands whose options offer it', () => {
    const offering = commands.filter((c) => offersAutocomplete('options' in c ? (c.options as readonly Option[]) : [])).map((c) => c.name);
    expect(Object.keys(autocompleteRoutes).sort()).toEqual([...offering].sort());
  });

  it('knows the button scopes the bot puts on its messages', () => {
    expect(Object.keys(buttonRoutes).sort()).toEqual(['history', 'job', 'quote', 'subscribe', 'topup']);
  });
});

describe('routeInGuild', () => {
  const run = async (routed: Routed) => {
    if (routed === declined) throw new Error('declined');
    await routed.run();
    return routed.ack;
  };

  it('passes a job button’s action, job id and image number, to be answered privately', async () => {
    const interaction = button('job:upscale:job-1:3');
    const routed = routeInGuild(interaction, deps);
    // Nothing runs until the router has acknowledged the interaction.
    expect(handleJobButton).not.toHaveBeenCalled();
    expect(await run(routed)).toBe('private-reply');
    expect(handleJobButton).toHaveBeenLastCalledWith(interaction, 'upscale', 'job-1', 3, deps);
    await run(routeInGuild(button('job:reroll:job-2'), deps));
    expect(handleJobButton).toHaveBeenLastCalledWith(expect.anything(), 'reroll', 'job-2', undefined, deps);
  });

  it('passes quote and card-checkout buttons their ids; the quote is updated in place', async () => {
    expect(await run(routeInGuild(button('quote:generate:q-1'), deps))).toBe('update');
    expect(handleQuoteButton).toHaveBeenLastCalledWith(expect.anything(), 'generate', 'q-1', deps);
    expect(await run(routeInGuild(button('topup:stripe:credits-500'), deps))).toBe('private-reply');
    expect(handleStripeCheckoutButton).toHaveBeenLastCalledWith(expect.anything(), 'credits-500', deps);
  });

  it('passes a card plan button its plan id, and the portal button nothing; both answered privately', async () => {
    expect(await run(routeInGuild(button('subscribe:card:pro-week'), deps))).toBe('private-reply');
    expect(handleSubscribeCardButton).toHaveBeenLastCalledWith(expect.anything(), 'pro-week', deps);
    expect(await run(routeInGuild(button('subscribe:portal'), deps))).toBe('private-reply');
    expect(handleSubscribePortalButton).toHaveBeenCalledTimes(1);
  });

  it('declines unknown or malformed custom ids, including names every object has', () => {
    for (const customId of [
      'nope:x:y',
      'job:explode:job-1',
      'job:upscale',
      'quote:maybe:q-1',
      'quote:generate',
      'topup:paypal:p',
      'topup:stripe',
      'subscribe:card',
      'subscribe:paypal:pro-week',
      'constructor:a:b',
      '__proto__:a:b',
      'toString',
      '',
    ]) {
      expect(routeInGuild(button(customId), deps), customId).toBe(declined);
    }
  });

  it('declines an unknown command or a /show subcommand without a handler', async () => {
    expect(routeInGuild(slash('nope'), deps)).toBe(declined);
    expect(routeInGuild(slash('hasOwnProperty'), deps)).toBe(declined);
    expect(routeInGuild(slash('show', 'image'), deps)).toBe(declined);
    expect(await run(routeInGuild(slash('show', 'job'), deps))).toBe('private-reply');
    expect(handleShowJob).toHaveBeenCalledTimes(1);
  });

  it('answers autocomplete it has no route for with an empty list', async () => {
    const respond = vi.fn(() => Promise.resolve());
    expect(await run(routeInGuild(autocomplete('imagine', respond), deps))).toBe('none');
    expect(respond).toHaveBeenCalledWith([]);
  });

  it('declines other kinds of interaction (select menus, modals…)', () => {
    const menu = { customId: 'other:menu', isChatInputCommand: no, isAutocomplete: no, isButton: no, isStringSelectMenu: () => true, isModalSubmit: no };
    expect(routeInGuild(menu as unknown as Interaction<'cached'>, deps)).toBe(declined);
    expect(routeInGuild({ ...menu, isStringSelectMenu: no } as unknown as Interaction<'cached'>, deps)).toBe(declined);
  });

  it('routes the edit controls with the acknowledgement each needs: a modal is the answer itself', () => {
    const ack = (customId: string) => {
      const routed = routeInGuild(button(customId), deps);
      return routed === declined ? declined : routed.ack;
    };
    expect(ack('edit:open:job-1')).toBe('private-reply');
    expect(ack('edit:pick:job-1:3')).toBe('update');
    expect(ack('edit:zoom:job-1:1:2')).toBe('private-reply');
    expect(ack('edit:pan:job-1:2:left')).toBe('private-reply');
    expect(ack('edit:zoom-ask:job-1:1')).toBe('none');
    expect(ack('edit:region:job-1:1')).toBe('none');
    expect(ack('edit:region-modal:job-1:1:centre')).toBe('private-reply');
    for (const customId of [
      'edit:zoom:job-1:1:3',
      'edit:pan:job-1:1:sideways',
      'edit:pick:job-1:0',
      'edit:pick:job-1:11',
      'edit:open',
      'edit:region-modal:job-1:1:constructor',
      'edit:open:job-1:1',
      'edit:zoom:job-1:1:2:x',
    ]) {
      expect(ack(customId), customId).toBe(declined);
    }
  });
});
