// The playground's web side, as routes on the process's HTTP listener (127.0.0.1 only in the
// playground): the page and its two static files, a JSON API for what the page does, one
// Server-Sent Events stream per open page for live messages and balance, and the local Discord's
// attachments relayed so the browser needs only this one origin.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { soldPlans } from '../domain/subscriptions/plans.js';
import type { HttpRoute } from '../observability/health-server.js';
import type { Logger } from '../shared/logger.js';
import { fromProjectRoot } from '../shared/project-root.js';
import { errorMessage } from '../shared/error-message.js';
import type { BalanceView } from './balance-panel.js';
import type { ChannelFeed, FeedEvent } from './channel-feed.js';
import type { FakeDiscord, FakeGuild } from './local-discord/fake-discord.js';
import { PlaygroundInputError, type PlaygroundApi } from './playground-api.js';
import { PERSONAS, personaByKey, type Persona } from './playground-world.js';

export interface PlaygroundHttpOptions {
  readonly api: PlaygroundApi;
  readonly feed: ChannelFeed;
  readonly discord: FakeDiscord;
  readonly guild: FakeGuild;
  readonly channel: { readonly id: string; readonly name: string };
  readonly card: PriceCard;
  readonly balanceOf: (persona: Persona) => Promise<BalanceView>;
  /** The role → tier mappings of the guild, for the owner's panel. */
  readonly roleTiers: () => Promise<ReadonlyMap<string, string>>;
  readonly log: Logger;
}

const webDir = fromProjectRoot('src', 'playground', 'web');
const STATIC: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/playground/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/playground/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};
// The page loads only its own files and images; nothing inline, nothing from elsewhere.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
/** A command may carry an image to start from (10 MiB, base64); every other request is small. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_COMMAND_BODY_BYTES = 14 * 1024 * 1024;

export interface PlaygroundHttp {
  readonly routes: readonly HttpRoute[];
  /** Ends every open event stream, so the listener can close. */
  closeStreams(): void;
}

export function createPlaygroundHttp(options: PlaygroundHttpOptions): PlaygroundHttp {
  const streams = new Set<ServerResponse>();
  const log = options.log.child({ part: 'playground' });

  const route: HttpRoute = async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://playground.local');
    const method = request.method ?? 'GET';
    const asset = STATIC[url.pathname];
    if (asset && method === 'GET') {
      response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
      response.end(await readFile(`${webDir}/${asset.file}`));
      return true;
    }
    if (url.pathname.startsWith('/attachments/') && method === 'GET') return relayAttachment(url, response);
    if (!url.pathname.startsWith('/api/')) return false;
    try {
      if (method === 'GET' && url.pathname === '/api/state') return json(response, 200, await state(personaOf(url.searchParams.get('as'))));
      if (method === 'GET' && url.pathname === '/api/events') return openStream(personaOf(url.searchParams.get('as')), request, response);
      if (method === 'GET' && url.pathname === '/api/balance') return json(response, 200, await options.balanceOf(personaOf(url.searchParams.get('as'))));
      if (method === 'POST') {
        const limit = url.pathname === '/api/command' ? MAX_COMMAND_BODY_BYTES : MAX_BODY_BYTES;
        return json(response, 200, await act(url.pathname, await readJson(request, limit)));
      }
      return json(response, 404, { error: `no ${method} ${url.pathname}` });
    } catch (error) {
      if (error instanceof PlaygroundInputError) return json(response, 400, { error: error.message });
      log.error({ err: error, path: url.pathname }, 'playground request failed');
      return json(response, 500, { error: `the playground failed: ${errorMessage(error)}` });
    }
  };

  async function act(path: string, body: Record<string, unknown>): Promise<unknown> {
    const persona = personaOf(body['as']);
    switch (path) {
      case '/api/command':
        return options.api.command(persona, { name: body['name'], path: body['path'], values: body['values'] });
      case '/api/autocomplete':
        return {
          choices: await options.api.autocomplete(persona, { name: body['name'], path: body['path'], values: body['values'], focused: body['focused'] }),
        };
      case '/api/button':
        return options.api.button(persona, { messageId: body['messageId'], customId: body['customId'] });
      case '/api/select':
        return options.api.select(persona, { messageId: body['messageId'], customId: body['customId'], values: body['values'] });
      case '/api/modal':
        return options.api.modal(persona, { customId: body['customId'], fields: body['fields'], messageId: body['messageId'] });
      case '/api/purchase':
        return { note: await options.api.purchase(persona, { method: body['method'], packId: body['packId'], buyer: body['buyer'], again: body['again'] }) };
      case '/api/buy-sku':
        return { note: await options.api.buySku(persona, { skuId: body['skuId'] }) };
      default:
        throw new PlaygroundInputError(`no action ${path}`);
    }
  }

  async function state(persona: Persona) {
    const roleTiers = await options.roleTiers();
    return {
      playground: true,
      me: persona.key,
      personas: PERSONAS.map(({ key, username, description, userId, roleIds, owner }) => ({ key, username, description, userId, roleIds, owner })),
      guild: { id: options.guild.id, name: options.guild.name },
      channel: options.channel,
      roles: options.guild.roles
        .filter((role) => role.id !== options.guild.id)
        .map((role) => ({ id: role.id, name: role.name, tier: roleTiers.get(role.id) ?? null })),
      tiers: options.card.tiers.map((tier) => tier.name),
      packs: options.card.packs.map((pack) => ({
        id: pack.id,
        label: pack.label ?? pack.id,
        credits: pack.credits,
        priceUsd: pack.priceUsd,
        skuId: pack.discordSkuId ?? null,
      })),
      plans: soldPlans(options.card).map(({ id, tier, plan, credits }) => ({
        id,
        tier: tier.label,
        interval: plan.interval,
        credits,
        priceUsd: plan.priceUsd,
        skuId: plan.discordSkuId ?? null,
      })),
      commands: options.api.commandsFor(persona),
      messages: options.feed.visibleTo(persona),
      balance: await options.balanceOf(persona),
    };
  }

  function openStream(persona: Persona, request: IncomingMessage, response: ServerResponse): true {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...SECURITY_HEADERS });
    response.write(': connected\n\n');
    streams.add(response);
    let balanceTimer: NodeJS.Timeout | undefined;
    const send = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // Credits move when a job is charged or refunded, when a purchase is granted: after any
    // message this person sees, the panel is refreshed once things settle.
    const refreshBalance = () => {
      clearTimeout(balanceTimer);
      balanceTimer = setTimeout(() => {
        options.balanceOf(persona).then(
          (balance) => send('balance', balance),
          (error: unknown) => log.warn({ err: error }, 'playground balance refresh failed'),
        );
      }, 150);
    };
    const unsubscribe = options.feed.subscribe((viewer, event: FeedEvent) => {
      if (viewer.key !== persona.key) return;
      send(event.kind === 'upsert' ? 'message' : 'delete', event.kind === 'upsert' ? event.message : { id: event.id });
      refreshBalance();
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    const end = () => {
      clearInterval(keepAlive);
      clearTimeout(balanceTimer);
      unsubscribe();
      streams.delete(response);
    };
    request.on('close', end);
    return true;
  }

  async function relayAttachment(url: URL, response: ServerResponse): Promise<true> {
    const upstream = await fetch(`${options.discord.baseUrl}${url.pathname}`);
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream', ...SECURITY_HEADERS });
    response.end(Buffer.from(await upstream.arrayBuffer()));
    return true;
  }

  return {
    routes: [route],
    closeStreams() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

function personaOf(key: unknown): Persona {
  const persona = personaByKey(key);
  if (!persona) throw new PlaygroundInputError(`choose who you are: ${PERSONAS.map((candidate) => candidate.key).join(', ')}`);
  return persona;
}

const json = (response: ServerResponse, status: number, body: unknown): true => {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  response.end(JSON.stringify(body));
  return true;
};

async function readJson(request: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  // A page on another site cannot send JSON here without a preflight the server never allows.
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) throw new PlaygroundInputError('send JSON');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PlaygroundInputError('that request is too large');
    chunks.push(chunk);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new PlaygroundInputError('send a JSON object');
}
