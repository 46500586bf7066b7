// The REST half of the fake: a table of `/api/v10` routes. Anything not in the table answers 404
// and is recorded with `routeKnown: false`, so a test can see what the bot called that we lack.
// Every request passes the rate limiter first (see rate-limits.ts): a 429 is answered before any
// route runs, so a refused request changes nothing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBody, type RecordedFile } from './http-body.js';
import { OldMessageEdits } from './old-message-edits.js';
import { channelPayload, userPayload, type Json } from './payloads.js';
import { RateLimiter, type RateLimitRecord, type RateLimitSettings } from './rate-limits.js';
import { InteractionRoutes, type RestReply } from './rest-interactions.js';
import { nextSnowflake } from './snowflake.js';
import type { FakeDiscordState } from './state.js';
import type { FakeSubscriptions } from './subscriptions.js';

interface RouteContext {
  readonly params: string[];
  readonly query: URLSearchParams;
  readonly payload: unknown;
  readonly files: RecordedFile[];
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** Bot-token routes need the Authorization header; interaction/webhook routes carry their own token. */
  readonly botAuth: boolean;
  readonly handle: (context: RouteContext) => RestReply;
}

const ID = '([^/]+)';
const ok = (body: unknown): RestReply => ({ status: 200, body });

export interface RestOptions {
  /** App subscriptions: their REST routes answer from it. */
  readonly subscriptions: FakeSubscriptions;
  readonly token: string;
  readonly gatewayUrl: () => string;
  /** The shard count GET /gateway/bot recommends. */
  readonly shards: number;
  readonly rateLimits: false | Partial<RateLimitSettings> | undefined;
  readonly interactionDeadlineMs: number;
  readonly interactionTokenTtlMs: number;
  readonly oldMessageEditsPerHour: number;
}

/** A request held back before the fake applies it, as if it were still on its way to Discord. */
export interface HeldRequest {
  /** Resolves when a matching request has arrived (and is being held). */
  readonly arrived: Promise<void>;
  /** Lets it through: the fake applies and answers it. */
  release(): void;
}

interface Hold {
  readonly match: (method: string, path: string, payload: Json | undefined) => boolean;
  readonly arrive: () => void;
  readonly gate: Promise<void>;
}

export class FakeRest {
  private readonly routes: Route[];
  private readonly holds: Hold[] = [];
  private readonly limiter: RateLimiter;
  private readonly oldEdits: OldMessageEdits;

  /** Every request answered 429, in order. */
  get rateLimited(): readonly RateLimitRecord[] {
    return this.limiter.refused;
  }

  private readonly failures: { readonly match: Hold['match']; readonly reply: RestReply }[] = [];

  /** Answers the next request that `match`es with `reply` instead of applying it; one request per call. */
  fail(match: Hold['match'], reply: RestReply): void {
    this.failures.push({ match, reply });
  }

  /** Holds the next request that `match`es until `release()`; one request per call. */
  hold(match: Hold['match']): HeldRequest {
    let arrive!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ match, arrive, gate });
    return { arrived, release };
  }

  constructor(
    private readonly state: FakeDiscordState,
    private readonly options: RestOptions,
  ) {
    this.limiter = new RateLimiter(options.rateLimits);
    this.oldEdits = new OldMessageEdits(options.oldMessageEditsPerHour);
    const interactions = new InteractionRoutes(state, {
      deadlineMs: options.interactionDeadlineMs,
      tokenTtlMs: options.interactionTokenTtlMs,
      oldEdits: this.oldEdits,
    });
    const route = (method: string, path: string, botAuth: boolean, handle: Route['handle']): Route => ({
      method,
      pattern: new RegExp(`^${path}$`),
      botAuth,
      handle,
    });
    this.routes = [
      route('GET', '/gateway/bot', true, () =>
        ok({
          url: options.gatewayUrl(),
          shards: options.shards,
          // @discordjs/ws caches this for reset_after ms and sizes its identify throttler from
          // max_concurrency (big bots get 16): all shards may identify at once, no 5 s spacing.
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 14_400_000, max_concurrency: options.shards },
        }),
      ),
      route('GET', '/users/@me', true, () => ok(userPayload(state.botUser))),
      route('GET', '/applications/@me', true, () => ok(this.application())),
      route('GET', `/applications/${ID}/commands`, true, ({ params }) => this.commandsFor(params[0]!, '')),
      route('PUT', `/applications/${ID}/commands`, true, ({ params, payload }) => this.putCommands(params[0]!, '', payload)),
      route('GET', `/applications/${ID}/guilds/${ID}/commands`, true, ({ params }) => this.commandsFor(params[0]!, params[1]!)),
      route('PUT', `/applications/${ID}/guilds/${ID}/commands`, true, ({ params, payload }) => this.putCommands(params[0]!, params[1]!, payload)),
      // List SKUs: every SKU of the application, prices not included (Discord never gives a bot those).
      route('GET', `/applications/${ID}/skus`, true, ({ params }) => ok(this.state.skus.filter((sku) => sku['application_id'] === params[0]))),
      route('GET', `/applications/${ID}/entitlements`, true, ({ params, query }) => this.listEntitlements(params[0]!, query)),
      route('POST', `/applications/${ID}/entitlements/${ID}/consume`, true, ({ params }) => this.consumeEntitlement(params[0]!, params[1]!)),
      route('GET', `/applications/${ID}/entitlements/${ID}`, true, ({ params }) => options.subscriptions.entitlementRoute(params[0]!, params[1]!)),
      route('GET', `/skus/${ID}/subscriptions`, true, ({ params, query }) => options.subscriptions.listRoute(params[0]!, query)),
      route('GET', `/skus/${ID}/subscriptions/${ID}`, true, ({ params }) => options.subscriptions.getRoute(params[0]!, params[1]!)),
      route('POST', '/users/@me/channels', true, ({ payload }) => this.openDm(payload)),
      route('GET', `/channels/${ID}`, true, ({ params }) => {
        const found = this.state.findChannel(params[0]!);
        if (!found) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
        return ok(channelPayload(found.channel, found.guild.id, found.guild.channels.indexOf(found.channel)));
      }),
      route('POST', `/channels/${ID}/messages`, true, ({ params, payload, files }) => this.createChannelMessage(params[0]!, payload, files)),
      route('GET', `/channels/${ID}/messages/${ID}`, true, ({ params }) => this.getChannelMessage(params[0]!, params[1]!)),
      route('DELETE', `/channels/${ID}/messages/${ID}`, true, ({ params }) => this.deleteChannelMessage(params[0]!, params[1]!)),
      route('PATCH', `/channels/${ID}/messages/${ID}`, true, ({ params, payload, files }) => this.editChannelMessage(params[0]!, params[1]!, payload, files)),
      route('POST', `/interactions/${ID}/${ID}/callback`, false, ({ params, query, payload, files }) =>
        interactions.callback(params[0]!, params[1]!, query, payload, files),
      ),
      route('GET', `/webhooks/${ID}/${ID}/messages/${ID}`, false, ({ params }) => interactions.getMessage(params[0]!, params[1]!, params[2]!)),
      route('PATCH', `/webhooks/${ID}/${ID}/messages/${ID}`, false, ({ params, payload, files }) =>
        interactions.editMessage(params[0]!, params[1]!, params[2]!, payload, files),
      ),
      route('DELETE', `/webhooks/${ID}/${ID}/messages/@original`, false, ({ params }) => interactions.deleteOriginal(params[0]!, params[1]!)),
      route('POST', `/webhooks/${ID}/${ID}`, false, ({ params, payload, files }) => interactions.followup(params[0]!, params[1]!, payload, files)),
    ];
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake.local');
    const attachment = /^\/attachments\/([^/]+)\//.exec(url.pathname);
    // Discord's CDN answers HEAD too (the Replicate provider checks a source image's size and type with it).
    if ((request.method === 'GET' || request.method === 'HEAD') && attachment) return this.serveAttachment(attachment[1]!, response);

    // @discordjs/rest percent-encodes `@original` as `%40original`; match on decoded segments.
    const decodedPath = url.pathname.split('/').map(decodeURIComponent).join('/');
    const path = decodedPath.replace(/^\/api\/v10/, '');
    const query = Object.fromEntries(url.searchParams);
    const botAuthorized = request.headers.authorization === `Bot ${this.options.token}`;
    const { payload, files } = await decodeBody(request);
    const held = this.holds.findIndex((hold) => hold.match(request.method ?? '', url.pathname, payload as Json | undefined));
    if (held >= 0) {
      const [hold] = this.holds.splice(held, 1);
      hold!.arrive();
      await hold!.gate;
    }
    const match = this.routes
      .map((candidate) => ({ candidate, params: candidate.method === request.method ? candidate.pattern.exec(path) : null }))
      .find(({ params }) => params !== null);

    const limit = this.limiter.check(request.method ?? '', path, decodedPath, botAuthorized);
    const failed = this.failures.findIndex((failure) => failure.match(request.method ?? '', url.pathname, payload as Json | undefined));
    let reply: RestReply;
    if (failed >= 0 && !limit.refused) {
      reply = this.failures.splice(failed, 1)[0]!.reply;
    } else if (limit.refused) {
      reply = limit.refused;
    } else if (!url.pathname.startsWith('/api/v10/') || !match) {
      reply = { status: 404, body: { message: `fake-discord has no route ${request.method} ${url.pathname}`, code: 0 } };
    } else if (match.candidate.botAuth && !botAuthorized) {
      reply = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    } else {
      reply = match.candidate.handle({ params: match.params!.slice(1), query: url.searchParams, payload, files });
    }
    // Allowed requests on limited routes carry the bucket's state, whatever their status.
    const headers = { ...(limit.refused ? {} : limit.headers), ...reply.headers };
    this.state.requests.push({
      method: request.method ?? '',
      path: decodedPath,
      query,
      botAuthorized,
      status: reply.status,
      payload,
      files,
      routeKnown: match !== undefined,
    });

    if (reply.status === 204) {
      response.writeHead(204, headers).end();
      return;
    }
    response.writeHead(reply.status, { ...headers, 'content-type': 'application/json' });
    response.end(JSON.stringify(reply.body ?? null));
  }

  private serveAttachment(id: string, response: ServerResponse): void {
    const file = this.state.attachments.get(id);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    // Node leaves the length out of a HEAD answer unless it is set.
    response.writeHead(200, { 'content-type': file.contentType || 'application/octet-stream', 'content-length': file.data.length }).end(file.data);
  }

  private application(): Json {
    const bot = this.state.botUser;
    return {
      id: bot.id,
      name: bot.username,
      icon: null,
      description: '',
      summary: '',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      team: null,
      owner: userPayload({ id: '100000000000000001', username: 'owner' }),
      bot: userPayload(bot),
    };
  }

  private commandsFor(applicationId: string, guildId: string): RestReply {
    if (applicationId !== this.state.botUser.id) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    return ok(this.state.commands.get(guildId) ?? []);
  }

  /** Bulk overwrite: Discord replaces the whole list and assigns ids, keeping ids for unchanged names. */
  private putCommands(applicationId: string, guildId: string, payload: unknown): RestReply {
    if (applicationId !== this.state.botUser.id) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    if (guildId && !this.state.guilds.has(guildId)) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    const previous = this.state.commands.get(guildId) ?? [];
    const stored = (payload as Json[]).map((command) => ({
      type: 1,
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      ...command,
      id: previous.find((old) => old['name'] === command['name'])?.['id'] ?? nextSnowflake(),
      application_id: applicationId,
      ...(guildId ? { guild_id: guildId } : {}),
      version: nextSnowflake(),
    }));
    this.state.commands.set(guildId, stored);
    return ok(stored);
  }

  private listEntitlements(applicationId: string, query: URLSearchParams): RestReply {
    const userId = query.get('user_id');
    const guildId = query.get('guild_id');
    const skuIds = query.get('sku_ids')?.split(',');
    const excludeEnded = query.get('exclude_ended') === 'true';
    const excludeDeleted = query.get('exclude_deleted') !== 'false';
    // Pages of `limit` (1–100, default 100) by id: after a cursor, oldest first.
    const after = BigInt(query.get('after') ?? '0');
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 100)));
    return ok(
      this.state.entitlements
        .filter(
          (entitlement) =>
            entitlement['application_id'] === applicationId &&
            BigInt(entitlement['id'] as string) > after &&
            (!userId || entitlement['user_id'] === userId) &&
            (!guildId || entitlement['guild_id'] === guildId) &&
            (!skuIds || skuIds.includes(entitlement['sku_id'] as string)) &&
            (!excludeDeleted || entitlement['deleted'] !== true) &&
            (!excludeEnded || entitlement['ends_at'] === null || Date.parse(entitlement['ends_at'] as string) > Date.now()),
        )
        .sort((a, b) => (BigInt(a['id'] as string) < BigInt(b['id'] as string) ? -1 : 1))
        .slice(0, limit),
    );
  }

  private consumeEntitlement(applicationId: string, entitlementId: string): RestReply {
    const entitlement = this.state.entitlements.find((candidate) => candidate['id'] === entitlementId && candidate['application_id'] === applicationId);
    if (!entitlement) return { status: 404, body: { message: 'Unknown Entitlement', code: 10121 } };
    entitlement['consumed'] = true;
    return { status: 204 };
  }

  /** Discord hands back the same DM channel every time for the same user. */
  private openDm(payload: unknown): RestReply {
    const recipientId = (payload as Json | undefined)?.['recipient_id'];
    if (typeof recipientId !== 'string') return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    const existing = [...this.state.dmChannels].find(([, userId]) => userId === recipientId)?.[0];
    const id = existing ?? nextSnowflake();
    this.state.dmChannels.set(id, recipientId);
    return ok({ id, type: 1, last_message_id: null, flags: 0, recipients: [userPayload({ id: recipientId, username: `user${recipientId.slice(-4)}` })] });
  }

  private createChannelMessage(channelId: string, payload: unknown, files: RecordedFile[]): RestReply {
    const dmUser = this.state.dmChannels.get(channelId);
    if (dmUser !== undefined) {
      if (this.state.closedDms.has(dmUser)) return { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } };
      return ok(this.state.createMessage({ channelId, author: this.state.botUser }, 'channel', payload as Json | undefined, files));
    }
    const found = this.state.findChannel(channelId);
    if (!found) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    if (this.state.forbiddenChannels.has(channelId)) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    const init = { channelId, guildId: found.guild.id, author: this.state.botUser };
    return ok(this.state.createMessage(init, 'channel', payload as Json | undefined, files));
  }

  private getChannelMessage(channelId: string, messageId: string): RestReply {
    const message = this.state.storedMessages.get(messageId);
    return message?.['channel_id'] === channelId ? ok(message) : { status: 404, body: { message: 'Unknown Message', code: 10008 } };
  }

  private deleteChannelMessage(channelId: string, messageId: string): RestReply {
    if (this.state.storedMessages.get(messageId)?.['channel_id'] !== channelId) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    this.state.deleteMessage(messageId, 'channel');
    return { status: 204 };
  }

  private editChannelMessage(channelId: string, messageId: string, payload: unknown, files: RecordedFile[]): RestReply {
    const current = this.state.storedMessages.get(messageId);
    if (current?.['channel_id'] !== channelId) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    const tooManyOldEdits = this.oldEdits.admit(current);
    if (tooManyOldEdits) return tooManyOldEdits;
    return ok(this.state.editMessage(messageId, 'channel', payload as Json | undefined, files));
  }
}
