// Builds INTERACTION_CREATE payloads the way Discord sends them for a guild. discord.js reads
// `entitlements`, `app_permissions`, `channel.id` and `member.user` unguarded, so all are always present.
import { channelPayload, DEFAULT_EVERYONE_PERMISSIONS, memberPayload, type FakeChannelInput, type FakeUser, type Json } from './payloads.js';
import type { FakeGuild } from './state.js';

export interface InteractionActor {
  readonly guildId: string;
  readonly channelId: string;
  readonly user: FakeUser;
  /** Role ids the invoking member holds (besides @everyone). */
  readonly roles?: readonly string[];
  /** The member's resolved permissions in the channel; defaults to the OR of their roles'. */
  readonly permissions?: string | bigint;
  readonly locale?: string;
}

export interface InteractionBase {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
  readonly guild: FakeGuild;
  readonly actor: InteractionActor;
}

const rolePermissions = (guild: FakeGuild, roleIds: readonly string[]): string =>
  guild.roles
    .filter((role) => role.id === guild.id || roleIds.includes(role.id))
    .reduce((bits, role) => bits | BigInt(role.permissions), 0n)
    .toString();

export const interactionPayload = (base: InteractionBase, type: number, data: Json, extra: Json = {}): Json => {
  const { guild, actor } = base;
  const channel = guild.channels.find((candidate) => candidate.id === actor.channelId);
  if (!channel) throw new Error(`fake-discord: channel ${actor.channelId} is not in guild ${guild.id}`);
  const roles = actor.roles ?? [];
  const permissions = actor.permissions?.toString() ?? rolePermissions(guild, roles);
  const appPermissions = rolePermissions(guild, guild.botRoles);
  return {
    id: base.id,
    application_id: base.applicationId,
    type,
    token: base.token,
    version: 1,
    guild_id: guild.id,
    guild: { id: guild.id, locale: 'en-US', features: [] },
    guild_locale: 'en-US',
    channel_id: channel.id,
    channel: { ...channelPayload(channel, guild.id, guild.channels.indexOf(channel)), permissions },
    member: { ...memberPayload(actor.user, roles, new Date().toISOString()), permissions },
    app_permissions: appPermissions,
    locale: actor.locale ?? 'en-US',
    entitlements: [],
    // Keyed by ApplicationIntegrationType: "0" = installed to a guild.
    authorizing_integration_owners: { '0': guild.id },
    context: 0,
    attachment_size_limit: 10 * 1024 * 1024,
    data,
    ...extra,
  };
};

/** `data.resolved` for channel options: the channels as Discord resolves them for the invoker. */
export const resolvedChannels = (guildId: string, channels: readonly FakeChannelInput[]): Json => ({
  channels: Object.fromEntries(
    channels.map((channel, position) => [channel.id, { ...channelPayload(channel, guildId, position), permissions: DEFAULT_EVERYONE_PERMISSIONS }]),
  ),
});
