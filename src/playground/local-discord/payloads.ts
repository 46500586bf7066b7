// Wire-shaped Discord objects (snake_case, string ids, string permission bitfields). discord.js
// reads many fields unguarded, so these stay close to what the real API sends.
import { randomBytes } from 'node:crypto';
import { nextSnowflake } from './snowflake.js';
import type { RecordedFile } from './http-body.js';

export type Json = Record<string, unknown>;

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly bot?: boolean;
}

export interface FakeChannelInput {
  readonly id: string;
  readonly name: string;
  /** Discord ChannelType: 0 text, 2 voice, 4 category, 5 announcement, ... */
  readonly type: number;
  readonly nsfw?: boolean;
  readonly parentId?: string;
}

export interface FakeRoleInput {
  readonly id: string;
  readonly name: string;
  readonly permissions: string | bigint;
}

// ViewChannel | SendMessages | EmbedLinks | AttachFiles | ReadMessageHistory | UseApplicationCommands:
// what @everyone typically has, so the bot can answer without extra setup.
export const DEFAULT_EVERYONE_PERMISSIONS = ((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 31n)).toString();

export const userPayload = (user: FakeUser): Json => ({
  id: user.id,
  username: user.username,
  discriminator: '0',
  global_name: user.bot ? null : user.username,
  avatar: null,
  bot: user.bot ?? false,
  system: false,
  flags: 0,
  public_flags: 0,
});

export const rolePayload = (role: FakeRoleInput, position: number): Json => ({
  id: role.id,
  name: role.name,
  permissions: role.permissions.toString(),
  position,
  color: 0,
  colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
  hoist: false,
  icon: null,
  unicode_emoji: null,
  managed: false,
  mentionable: false,
  flags: 0,
});

export const memberPayload = (user: FakeUser, roles: readonly string[], joinedAt: string): Json => ({
  user: userPayload(user),
  roles: [...roles],
  nick: null,
  avatar: null,
  banner: null,
  joined_at: joinedAt,
  premium_since: null,
  deaf: false,
  mute: false,
  flags: 0,
  pending: false,
  communication_disabled_until: null,
});

export const channelPayload = (channel: FakeChannelInput, guildId: string, position: number): Json => ({
  id: channel.id,
  type: channel.type,
  guild_id: guildId,
  name: channel.name,
  position,
  permission_overwrites: [],
  nsfw: channel.nsfw ?? false,
  parent_id: channel.parentId ?? null,
  topic: null,
  last_message_id: null,
  rate_limit_per_user: 0,
  flags: 0,
});

/**
 * Discord's CDN links are signed and expire: `ex` is when (hex Unix seconds, about a day after
 * `is`, when the link was issued), `hm` the signature. The fake serves them by path alone.
 */
const signedQuery = (issuedAt = Math.floor(Date.now() / 1000)): string =>
  `?ex=${(issuedAt + 86_400).toString(16)}&is=${issuedAt.toString(16)}&hm=${randomBytes(32).toString('hex')}&`;

export const attachmentPayload = (file: RecordedFile, id: string, baseUrl: string): Json => {
  const url = `${baseUrl}/attachments/${id}/${encodeURIComponent(file.name)}${signedQuery()}`;
  return { id, filename: file.name, size: file.data.length, content_type: file.contentType, url, proxy_url: url };
};

export interface MessageInit {
  readonly id?: string;
  readonly channelId: string;
  readonly guildId?: string | undefined;
  readonly author: FakeUser;
  /** Interaction responses are sent through the application's webhook, and discord.js checks this. */
  readonly webhookId?: string;
  readonly type?: number;
}

export const messagePayload = (init: MessageInit, fields: Json): Json => ({
  id: init.id ?? nextSnowflake(),
  channel_id: init.channelId,
  ...(init.guildId ? { guild_id: init.guildId } : {}),
  author: userPayload(init.author),
  content: '',
  timestamp: new Date().toISOString(),
  edited_timestamp: null,
  tts: false,
  mention_everyone: false,
  mentions: [],
  mention_roles: [],
  attachments: [],
  embeds: [],
  components: [],
  pinned: false,
  type: init.type ?? 0,
  flags: 0,
  ...(init.webhookId ? { webhook_id: init.webhookId, application_id: init.webhookId } : {}),
  ...fields,
});
