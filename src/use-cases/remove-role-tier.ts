import { err, ok, type Result } from '../domain/result.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';
import type { GuildRole } from './set-role-tier.js';

export interface RemoveRoleTierInput {
  readonly guildId: string;
  readonly actorId: string;
  readonly role: GuildRole;
  readonly reason?: string | undefined;
}

/** @everyone gives no tier (it cannot be mapped); any other role without a mapping: nothing to remove. */
export type RemoveRoleTierRefusal = { readonly code: 'everyone_role' | 'no_tier' };

/** The actor recorded for changes Discord caused rather than a member. */
export const discordActor = 'discord';

/**
 * /admin tier remove: the role stops giving its tier; the removal and its audit row are one
 * write. Members keep what was already granted until it expires. Resolves with the tier it gave.
 */
export async function removeRoleTier(
  deps: { readonly guildSettings: GuildSettingsStore },
  input: RemoveRoleTierInput,
): Promise<Result<string, RemoveRoleTierRefusal>> {
  if (input.role.id === input.guildId) return err({ code: 'everyone_role' });
  const previous = (await deps.guildSettings.roleTierMappings(input.guildId)).find((mapping) => mapping.roleId === input.role.id)?.tierName;
  const note = { actorId: input.actorId, roleName: input.role.name, ...(input.reason ? { reason: input.reason } : {}) };
  if (previous === undefined || !(await deps.guildSettings.removeRoleTier(input.guildId, input.role.id, note))) return err({ code: 'no_tier' });
  return ok(previous);
}

/**
 * A role deleted in Discord can no longer be picked in /admin tier remove, so its mapping would sit
 * in /admin tier list forever: the bot removes it itself, audited as done by Discord — when Discord
 * says the role was deleted, or when a list finds a mapped role the guild no longer has (deleted
 * while the bot was offline). Nobody can hold a deleted role, so members lose nothing. Resolves
 * with the tier it gave, or null when it gave none.
 */
export async function forgetDeletedRole(
  deps: { readonly guildSettings: GuildSettingsStore },
  input: { readonly guildId: string; readonly role: GuildRole },
): Promise<string | null> {
  const removed = await removeRoleTier(deps, { ...input, actorId: discordActor, reason: 'the role was deleted in Discord' });
  return removed.ok ? removed.value : null;
}
