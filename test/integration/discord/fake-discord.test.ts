// Proves the fake Discord is faithful enough for the REAL discord.js Client: login over REST +
// Gateway, guild caching, heartbeats, interaction replies/edits/updates, and command registration;
// and that it is as strict as Discord: rate limits discord.js paces itself by, the 3-second
// deadline, token lifetime, the cap on edits of old messages, and fixed ephemerality.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, DiscordAPIError, Events, GatewayIntentBits, MessageFlags, REST, Routes, Status, type Interaction } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeDiscord, type FakeDiscordOptions } from '../../../src/playground/local-discord/fake-discord.js';

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
      handlers
        .get(key)?.(interaction)
        .catch((error: unknown) => handlerErrors.push(error));
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
    const handle = fake.slashCommand({
      guildId: GUILD_ID,
      channelId: CHANNEL_ID,
      user: USER,
      name: 'ping',
      options: [{ name: 'prompt', type: 3, value: 'a cat' }],
    });

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

// ---------------------------------------------------------------------------------------------
// Discord's limits. Each test starts its own fake so buckets and windows start empty.

type Handler = (interaction: Interaction) => Promise<unknown>;

interface Bot {
  readonly fake: FakeDiscord;
  readonly client: Client;
  readonly handlers: Map<string, Handler>;
  readonly errors: unknown[];
}

const EPHEMERAL = MessageFlags.Ephemeral as number;

describe('fake Discord enforces Discord limits', () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const startFake = async (options: FakeDiscordOptions = {}): Promise<FakeDiscord> => {
    const fake = await FakeDiscord.start(options);
    cleanups.push(() => fake.close());
    fake.addGuild({ id: GUILD_ID, name: 'Test Guild', channels: [{ id: CHANNEL_ID, name: 'general', type: 0 }] });
    return fake;
  };

  /** A fake with a logged-in discord.js Client whose interaction handlers the test installs by name. */
  const startBot = async (options: FakeDiscordOptions = {}): Promise<Bot> => {
    const fake = await startFake(options);
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    cleanups.push(() => client.destroy());
    const handlers = new Map<string, Handler>();
    const errors: unknown[] = [];
    client.on(Events.InteractionCreate, (interaction) => {
      const key = interaction.isChatInputCommand() ? interaction.commandName : interaction.isButton() ? interaction.customId : '';
      handlers
        .get(key)?.(interaction)
        .catch((error: unknown) => errors.push(error));
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(fake.token);
    await ready;
    return { fake, client, handlers, errors };
  };

  const restFor = (fake: FakeDiscord): REST => {
    const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
    cleanups.push(async () => {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    });
    return rest;
  };

  /** A raw request, to see status, headers and body exactly as Discord's would arrive. */
  const call = (fake: FakeDiscord, method: string, path: string, options: { body?: unknown; bot?: boolean } = {}): Promise<Response> =>
    fetch(`${fake.apiUrl}/v10${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(options.bot === false ? {} : { authorization: `Bot ${fake.token}` }) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });

  const post = (fake: FakeDiscord, content: string): Promise<Response> => call(fake, 'POST', `/channels/${CHANNEL_ID}/messages`, { body: { content } });

  const expectBucket429 = async (response: Response, limit: number): Promise<void> => {
    expect(response.status).toBe(429);
    const headers = response.headers;
    expect(headers.get('x-ratelimit-limit')).toBe(String(limit));
    expect(headers.get('x-ratelimit-remaining')).toBe('0');
    expect(headers.get('x-ratelimit-reset')).toMatch(/^\d+\.\d{3}$/);
    expect(Number(headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now() - 1000);
    expect(headers.get('x-ratelimit-reset-after')).toMatch(/^\d+\.\d{3}$/);
    expect(headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
    expect(headers.get('x-ratelimit-scope')).toBe('user');
    expect(headers.get('retry-after')).toMatch(/^\d+$/);
    expect(headers.get('x-ratelimit-global')).toBeNull();
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['global', 'message', 'retry_after']);
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body['retry_after']).toBeGreaterThan(0);
    expect(Number(body['retry_after'])).toBeCloseTo(Number(headers.get('x-ratelimit-reset-after')), 2);
    expect(Math.ceil(Number(body['retry_after']))).toBe(Number(headers.get('retry-after')));
  };

  it('has the limits on by default: channel POST, PATCH and DELETE share one bucket, the 6th is 429', async () => {
    const fake = await startFake();
    const first = await post(fake, 'one');
    const message = (await first.json()) as { id: string };
    const buckets = [first.headers.get('x-ratelimit-bucket')];
    const remaining = [first.headers.get('x-ratelimit-remaining')];
    for (const response of [
      await post(fake, 'two'),
      await post(fake, 'three'),
      await call(fake, 'PATCH', `/channels/${CHANNEL_ID}/messages/${message.id}`, { body: { content: 'edited' } }),
      await call(fake, 'DELETE', `/channels/${CHANNEL_ID}/messages/${message.id}`),
    ]) {
      expect(response.status).toBeLessThan(300);
      buckets.push(response.headers.get('x-ratelimit-bucket'));
      remaining.push(response.headers.get('x-ratelimit-remaining'));
    }
    expect(new Set(buckets).size).toBe(1);
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    await expectBucket429(await post(fake, 'six'), 5);
    expect(fake.rateLimited).toMatchObject([{ method: 'POST', path: `/api/v10/channels/${CHANNEL_ID}/messages`, bucket: buckets[0], scope: 'user' }]);
  });

  it('paces discord.js: 12 posts to one channel all succeed, spread over windows, with at most one 429', async () => {
    const fake = await startFake();
    const rest = restFor(fake);
    const started = performance.now();
    const done = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        rest.post(Routes.channelMessages(CHANNEL_ID), { body: { content: `burst ${index}` } }).then(() => performance.now() - started),
      ),
    );
    const finished = [...done].sort((a, b) => a - b);
    expect(finished[finished.length - 1]! - finished[0]!).toBeGreaterThanOrEqual(4_900);
    expect(
      fake.messages
        .filter((message) => message.action === 'create')
        .map((message) => message.payload?.['content'])
        .sort(),
    ).toEqual(Array.from({ length: 12 }, (_, index) => `burst ${index}`).sort());
    expect(fake.rateLimited.length).toBeLessThanOrEqual(1);
  }, 30_000);

  it("refuses the 6th raw post in a burst with Discord's headers and body, and does not store it", async () => {
    const fake = await startFake();
    const statuses: number[] = [];
    let sixth: Response | undefined;
    for (let index = 1; index <= 6; index += 1) {
      const response = await post(fake, `raw ${index}`);
      statuses.push(response.status);
      if (index === 6) sixth = response;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    await expectBucket429(sixth!, 5);
    expect(Number(sixth!.headers.get('x-ratelimit-reset-after'))).toBeLessThanOrEqual(5);
    expect(fake.messages.some((message) => message.payload?.['content'] === 'raw 6')).toBe(false);
    expect(fake.rateLimited).toHaveLength(1);
    expect(fake.rateLimited[0]!.retryAfterMs).toBeGreaterThan(0);
    expect(fake.rateLimited[0]!.retryAfterMs).toBeLessThanOrEqual(5_000);
  });

  it("keeps one webhook bucket per interaction token: one token's 6th call in 2 s is 429, the other's is not", async () => {
    const { fake } = await startBot();
    const [a, b] = [0, 1].map(() => fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'nobody-answers' }));
    for (const handle of [a!, b!]) {
      const callback = await call(fake, 'POST', `/interactions/${handle.id}/${handle.token}/callback`, {
        bot: false,
        body: { type: 4, data: { content: 'hi' } },
      });
      expect(callback.status).toBe(204);
    }
    const original = (token: string) => `/webhooks/${fake.applicationId}/${token}/messages/@original`;
    const responses: Response[] = [];
    responses.push(await call(fake, 'PATCH', original(a!.token), { bot: false, body: { content: 'edit' } }));
    responses.push(await call(fake, 'POST', `/webhooks/${fake.applicationId}/${a!.token}`, { bot: false, body: { content: 'followup' } }));
    for (let index = 0; index < 3; index += 1) responses.push(await call(fake, 'GET', original(a!.token), { bot: false }));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.map((response) => response.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    expect(responses.map((response) => response.headers.get('x-ratelimit-limit'))).toEqual(['5', '5', '5', '5', '5']);
    const hash = responses[0]!.headers.get('x-ratelimit-bucket');
    expect(new Set(responses.map((response) => response.headers.get('x-ratelimit-bucket')))).toEqual(new Set([hash]));

    await expectBucket429(await call(fake, 'GET', original(a!.token), { bot: false }), 5);
    const other = await call(fake, 'GET', original(b!.token), { bot: false });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(other.headers.get('x-ratelimit-bucket')).toBe(hash);
    expect(Number(other.headers.get('x-ratelimit-reset-after'))).toBeLessThanOrEqual(2);
    expect(fake.rateLimited.map(({ scope, bucket, method }) => ({ scope, bucket, method }))).toEqual([{ scope: 'user', bucket: hash, method: 'GET' }]);
  });

  it('limits bot requests globally to 50 a second, not counting interaction callbacks or webhook calls', async () => {
    const { fake } = await startBot();
    const click = fake.buttonClick({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, customId: 'nobody-answers' });
    const messageId = (click.payload['message'] as { id: string }).id;
    await sleep(1_100); // Let the login's requests' window run out: the next bot request opens a fresh one.
    const get = () => call(fake, 'GET', `/channels/${CHANNEL_ID}/messages/${messageId}`);

    const firstHalf = await Promise.all(Array.from({ length: 25 }, get));
    // With the bot's Authorization header on, these still do not count against the global limit.
    const callback = await call(fake, 'POST', `/interactions/${click.id}/${click.token}/callback`, { body: { type: 6 } });
    const webhook = [];
    for (let index = 0; index < 4; index += 1) webhook.push(await call(fake, 'GET', `/webhooks/${fake.applicationId}/${click.token}/messages/@original`));
    const secondHalf = await Promise.all(Array.from({ length: 26 }, get));

    expect(callback.status).toBe(204);
    expect(webhook.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(firstHalf.every((response) => response.status === 200)).toBe(true);
    const refused = secondHalf.filter((response) => response.status === 429);
    expect(refused).toHaveLength(1);
    expect(secondHalf.filter((response) => response.status === 200)).toHaveLength(25);
    const [global] = refused;
    expect(global!.headers.get('x-ratelimit-global')).toBe('true');
    expect(global!.headers.get('x-ratelimit-scope')).toBe('global');
    expect(global!.headers.get('retry-after')).toBe('1');
    const body = (await global!.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['global', 'message', 'retry_after']);
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: true });
    expect(body['retry_after']).toBeGreaterThan(0);
    expect(body['retry_after']).toBeLessThanOrEqual(1);
    expect(fake.rateLimited).toMatchObject([{ method: 'GET', bucket: 'global', scope: 'global' }]);
  });

  it('refuses a callback after the deadline with 10062 and lists the interaction as unacknowledged', async () => {
    const { fake, handlers } = await startBot({ interactionDeadlineMs: 300 });
    const failures: unknown[] = [];
    handlers.set('slow', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await sleep(600);
      await interaction.reply({ content: 'too late' }).catch((error: unknown) => failures.push(error));
    });
    handlers.set('quick', async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'in time' });
    });
    const slow = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'slow' });
    const quick = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'quick' });
    expect((await quick.answer()).data?.['content']).toBe('in time');

    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 2_000 });
    expect(failures[0]).toBeInstanceOf(DiscordAPIError);
    expect(failures[0]).toMatchObject({ status: 404, code: 10062, message: 'Unknown interaction' });
    expect(fake.unacknowledged()).toEqual([slow.id]);
    expect(fake.callbacks.map((callback) => callback.interactionId)).toEqual([quick.id]);
    expect(fake.latencies().map(({ interactionId }) => interactionId)).toEqual([quick.id]);
    expect(slow.originalMessage()).toBeUndefined();
  });

  it('answers 10015 before the callback and 401 50027 once the interaction token has expired', async () => {
    const { fake, handlers, errors } = await startBot({ interactionTokenTtlMs: 300 });
    const failures: unknown[] = [];
    handlers.set('long', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await sleep(400);
      await interaction.editReply({ content: 'finally' }).catch((error: unknown) => failures.push(error));
    });
    const early = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'nobody-answers' });
    const tooEarly = await call(fake, 'GET', `/webhooks/${fake.applicationId}/${early.token}/messages/@original`, { bot: false });
    expect(tooEarly.status).toBe(404);
    expect(await tooEarly.json()).toEqual({ message: 'Unknown Webhook', code: 10015 });

    const long = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'long' });
    expect((await long.response()).type).toBe(5);
    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 2_000 });
    expect(failures[0]).toMatchObject({ status: 401, code: 50027, message: 'Invalid Webhook Token' });
    expect(long.webhookCalls()).toEqual([]);
    expect(long.originalMessage()?.['content']).toBe('');
    expect(errors).toEqual([]);
  });

  it('caps edits of messages older than an hour at 3 per channel per hour (400 30046)', async () => {
    const fake = await startFake({ rateLimits: false });
    const old = (await (await post(fake, 'old')).json()) as { id: string };
    const fresh = (await (await post(fake, 'fresh')).json()) as { id: string };
    fake.ageMessage(old.id, 2 * 60 * 60 * 1000);
    expect(Date.now() - Date.parse(fake.message(old.id)?.['timestamp'] as string)).toBeGreaterThan(60 * 60 * 1000);
    const edit = (id: string, content: string) => call(fake, 'PATCH', `/channels/${CHANNEL_ID}/messages/${id}`, { body: { content } });

    const statuses = [];
    for (let index = 1; index <= 3; index += 1) statuses.push((await edit(old.id, `edit ${index}`)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await edit(old.id, 'edit 4');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ message: 'Maximum number of edits to messages older than 1 hour reached. Try again later.', code: 30046 });
    expect(fake.message(old.id)?.['content']).toBe('edit 3');
    // Recent messages are not capped.
    for (let index = 1; index <= 4; index += 1) expect((await edit(fresh.id, `fresh ${index}`)).status).toBe(200);
  });

  it('never lets an edit change whether a message is ephemeral', async () => {
    const { fake, handlers } = await startBot({ rateLimits: false });
    handlers.set('secret', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: 'secret', flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: 'still secret', flags: [] });
    });
    const secret = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'secret' });
    await secret.waitForWebhookCall('edit-original');
    expect(Number(secret.originalMessage()?.['flags']) & EPHEMERAL).toBe(EPHEMERAL);

    const publicMessage = (await (await post(fake, 'public')).json()) as { id: string };
    const edited = await call(fake, 'PATCH', `/channels/${CHANNEL_ID}/messages/${publicMessage.id}`, { body: { content: 'x', flags: EPHEMERAL } });
    expect(Number(((await edited.json()) as { flags: number }).flags) & EPHEMERAL).toBe(0);
  });

  it('answer() shows what the member sees: a direct reply, a deferred ephemeral reply, a deferUpdate then edit', async () => {
    const { fake, handlers, errors } = await startBot();
    handlers.set('direct', async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'right away' });
    });
    handlers.set('private', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await sleep(50);
      await interaction.editReply({ content: 'just for you' });
    });
    handlers.set('rework', async (interaction) => {
      if (!interaction.isButton()) return;
      await interaction.deferUpdate();
      await interaction.editReply({ content: 'reworked', components: [] });
    });

    const direct = await fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'direct' }).answer();
    expect(direct.type).toBe(4);
    expect(direct.data?.['content']).toBe('right away');
    expect(Number(direct.data?.['flags'] ?? 0) & EPHEMERAL).toBe(0);

    const privateHandle = fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'private' });
    const deferred = await privateHandle.answer();
    expect(deferred.type).toBe(5);
    expect(deferred.data?.['content']).toBe('just for you');
    expect(Number(deferred.data?.['flags']) & EPHEMERAL).toBe(EPHEMERAL);
    expect((await privateHandle.response()).type).toBe(5); // response() still gives the raw callback

    const update = await fake.buttonClick({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, customId: 'rework' }).answer();
    expect(update.type).toBe(6);
    expect(update.data).toMatchObject({ content: 'reworked', components: [] });
    expect(Number(update.data?.['flags'] ?? 0) & EPHEMERAL).toBe(0);

    await expect(fake.slashCommand({ guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER, name: 'nobody-answers' }).answer(100)).rejects.toThrow(/timed out/);
    expect(errors).toEqual([]);
    expect(fake.rateLimited).toEqual([]);
  });
});
