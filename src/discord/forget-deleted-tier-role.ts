// A role deleted in Discord can no longer be picked in `/admin tier remove`, so its tier mapping
// would sit in `/admin tier list` forever. The bot forgets it itself — when Discord tells it the
// role was deleted, or when a list finds a mapped role the guild no longer has (deleted while
// the bot was offline) — with an audit row like an admin's removal. Members lose nothing:
// nobody can hold a deleted role, and what was granted stays until it expires.
import type { BotDeps } from './bot-deps.js';

/** The actor recorded for changes Discord caused rather than a member. */
export const discordActor = 'discord';

/** Forgets the mapping if there is one; true when it did. */
export async function forgetDeletedTierRole(
  deps: Pick<BotDeps, 'guildSettings' | 'log'>, guildId: string, role: { readonly id: string; readonly name?: string },
): Promise<boolean> {
  const previous = (await deps.guildSettings.roleTierMappings(guildId)).find((mapping) => mapping.roleId === role.id)?.tierName;
  // The removal and its audit row commit together.
  const note = { actorId: discordActor, roleName: role.name ?? null, reason: 'the role was deleted in Discord' };
  if (previous === undefined || !(await deps.guildSettings.removeRoleTier(guildId, role.id, note))) return false;
  deps.log.info({ guildId, roleId: role.id, tier: previous }, 'tier mapping of a deleted role removed');
  return true;
}
