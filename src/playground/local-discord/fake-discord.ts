// A local Discord for driving the REAL discord.js Client in tests: one HTTP server on 127.0.0.1
// serving REST under /api/v10 and the v10 Gateway over WebSocket upgrade on the same port.
//
// It enforces Discord's limits by default, because a fake kinder than Discord hides the bugs that
// matter: a busy channel, a slow first answer, a reply edited too late.
// - Rate limits (rate-limits.ts), with the headers @discordjs/rest paces itself by: channel
//   messages 5 per 5 s per channel (POST, PATCH, DELETE share one bucket), interaction webhooks
//   5 per 2 s per token, 50 bot requests per second globally (callbacks and webhook-token routes
//   exempt). Refusals answer 429 and are listed in `rateLimited`.
// - The 3-second deadline: a later interaction callback answers 404 code 10062 (`unacknowledged()`).
// - Interaction tokens work only after the callback (else 404 code 10015) and for 15 minutes
//   (then 401 code 50027).
// - Edits of messages older than an hour: 3 per channel per rolling hour, then 400 code 30046.
// - Ephemerality is fixed when a message is created; edits cannot change it.
// Each is an option of `FakeDiscord.start` (`rateLimits: false` switches the rate limits off).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway, shardOf, type GatewayConnectionInfo } from './gateway.js';
import { waitForAnswer, type InteractionAnswer } from './interaction-answer.js';
import { interactionPayload, type InteractionActor } from './interaction-payloads.js';
import {
  channelPayload,
  DEFAULT_EVERYONE_PERMISSIONS,
  memberPayload,
  rolePayload,
  userPayload,
  type FakeChannelInput,
  type FakeRoleInput,
  type FakeUser,
  type Json,
} from './payloads.js';
import { FakeRest, type HeldRequest } from './rest-routes.js';
import type { RateLimitRecord, RateLimitSettings } from './rate-limits.js';
import { Recorder } from './recorder.js';
import { nextSnowflake } from './snowflake.js';
import { FakeSubscriptions } from './subscriptions.js';
import type { RecordedFile } from './http-body.js';
import {
  FakeDiscordState,
  type FakeGuild,
  type InteractionRecord,
  type RecordedCallback,
  type RecordedMessage,
  type RecordedRequest,
  type RecordedWebhookCall,
} from './state.js';

export type { FakeChannelInput, FakeRoleInput, FakeUser, Json } from './payloads.js';
export type { InteractionActor } from './interaction-payloads.js';
export type { FakeGuild, RecordedCallback, RecordedMessage, RecordedRequest, RecordedWebhookCall } from './state.js';
export type { RecordedFile } from './http-body.js';
export type { BucketLimit, RateLimitRecord, RateLimitSettings } from './rate-limits.js';
export { DEFAULT_RATE_LIMITS } from './rate-limits.js';
export type { InteractionAnswer } from './interaction-answer.js';

export interface FakeDiscordOptions {
  /** Gateway heartbeat interval sent in HELLO; Discord uses ~41 s, tests may want ~200 ms. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Shards Discord requires (recommended by GET /gateway/bot; Discord demands them from 2,500
   * guilds on). Each guild's events go to its shard. @defaultValue 1
   */
  readonly shards?: number;
  /**
   * Discord's REST rate limits, on by default (see `DEFAULT_RATE_LIMITS`): override any bucket
   * (`{ channelMessages: { limit: 5, windowMs: 500 } }`), switch one off with `false`, or pass
   * `false` to switch them all off.
   */
  readonly rateLimits?: false | Partial<RateLimitSettings>;
  /** An interaction callback later than this after the dispatch answers 10062. @defaultValue 3000 */
  readonly interactionDeadlineMs?: number;
  /** Interaction webhook routes later than this after the dispatch answer 401 50027. @defaultValue 15 min */
  readonly interactionTokenTtlMs?: number;
  /** Edits of messages older than an hour allowed per channel per rolling hour. @defaultValue 3 */
  readonly oldMessageEditsPerHour?: number;
}

export interface AddGuildInput {
  readonly id: string;
  readonly name: string;
  readonly channels?: readonly FakeChannelInput[];
  /** Extra roles; @everyone (id = guild id) is added with common permissions unless given here. */
  readonly roles?: readonly FakeRoleInput[];
  /** Role ids the bot holds in this guild. */
  readonly botRoles?: readonly string[];
  readonly ownerId?: string;
}

export interface SlashCommandInput extends InteractionActor {
  readonly name: string;
  /** Wire-format options: `[{ name, type, value }]` (type 3 string, 4 integer, 5 boolean, ...). */
  readonly options?: readonly Json[];
  readonly resolved?: Json;
}

export interface ButtonClickInput extends InteractionActor {
  readonly customId: string;
  /** The message carrying the button; defaults to a fresh bot message stored in the fake. */
  readonly messageId?: string;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The exact INTERACTION_CREATE `d` that was dispatched. */
  readonly payload: Json;
  /** Resolves with the interaction callback (reply/defer/update), or rejects after `timeoutMs`. */
  response(timeoutMs?: number): Promise<RecordedCallback>;
  /**
   * What the member sees as the bot's answer, whether it replied at once or deferred first: for
   * callback types 4 and 7 the callback's data; for 5 and 6 the payload of the first webhook call
   * after it (an edit of @original or a follow-up), with `flags` including 64 when the message it
   * wrote is ephemeral. Rejects after `timeoutMs` (default 5000) in all.
   */
  answer(timeoutMs?: number): Promise<InteractionAnswer>;
  /** Webhook edits/followups/deletes made with this interaction's token so far. */
  webhookCalls(): readonly RecordedWebhookCall[];
  /** Resolves with the first (possibly already recorded) webhook call of `kind`. */
  waitForWebhookCall(kind?: RecordedWebhookCall['kind'], timeoutMs?: number): Promise<RecordedWebhookCall>;
  /** The interaction's original response message as the fake currently stores it. */
  originalMessage(): Json | undefined;
}

const BOT_ID = '110000000000000000';

export class FakeDiscord {
  /** Shaped like a real token (base64 bot id first); the project's config refuses shorter tokens. */
  readonly token = `${Buffer.from(BOT_ID).toString('base64')}.FakeID.fake-signature-for-local-tests-only_xx`;
  readonly applicationId = BOT_ID;
  readonly botUser: FakeUser = { id: BOT_ID, username: 'imagine-bot', bot: true };
  private readonly state: FakeDiscordState;
  private readonly gateway: FakeGateway;
  private readonly rest: FakeRest;
  private readonly interactionDeadlineMs: number;
  /** App subscriptions (Discord's premium plans): subscribe, renew, cancel, refund… (subscriptions.ts). */
  readonly subscriptions: FakeSubscriptions;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.state = new FakeDiscordState(this.botUser, () => this.baseUrl);
    this.subscriptions = new FakeSubscriptions({
      applicationId: this.applicationId,
      entitlements: this.state.entitlements,
      skus: this.state.skus,
      dispatch: (eventName, data) => this.dispatch(eventName, data),
    });
    const shardCount = options.shards ?? 1;
    this.interactionDeadlineMs = options.interactionDeadlineMs ?? 3_000;
    this.rest = new FakeRest(this.state, {
      subscriptions: this.subscriptions,
      token: this.token,
      gatewayUrl: () => this.gatewayUrl,
      shards: shardCount,
      rateLimits: options.rateLimits,
      interactionDeadlineMs: this.interactionDeadlineMs,
      interactionTokenTtlMs: options.interactionTokenTtlMs ?? 15 * 60_000,
      oldMessageEditsPerHour: options.oldMessageEditsPerHour ?? 3,
    });
    const guildsOf = ([id, count]: readonly [number, number]) => [...this.state.guilds.values()].filter((guild) => shardOf(guild.id, count) === id);
    this.gateway = new FakeGateway({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      shardCount,
      resumeUrl: () => this.gatewayUrl,
      readyPayload: (sessionId, shard) => this.readyPayload(sessionId, shard, guildsOf(shard)),
      afterReady: (shard) => guildsOf(shard).map((guild) => ({ t: 'GUILD_CREATE', d: this.guildCreatePayload(guild) })),
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, options);
    server.on('request', (request, response) => {
      fake.rest.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `fake-discord crashed: ${String(error)}`, code: 0 }));
      });
    });
    server.on('upgrade', (request, socket, head) => fake.gateway.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Pass as `new Client({ rest: { api: fake.apiUrl } })`; @discordjs/rest appends `/v10`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get requests(): readonly RecordedRequest[] {
    return this.state.requests.items;
  }
  /** Requests the fake had no route for: what the bot needs that the fake lacks. */
  get unhandledRequests(): readonly RecordedRequest[] {
    return this.state.requests.items.filter((request) => !request.routeKnown);
  }
  get callbacks(): readonly RecordedCallback[] {
    return this.state.callbacks.items;
  }
  get messages(): readonly RecordedMessage[] {
    return this.state.messages.items;
  }
  get gatewayConnections(): readonly GatewayConnectionInfo[] {
    return this.gateway.connections;
  }
  get heartbeatsReceived(): number {
    return this.gateway.heartbeats;
  }
  /** Every request the fake answered 429, in order: what the bot would have been refused by Discord. */
  get rateLimited(): readonly RateLimitRecord[] {
    return this.rest.rateLimited;
  }
  /** Channels that answer 403 Missing Access to message posts. */
  get forbiddenChannels(): Set<string> {
    return this.state.forbiddenChannels;
  }

  /** Users whose DMs are closed to the bot: messages to them answer 403 (code 50007). */
  get closedDms(): Set<string> {
    return this.state.closedDms;
  }

  /**
   * Holds the next REST request that `match`es (method, path, JSON payload) before applying it, as
   * if it were still travelling to Discord, until `release()` — to order two clients' requests.
   */
  holdRequest(match: (method: string, path: string, payload: Json | undefined) => boolean): HeldRequest {
    return this.rest.hold(match);
  }

  /**
   * Refuses the next REST request that `match`es with this status and Discord error body instead of
   * applying it (one request per call): a Discord that fails one call, for the bot's error paths.
   */
  failRequest(match: (method: string, path: string, payload: Json | undefined) => boolean, status: number, error: { message: string; code: number }): void {
    this.rest.fail(match, { status, body: error });
  }

  /** Messages the bot sent to this user's DM channel. */
  directMessages(userId: string): RecordedMessage[] {
    return this.state.messages.items.filter((m) => m.action === 'create' && this.state.dmChannels.get(m.channelId) === userId);
  }

  /** Registered commands: global with no argument, else for that guild. */
  commands(guildId?: string): readonly Json[] {
    return this.state.commands.get(guildId ?? '') ?? [];
  }

  message(id: string): Json | undefined {
    return this.state.storedMessages.get(id);
  }

  /**
   * Backdates a stored message by `ms` (its `timestamp`), e.g. past an hour to exercise the cap on
   * edits of old messages. Throws for an unknown message.
   */
  ageMessage(messageId: string, ms: number): void {
    const message = this.state.storedMessages.get(messageId);
    if (!message) throw new Error(`fake-discord: no stored message ${messageId} to age`);
    this.state.storedMessages.set(messageId, { ...message, timestamp: new Date(Date.parse(message['timestamp'] as string) - ms).toISOString() });
  }

  /** Deletes a stored message, as a member or moderator would in the client. */
  deleteMessage(id: string): boolean {
    return this.state.deleteMessage(id, 'channel');
  }

  /**
   * Stores a file as Discord's CDN would and returns its attachment object (with a URL the fake
   * serves), e.g. for an attachment option of a slash command (`resolved.attachments`).
   */
  uploadAttachment(file: RecordedFile, extra: Json = {}): Json {
    return { ...this.state.attach([file])[0]!, ...extra };
  }

  waitForMessage(match: (message: RecordedMessage) => boolean, timeoutMs?: number): Promise<RecordedMessage> {
    return this.state.messages.waitFor(match, timeoutMs, 'a matching message');
  }

  waitForRequest(match: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest> {
    return this.state.requests.waitFor(match, timeoutMs, 'a matching request');
  }

  /** Resolves once a client has identified (READY sent). */
  waitForGatewayReady(): Promise<void> {
    return this.gateway.waitForReady();
  }

  /** Per-interaction latency from dispatch to callback, in dispatch order. */
  latencies(): { interactionId: string; latencyMs: number }[] {
    return this.state.callbacks.items.map(({ interactionId, latencyMs }) => ({ interactionId, latencyMs }));
  }

  /**
   * Ids of interactions, in dispatch order, whose deadline (`interactionDeadlineMs`) has passed
   * without an accepted callback: on Discord the member saw "The application did not respond".
   */
  unacknowledged(): string[] {
    const now = performance.now();
    return [...this.state.interactions.values()]
      .filter((interaction) => !interaction.acknowledged && now - interaction.dispatchedAt > this.interactionDeadlineMs)
      .map((interaction) => interaction.id);
  }

  addGuild(input: AddGuildInput): FakeGuild {
    const roles = [...(input.roles ?? [])];
    if (!roles.some((role) => role.id === input.id)) roles.unshift({ id: input.id, name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS });
    const guild: FakeGuild = {
      id: input.id,
      name: input.name,
      ownerId: input.ownerId ?? '100000000000000001',
      channels: [...(input.channels ?? [])],
      roles,
      botRoles: [...(input.botRoles ?? [])],
      joinedAt: new Date().toISOString(),
    };
    this.state.guilds.set(guild.id, guild);
    // A guild added while connected arrives as the bot joining it.
    if (this.gateway.hasReadySession) this.dispatch('GUILD_CREATE', this.guildCreatePayload(guild));
    return guild;
  }

  addEntitlement(input: { userId?: string; guildId?: string; skuId: string; type?: number; consumed?: boolean }): Json {
    const entitlement: Json = {
      id: nextSnowflake(),
      sku_id: input.skuId,
      application_id: this.applicationId,
      user_id: input.userId ?? null,
      guild_id: input.guildId ?? null,
      type: input.type ?? 8, // 8 = APPLICATION_SUBSCRIPTION
      deleted: false,
      starts_at: null,
      ends_at: null,
      consumed: input.consumed ?? false,
    };
    this.state.entitlements.push(entitlement);
    return entitlement;
  }

  /** A SKU of the application, as List SKUs returns it: type 3 = consumable (packs), 2 = durable, 5 = subscription. */
  addSku(input: { id: string; name: string; type?: number }): Json {
    const sku: Json = {
      id: input.id,
      type: input.type ?? 3,
      application_id: this.applicationId,
      name: input.name,
      slug: input.name,
      flags: 4,
      dependent_sku_id: null,
    };
    this.state.skus.push(sku);
    return sku;
  }

  get entitlements(): readonly Json[] {
    return this.state.entitlements;
  }

  /**
   * Discord withdrawing a purchase (a refund, or its staff removing it; also Delete Test
   * Entitlement): the entitlement is marked `deleted` (the list endpoint then leaves it out
   * unless asked with exclude_deleted=false) and ENTITLEMENT_DELETE carries the whole object.
   */
  deleteEntitlement(id: string, options: { dispatch?: boolean } = {}): Json {
    const entitlement = this.updateStoredEntitlement(id, { deleted: true });
    // `dispatch: false`: deleted while no bot was connected, which Discord never sends again.
    if (options.dispatch !== false) this.dispatch('ENTITLEMENT_DELETE', entitlement);
    return entitlement;
  }

  /**
   * Changes an entitlement as Discord does — `{ deleted: true }`, `{ ends_at: '<ISO time>' }` when
   * it ends, `{ consumed: true }` — and sends ENTITLEMENT_UPDATE carrying the whole object.
   */
  updateEntitlement(id: string, changes: Json): Json {
    const entitlement = this.updateStoredEntitlement(id, changes);
    this.dispatch('ENTITLEMENT_UPDATE', entitlement);
    return entitlement;
  }

  private updateStoredEntitlement(id: string, changes: Json): Json {
    const entitlement = this.state.entitlements.find((candidate) => candidate['id'] === id);
    if (!entitlement) throw new Error(`fake-discord: no entitlement ${id}`);
    Object.assign(entitlement, changes);
    return { ...entitlement };
  }

  /** Pushes any gateway event to every connected client. */
  dispatch(eventName: string, data: unknown): void {
    this.gateway.dispatch(eventName, data);
  }

  slashCommand(input: SlashCommandInput): InteractionHandle {
    return this.commandInteraction(input, 2);
  }

  /** An APPLICATION_COMMAND_AUTOCOMPLETE: mark the option being typed with `focused: true`. */
  autocomplete(input: SlashCommandInput): InteractionHandle {
    return this.commandInteraction(input, 4);
  }

  private commandInteraction(input: SlashCommandInput, type: 2 | 4): InteractionHandle {
    const registered = [...this.commands(), ...this.commands(input.guildId)].find((command) => command['name'] === input.name);
    const data: Json = {
      id: (registered?.['id'] as string | undefined) ?? nextSnowflake(),
      name: input.name,
      type: 1,
      ...(input.options ? { options: input.options } : {}),
      ...(input.resolved ? { resolved: input.resolved } : {}),
      ...(registered?.['guild_id'] ? { guild_id: registered['guild_id'] } : {}),
    };
    return this.dispatchInteraction(input, type, data, undefined);
  }

  buttonClick(input: ButtonClickInput): InteractionHandle {
    const messageId =
      input.messageId ??
      (this.state.createMessage(
        { channelId: input.channelId, guildId: input.guildId, author: this.botUser },
        'channel',
        { content: 'message with a button', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Go', custom_id: input.customId }] }] },
        [],
      )['id'] as string);
    const message = this.state.storedMessages.get(messageId);
    if (!message) throw new Error(`fake-discord: no stored message ${messageId} to click a button on`);
    return this.dispatchInteraction(input, 3, { custom_id: input.customId, component_type: 2 }, message);
  }

  /** A choice in a select menu (string select: component_type 3) on a stored message. */
  selectMenu(input: ButtonClickInput & { readonly values: readonly string[] }): InteractionHandle {
    const message = input.messageId ? this.state.storedMessages.get(input.messageId) : undefined;
    if (!message) throw new Error(`fake-discord: no stored message ${input.messageId ?? '(none)'} to choose in`);
    return this.dispatchInteraction(input, 3, { custom_id: input.customId, component_type: 3, values: [...input.values] }, message);
  }

  /** A modal's submission (MODAL_SUBMIT): each text input's custom_id and value, one per action row. */
  modalSubmit(
    input: InteractionActor & { readonly customId: string; readonly fields: Readonly<Record<string, string>>; readonly messageId?: string },
  ): InteractionHandle {
    const message = input.messageId ? this.state.storedMessages.get(input.messageId) : undefined;
    const components = Object.entries(input.fields).map(([customId, value]) => ({ type: 1, components: [{ type: 4, custom_id: customId, value }] }));
    return this.dispatchInteraction(input, 5, { custom_id: input.customId, components }, message);
  }

  /** Calls `listener` with every later message created, edited or deleted (the playground's live page). */
  onMessage(listener: (message: RecordedMessage) => void): () => void {
    return this.state.messages.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.gateway.closeAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private dispatchInteraction(actor: InteractionActor, type: number, data: Json, message: Json | undefined): InteractionHandle {
    const guild = this.state.guilds.get(actor.guildId);
    if (!guild) throw new Error(`fake-discord: unknown guild ${actor.guildId}; call addGuild first`);
    const id = nextSnowflake();
    const token = `fake-interaction-token-${id}`;
    const payload = interactionPayload({ id, token, applicationId: this.applicationId, guild, actor }, type, data, message ? { message } : {});
    const record: InteractionRecord = {
      id,
      token,
      guildId: guild.id,
      channelId: actor.channelId,
      dispatchedAt: 0,
      sourceMessageId: message?.['id'] as string | undefined,
      acknowledged: false,
      originalMessageId: message?.['id'] as string | undefined,
      webhookCalls: new Recorder<RecordedWebhookCall>(),
    };
    this.state.interactions.set(id, record);
    this.state.interactionsByToken.set(token, record);
    record.dispatchedAt = performance.now();
    this.dispatch('INTERACTION_CREATE', payload);
    const response = (timeoutMs?: number) =>
      this.state.callbacks.waitFor((callback) => callback.interactionId === id, timeoutMs, `the callback of interaction ${id}`);
    return {
      id,
      token,
      payload,
      response,
      answer: (timeoutMs = 5_000) => waitForAnswer(response, record.webhookCalls, timeoutMs, id),
      webhookCalls: () => record.webhookCalls.items,
      waitForWebhookCall: (kind, timeoutMs) =>
        record.webhookCalls.waitFor((call) => kind === undefined || call.kind === kind, timeoutMs, `a ${kind ?? 'webhook'} call for interaction ${id}`),
      originalMessage: () => (record.originalMessageId ? this.state.storedMessages.get(record.originalMessageId) : undefined),
    };
  }

  private readyPayload(sessionId: string, shard: readonly [number, number], guilds: readonly FakeGuild[]): Json {
    return {
      v: 10,
      user: { ...userPayload(this.botUser), verified: true, mfa_enabled: false },
      // Guilds start unavailable; discord.js then waits for a GUILD_CREATE per guild before 'ready'.
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: sessionId,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      shard: [...shard],
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
    };
  }

  private guildCreatePayload(guild: FakeGuild): Json {
    const botMember = memberPayload(this.botUser, guild.botRoles, guild.joinedAt);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      preferred_locale: 'en-US',
      features: [],
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      application_id: null,
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: 2,
      roles: guild.roles.map((role, index) => rolePayload(role, index)),
      emojis: [],
      stickers: [],
      channels: guild.channels.map((channel, index) => channelPayload(channel, guild.id, index)),
      threads: [],
      members: [botMember],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }
}
