// Everything the fake remembers, shared by the REST routes, the gateway and the test-facing API.
// Kept in one place so a REST call (e.g. an interaction callback) can find what the gateway dispatched.
import type { RecordedFile } from './http-body.js';
import { attachmentPayload, messagePayload, type FakeChannelInput, type FakeRoleInput, type FakeUser, type Json, type MessageInit } from './payloads.js';
import { Recorder } from './recorder.js';
import { nextSnowflake } from './snowflake.js';

/** MessageFlags.Ephemeral: set when a message is created, never changed by an edit. */
export const EPHEMERAL = 1 << 6;

export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly channels: FakeChannelInput[];
  /** Always includes @everyone (id === guild id), which discord.js requires for permission maths. */
  readonly roles: FakeRoleInput[];
  /** Role ids the bot's own member holds; they feed `app_permissions`. */
  readonly botRoles: string[];
  readonly joinedAt: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  /** Whether an `Authorization: Bot <token>` header with the right token came along. */
  readonly botAuthorized: boolean;
  readonly status: number;
  readonly payload: unknown;
  readonly files: RecordedFile[];
  readonly routeKnown: boolean;
}

export interface RecordedCallback {
  readonly interactionId: string;
  readonly token: string;
  /** InteractionResponseType: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 9 modal, ... */
  readonly type: number;
  readonly data: Json | undefined;
  readonly files: RecordedFile[];
  readonly withResponse: boolean;
  /** Milliseconds from the INTERACTION_CREATE dispatch to this callback arriving. */
  readonly latencyMs: number;
}

export type WebhookCallKind = 'edit-original' | 'delete-original' | 'followup' | 'edit-followup';

export interface RecordedWebhookCall {
  readonly kind: WebhookCallKind;
  readonly token: string;
  readonly messageId: string;
  readonly payload: Json | undefined;
  readonly files: RecordedFile[];
  readonly msSinceDispatch: number;
  /** Whether the message this call wrote (or deleted) is ephemeral; fixed when it was created. */
  readonly ephemeral: boolean;
}

export interface RecordedMessage {
  readonly action: 'create' | 'edit' | 'delete';
  readonly via: 'channel' | 'interaction';
  readonly channelId: string;
  readonly messageId: string;
  readonly payload: Json | undefined;
  readonly files: RecordedFile[];
  /** The stored message after this action, as the fake would return it. */
  readonly message: Json;
}

export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly guildId: string | undefined;
  readonly channelId: string;
  dispatchedAt: number;
  /** For component interactions: the message the component sits on (what an update edits). */
  readonly sourceMessageId: string | undefined;
  acknowledged: boolean;
  originalMessageId: string | undefined;
  readonly webhookCalls: Recorder<RecordedWebhookCall>;
}

export class FakeDiscordState {
  readonly guilds = new Map<string, FakeGuild>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly storedMessages = new Map<string, Json>();
  readonly attachments = new Map<string, RecordedFile>();
  /** Keyed by '' for global commands, or by guild id. */
  readonly commands = new Map<string, Json[]>();
  readonly entitlements: Json[] = [];
  /** The application's SKUs (GET /applications/:id/skus); added by tests that sell through Discord. */
  readonly skus: Json[] = [];
  readonly forbiddenChannels = new Set<string>();
  /** DM channel id → the user it talks to (POST /users/@me/channels). */
  readonly dmChannels = new Map<string, string>();
  /** Users who do not accept DMs from the bot: posting to their DM answers 403 (code 50007). */
  readonly closedDms = new Set<string>();

  readonly requests = new Recorder<RecordedRequest>();
  readonly callbacks = new Recorder<RecordedCallback>();
  readonly messages = new Recorder<RecordedMessage>();

  constructor(
    readonly botUser: FakeUser,
    readonly baseUrl: () => string,
  ) {}

  findChannel(channelId: string): { guild: FakeGuild; channel: FakeChannelInput } | undefined {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.find((candidate) => candidate.id === channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  /** Turns uploaded files into attachment objects, kept so their URLs can be fetched back. */
  attach(files: readonly RecordedFile[]): Json[] {
    return files.map((file) => {
      const id = nextSnowflake();
      this.attachments.set(id, file);
      return attachmentPayload(file, id, this.baseUrl());
    });
  }

  createMessage(init: MessageInit, via: RecordedMessage['via'], payload: Json | undefined, files: RecordedFile[]): Json {
    const message = messagePayload(init, { ...pickMessageFields(payload), attachments: this.attach(files) });
    this.storedMessages.set(message['id'] as string, message);
    this.messages.push({ action: 'create', via, channelId: init.channelId, messageId: message['id'] as string, payload, files, message });
    return message;
  }

  editMessage(messageId: string, via: RecordedMessage['via'], payload: Json | undefined, files: RecordedFile[]): Json | undefined {
    const current = this.storedMessages.get(messageId);
    if (!current) return undefined;
    const next: Json = { ...current, ...pickMessageFields(payload), edited_timestamp: new Date().toISOString() };
    // As on Discord, ephemerality is fixed when a message is created: an edit's flags cannot change it.
    next['flags'] = (Number(next['flags'] ?? 0) & ~EPHEMERAL) | (Number(current['flags'] ?? 0) & EPHEMERAL);
    // An edit keeps only the old attachments it lists by id, plus whatever it uploads now.
    const listed = payload?.['attachments'];
    const kept = Array.isArray(listed)
      ? (current['attachments'] as Json[]).filter((old) => listed.some((entry) => (entry as Json)['id'] === old['id']))
      : (current['attachments'] as Json[]);
    next['attachments'] = [...kept, ...this.attach(files)];
    this.storedMessages.set(messageId, next);
    this.messages.push({ action: 'edit', via, channelId: next['channel_id'] as string, messageId, payload, files, message: next });
    return next;
  }

  deleteMessage(messageId: string, via: RecordedMessage['via']): boolean {
    const current = this.storedMessages.get(messageId);
    if (!current) return false;
    this.storedMessages.delete(messageId);
    this.messages.push({ action: 'delete', via, channelId: current['channel_id'] as string, messageId, payload: undefined, files: [], message: current });
    return true;
  }
}

const MESSAGE_FIELDS = ['content', 'embeds', 'components', 'flags', 'tts', 'poll', 'sticker_ids'] as const;

/** Only the fields a send/edit may set; `attachments` in a payload are references, handled separately. */
const pickMessageFields = (payload: Json | undefined): Json => {
  const picked: Json = {};
  for (const field of MESSAGE_FIELDS) if (payload && payload[field] !== undefined) picked[field] = payload[field];
  return picked;
};
