// The Gateway half of the fake: Discord's v10 WebSocket protocol, JSON encoding, no compression.
// discord.js only asks for zlib-stream when the optional `zlib-sync` package is installed; we refuse
// that loudly (close 4000) instead of sending frames it cannot decode.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Json } from './payloads.js';

const OP = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;

export interface GatewayConnectionInfo {
  /** The query string the client connected with (discord.js: `v=10&encoding=json`). */
  readonly query: Record<string, string>;
  identify: Json | undefined;
}

interface Session {
  readonly socket: WebSocket;
  readonly info: GatewayConnectionInfo;
  readonly sessionId: string;
  seq: number;
  ready: boolean;
  /** [shard id, shard count] from IDENTIFY; [0, 1] when the client does not shard. */
  shard: readonly [number, number];
}

/** Discord's rule: a guild's events go to shard (guild_id >> 22) % shard count. */
export const shardOf = (guildId: string, shardCount: number): number => Number((BigInt(guildId) >> 22n) % BigInt(shardCount));

/** The guild an event belongs to, if any (GUILD_CREATE carries it as `id`). */
const guildOfEvent = (t: string, d: unknown): string | undefined => {
  if (typeof d !== 'object' || d === null) return undefined;
  const event = d as { guild_id?: unknown; id?: unknown };
  if (typeof event.guild_id === 'string') return event.guild_id;
  return t === 'GUILD_CREATE' && typeof event.id === 'string' ? event.id : undefined;
};

export interface GatewayOptions {
  readonly token: string;
  readonly heartbeatIntervalMs: number;
  /** Shards the bot must connect with (GET /gateway/bot recommends it); 1 = no sharding. */
  readonly shardCount: number;
  readonly resumeUrl: () => string;
  /** Builds READY's `d` for one shard; called at identify time so it reflects guilds added before connecting. */
  readonly readyPayload: (sessionId: string, shard: readonly [number, number]) => Json;
  /** Events to send right after READY (GUILD_CREATE per guild of the shard), as Discord does for lazy guilds. */
  readonly afterReady: (shard: readonly [number, number]) => { t: string; d: Json }[];
}

export class FakeGateway {
  readonly connections: GatewayConnectionInfo[] = [];
  heartbeats = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  private readonly readyWaiters: (() => void)[] = [];

  constructor(private readonly options: GatewayOptions) {}

  get hasReadySession(): boolean {
    return [...this.sessions].some((session) => session.ready);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  /**
   * Sends a dispatch to the identified sessions that Discord would send it to: a guild's events to
   * that guild's shard, others (DMs, entitlements) to shard 0. Throws if no such session is
   * connected, to fail fast in tests.
   */
  dispatch(t: string, d: unknown): void {
    const guildId = guildOfEvent(t, d);
    const ready = [...this.sessions].filter(
      (session) => session.ready && session.shard[0] === (guildId === undefined ? 0 : shardOf(guildId, session.shard[1])),
    );
    if (ready.length === 0) throw new Error(`fake-discord: cannot dispatch ${t}, no gateway session for it has identified`);
    for (const session of ready) this.sendDispatch(session, t, d);
  }

  waitForReady(): Promise<void> {
    if (this.hasReadySession) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Closes every connection with `code`, e.g. 4000 to make discord.js resume, or on shutdown. */
  async closeAll(code = 1001): Promise<void> {
    for (const session of this.sessions) session.socket.close(code);
    this.sessions.clear();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const query = Object.fromEntries(new URL(request.url ?? '/', 'ws://fake.local').searchParams);
    const info: GatewayConnectionInfo = { query, identify: undefined };
    this.connections.push(info);
    const session: Session = { socket, info, sessionId: `fake-session-${this.connections.length}`, seq: 0, ready: false, shard: [0, 1] };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    if (query['encoding'] !== undefined && query['encoding'] !== 'json') return void socket.close(4002, 'fake-discord only speaks encoding=json');
    if (query['compress'] !== undefined) return void socket.close(4000, 'fake-discord does not support transport compression');
    socket.on('message', (raw: RawData) => this.onMessage(session, raw));
    this.send(session, { op: OP.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
  }

  private onMessage(session: Session, raw: RawData): void {
    const text = Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8');
    const payload = JSON.parse(text) as { op: number; d: unknown };
    switch (payload.op) {
      case OP.Heartbeat:
        this.heartbeats += 1;
        this.send(session, { op: OP.HeartbeatAck, d: null, s: null, t: null });
        return;
      case OP.Identify:
        return this.identify(session, payload.d as Json);
      case OP.Resume:
        // Sessions do not survive a reconnect here; tell the client to identify afresh, as Discord may.
        this.send(session, { op: OP.InvalidSession, d: false, s: null, t: null });
        return;
      default:
        // Presence updates, request guild members, voice state: accepted and ignored.
        return;
    }
  }

  private identify(session: Session, identify: Json): void {
    session.info.identify = identify;
    if (identify['token'] !== this.options.token) return void session.socket.close(4004, 'Authentication failed.');
    if (identify['compress'] === true) return void session.socket.close(4000, 'fake-discord does not support payload compression');
    const shard = identify['shard'];
    if (shard !== undefined) {
      const [id, count] = shard as [number, number];
      if (count !== this.options.shardCount || !(id >= 0 && id < count)) return void session.socket.close(4011, 'Sharding required.');
      session.shard = [id, count];
    } else if (this.options.shardCount !== 1) {
      return void session.socket.close(4011, 'Sharding required.');
    }
    this.sendDispatch(session, 'READY', this.options.readyPayload(session.sessionId, session.shard));
    session.ready = true;
    for (const event of this.options.afterReady(session.shard)) this.sendDispatch(session, event.t, event.d);
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private sendDispatch(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    this.send(session, { op: OP.Dispatch, t, s: session.seq, d });
  }

  private send(session: Session, payload: Json): void {
    session.socket.send(JSON.stringify(payload));
  }
}
