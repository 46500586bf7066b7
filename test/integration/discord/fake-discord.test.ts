// Proves the fake Discord is faithful enough for the REAL discord.js Client: login over REST +
// Gateway, guild caching, heartbeats, interaction replies/edits/updates, and command registration.
import { Client, Events, GatewayIntentBits, MessageFlags, Status, type Interaction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../fakes/fake-discord/fake-discord.js';

const GUILD_ID = '200000000000000001';
const CHANNEL_ID = '200000000000000002';
const USER = { id: '300000000000000001', username: 'alice' };
const HEARTBEAT_MS = 200;
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('fake Discord driven by the real discord.js Client', () => {
  let fake: FakeDiscord;
  let client: Client;
  // Each test installs the behaviour it needs; handler errors are collected so tests can assert none.
  const handlers = new Map<string, (interaction: Interaction) => Promise<unknown>>();
  const handlerErrors: unknown[] = [];

  beforeAll(async () => {
    fake = await FakeDiscord.start({ heartbeatIntervalMs: HEARTBEAT_MS });
    fake.addGuild({ id: GUILD_ID, name: 'Test Guild', channels: [{ id: CHANNEL_ID, name: 'general', type: 0 }] });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    client.on(Events.InteractionCreate, (interaction) => {
      const key = interaction.isChatInputCommand() ? interaction.commandName : interaction.isButton() ? interaction.customId : '';
      handlers.get(key)?.(interaction).catch((error: unknown) => handlerErrors.push(error));
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(fake.token);
    await ready;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in over REST + Gateway and caches the configured guild and channel', () => {
    expect(client.user?.id).toBe(fake.applicationId);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(GUILD_ID);
    expect(guild?.name).toBe('Test Guild');
    expect(guild?.channels.cache.get(CHANNEL_ID)?.name).toBe('general');
    expect(guild?.members.me?.id).toBe(fake.applicationId);
    expect(fake.gatewayConnections[0]?.query).toEqual({ v: '10', encoding: 'json' });
    expect(fake.gatewayConnections[0]?.identify?.['intents']).toBe(GatewayIntentBits.Guilds);
    expect(fake.requests.some((request) => request.path === '/api/v10/gateway/bot' && request.botAuthorized)).toBe(true);
  });

  it('keeps the connection up across several heartbeat intervals', async () => {
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 4));
    expect(fake.heartbeatsReceived).toBeGreaterThanOrEqual(2);
    expect(client.ws.status).toBe(Status.Ready);
    expect(fake.gatewayConnections).toHaveLength(1);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('records an ephemeral reply, then an editReply carrying an attachment', async () => {
    handlers.set('ping', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      expect(interaction.options.getString('prompt')).toBe('a cat');
      expect(interaction.channel?.id).toBe(CHANNEL_ID);
      await interaction.reply({ content: 'pong', flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: 'here', files: [{ attachment: PNG_BYTES, name: 'a.png' }] });
    });
    const handle = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'ping', options: [{ name: 'prompt', type: 3, value: 'a cat' }] });

    const callback = await handle.response();
    expect(callback.type).toBe(4);
    expect(callback.data?.['content']).toBe('pong');
    expect(Number(callback.data?.['flags']) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(callback.latencyMs).toBeGreaterThan(0);

    const edit = await handle.waitForWebhookCall('edit-original');
    expect(edit.payload?.['content']).toBe('here');
    expect(edit.files).toHaveLength(1);
    expect(edit.files[0]?.name).toBe('a.png');
    expect(edit.files[0]?.data.equals(PNG_BYTES)).toBe(true);
    const original = handle.originalMessage();
    expect(original?.['content']).toBe('here');
    expect(original?.['attachments']).toHaveLength(1);
    expect(handlerErrors).toEqual([]);
  });

  it('records a deferred reply whose followup replaces the thinking message', async () => {
    handlers.set('slow', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.followUp({ content: 'done' });
    });
    const handle = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'slow' });
    expect((await handle.response()).type).toBe(5);
    await handle.waitForWebhookCall('followup');
    expect(handle.originalMessage()?.['content']).toBe('done');
    expect(Number(handle.originalMessage()?.['flags']) & MessageFlags.Loading).toBe(0);
    expect(handlerErrors).toEqual([]);
  });

  it('serves fetchReply and deleteReply through the original-message webhook routes', async () => {
    const fetched: string[] = [];
    handlers.set('peek', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: 'first' });
      fetched.push((await interaction.fetchReply()).content);
      await interaction.deleteReply();
    });
    const handle = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'peek' });
    await handle.waitForWebhookCall('delete-original');
    expect(fetched).toEqual(['first']);
    expect(handle.originalMessage()).toBeUndefined();
    expect(handlerErrors).toEqual([]);
  });

  it('records a button click answered with update, and one answered with deferUpdate', async () => {
    handlers.set('regenerate', async (interaction) => {
      if (!interaction.isButton()) return;
      expect(interaction.message.components).toHaveLength(1);
      await interaction.update({ content: 'regenerating', components: [] });
    });
    handlers.set('later', async (interaction) => {
      if (interaction.isButton()) await interaction.deferUpdate();
    });

    const update = fake.buttonClick({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, customId: 'regenerate' });
    expect((await update.response()).type).toBe(7);
    expect(update.originalMessage()?.['content']).toBe('regenerating');
    expect(update.originalMessage()?.['components']).toEqual([]);

    const deferred = fake.buttonClick({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, customId: 'later' });
    expect((await deferred.response()).type).toBe(6);
    expect(handlerErrors).toEqual([]);
  });

  it('stores commands registered globally and per guild', async () => {
    const global = await client.application!.commands.set([{ name: 'imagine', description: 'Generate an image' }]);
    expect([...global.values()].map((command) => command.name)).toEqual(['imagine']);
    expect(fake.commands().map((command) => command['name'])).toEqual(['imagine']);

    await client.application!.commands.set([{ name: 'balance', description: 'Show credits' }], GUILD_ID);
    expect(fake.commands(GUILD_ID).map((command) => command['name'])).toEqual(['balance']);
    // A later slash command carries the registered id, as Discord's would.
    const handle = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'imagine' });
    expect((handle.payload['data'] as Record<string, unknown>)['id']).toBe(global.first()!.id);
  });

  it('posts channel messages with attachments and answers entitlement calls', async () => {
    const channel = await client.channels.fetch(CHANNEL_ID);
    if (!channel?.isSendable()) throw new Error('channel should be sendable');
    const sent = await channel.send({ content: 'result', files: [{ attachment: PNG_BYTES, name: 'out.png' }] });
    expect(sent.attachments.first()?.name).toBe('out.png');
    const recorded = await fake.waitForMessage((message) => message.messageId === sent.id);
    expect(recorded.files[0]?.data.equals(PNG_BYTES)).toBe(true);

    const entitlement = fake.addEntitlement({ userId: USER.id, skuId: '400000000000000001', type: 1 });
    const fetched = await client.application!.entitlements.fetch({ user: USER.id });
    expect([...fetched.keys()]).toEqual([entitlement['id']]);
    await fetched.first()!.consume();
    expect(fake.entitlements[0]?.['consumed']).toBe(true);
  });

  it('answers unknown routes with 404 and records them', async () => {
    await expect(client.rest.get('/guilds/1/bans')).rejects.toMatchObject({ status: 404 });
    expect(fake.unhandledRequests.map((request) => request.path)).toContain('/api/v10/guilds/1/bans');
  });

  it('measures dispatch-to-callback latency for every interaction', () => {
    expect(fake.latencies().length).toBe(fake.callbacks.length);
    expect(fake.latencies().every(({ latencyMs }) => latencyMs > 0 && latencyMs < 5_000)).toBe(true);
  });
});
