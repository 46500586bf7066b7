// Select menus and modals on the playground page's side (a small discord.js app plays the bot
// here, so every kind of answer is covered, not only the edit panel's): the page's actions reach the app as Discord would send them,
// its answers show to the right people, and a choice or form the message never offered is refused.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  Events,
  GatewayIntentBits,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerWithRoutes } from '../../../src/observability/health-server.js';
import { createPlaygroundHttp } from '../../../src/playground/playground-http.js';
import { createLogger } from '../../../src/shared/logger.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { ChannelFeed, type MessageView } from '../../../src/playground/channel-feed.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { PlaygroundApi } from '../../../src/playground/playground-api.js';
import { PLAYGROUND_CHANNEL, PLAYGROUND_GUILD, PLAYGROUND_OWNER_ID, personaByKey, withPlaygroundSkus } from '../../../src/playground/playground-world.js';
import { SimulatedPurchases } from '../../../src/playground/simulated-purchases.js';
import { waitFor } from '../../support/wait-for.js';

const member = personaByKey('member')!;
const owner = personaByKey('owner')!;

let discord: FakeDiscord;
let client: Client;
let feed: ChannelFeed;
let api: PlaygroundApi;
let server: Server;
let browser: Browser;

beforeAll(async () => {
  discord = await FakeDiscord.start({ rateLimits: false });
  const guild = discord.addGuild({ id: PLAYGROUND_GUILD.id, name: PLAYGROUND_GUILD.name, channels: [PLAYGROUND_CHANNEL], ownerId: PLAYGROUND_OWNER_ID });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    void (async () => {
      if (interaction.isChatInputCommand()) {
        const menu = new StringSelectMenuBuilder()
          .setCustomId('flavour')
          .setPlaceholder('A flavour')
          .addOptions({ label: 'Mint', value: 'mint' }, { label: 'Lemon', value: 'lemon' });
        const button = new ButtonBuilder().setCustomId('feedback').setLabel('Tell us').setStyle(ButtonStyle.Primary);
        await interaction.reply({
          content: 'Pick one',
          components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu), new ActionRowBuilder<ButtonBuilder>().addComponents(button)],
        });
      } else if (interaction.isStringSelectMenu()) {
        await interaction.update({ content: `${interaction.user.username} chose ${interaction.values.join(', ')}` });
      } else if (interaction.isButton()) {
        const input = new TextInputBuilder().setCustomId('comment').setLabel('Your comment').setStyle(TextInputStyle.Paragraph);
        await interaction.showModal(
          new ModalBuilder().setCustomId('feedback-form').setTitle('Feedback').addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
        );
      } else if (interaction.isModalSubmit()) {
        await interaction.reply({ content: `got: ${interaction.fields.getTextInputValue('comment')}`, flags: 64 });
      }
    })();
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(discord.token);
  await ready;
  await client.application!.commands.set([{ name: 'pick', description: 'Choose something' }]);
  const card = withPlaygroundSkus(await loadPriceCardOrThrow());
  feed = new ChannelFeed(discord, PLAYGROUND_CHANNEL.id);
  const purchases = new SimulatedPurchases({ discord, guildId: guild.id, webhookUrl: () => 'http://127.0.0.1:9/', webhookSecret: 'whsec_unused' });
  api = new PlaygroundApi({ discord, guild, channelId: PLAYGROUND_CHANNEL.id, feed, card, purchases });
  // The page's own routes, without a ledger behind them: this file is about components, not credits.
  const http = createPlaygroundHttp({
    api,
    feed,
    discord,
    guild,
    channel: PLAYGROUND_CHANNEL,
    card,
    balanceOf: () => Promise.resolve({ tier: null, buckets: [], held: 0, available: 0, creditsPerDollar: card.creditsPerDollar }),
    roleTiers: () => Promise.resolve(new Map()),
    log: createLogger('silent'),
  });
  server = createServer((request, response) => void answerWithRoutes(http.routes, request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.on('close', () => http.closeStreams());
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  feed?.close();
  await client?.destroy();
  await discord?.close();
});

const seenBy = (persona: typeof member, content: string | RegExp): MessageView | undefined =>
  feed.visibleTo(persona).find((message) => (typeof content === 'string' ? message.content === content : content.test(message.content)));

describe('select menus and modals from the playground page', () => {
  it('shows a public answer with its select menu to everyone, labelled with who asked', async () => {
    expect(await api.command(member, { name: 'pick', path: [], values: {} })).toEqual({ acknowledged: true });
    const message = await waitFor(async () => seenBy(owner, 'Pick one'));
    expect(message.interaction).toEqual({ username: 'mia', label: '/pick' });
    expect(message.components[0]!['components']).toEqual([expect.objectContaining({ type: 3, custom_id: 'flavour' })]);
  });

  it('sends a choice the menu offers, and the edit reaches the page live', async () => {
    const message = seenBy(member, 'Pick one')!;
    const edits: MessageView[] = [];
    const stop = feed.subscribe((viewer, event) => {
      if (viewer.key === 'owner' && event.kind === 'upsert') edits.push(event.message);
    });
    await api.select(member, { messageId: message.id, customId: 'flavour', values: ['mint'] });
    await waitFor(async () => edits.find((edit) => edit.id === message.id && edit.content === 'mia chose mint'));
    stop();
  });

  it('refuses a choice the menu does not offer, or too many, and sends nothing', async () => {
    const message = seenBy(member, 'mia chose mint')!;
    const interactions = discord.requests.length;
    await expect(api.select(member, { messageId: message.id, customId: 'flavour', values: ['vanilla'] })).rejects.toThrow('choose among the options offered');
    await expect(api.select(member, { messageId: message.id, customId: 'flavour', values: ['mint', 'lemon'] })).rejects.toThrow('choose 1');
    await expect(api.select(member, { messageId: message.id, customId: 'nothing', values: ['mint'] })).rejects.toThrow('that message has no such control');
    expect(discord.requests.length).toBe(interactions);
  });

  it('opens the modal the bot answers a button with, and its submission gets a private answer', async () => {
    const message = seenBy(member, 'mia chose mint')!;
    const result = await api.button(member, { messageId: message.id, customId: 'feedback' });
    expect(result.modal).toMatchObject({ custom_id: 'feedback-form', title: 'Feedback' });
    await api.modal(member, { customId: 'feedback-form', fields: { comment: 'lovely' } });
    await waitFor(async () => seenBy(member, 'got: lovely'));
    expect(seenBy(member, 'got: lovely')!.ephemeral).toBe(true);
    expect(seenBy(owner, 'got: lovely')).toBeUndefined();
  });

  it('in the browser: a select menu to choose in, and the modal a button opens, answered and submitted', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?as=member`);
      await page.locator('body[data-ready="member"]').waitFor();
      await page.getByLabel('Slash command').fill('/pick');
      await page.getByLabel('Slash command').press('Enter');
      const message = page.locator('#messages > li', { hasText: 'Pick one' }).last();
      await message.waitFor();
      await message.getByLabel('A flavour').selectOption('lemon');
      await message.getByRole('button', { name: 'Choose' }).click();
      await page.locator('#messages > li', { hasText: 'mia chose lemon' }).waitFor();
      await page.locator('#messages > li', { hasText: 'mia chose lemon' }).last().getByRole('button', { name: 'Tell us' }).click();
      const dialog = page.getByRole('dialog', { name: 'Feedback' });
      await dialog.waitFor();
      await dialog.getByLabel('Your comment').fill('very playful');
      await dialog.getByRole('button', { name: 'Submit' }).click();
      const answer = page.locator('#messages > li', { hasText: 'got: very playful' });
      await answer.waitFor();
      expect(await answer.textContent()).toContain('Only you can see this');
    } finally {
      await page.close();
    }
  });
});
