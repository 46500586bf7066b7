import type { ConfigChangeRefusal, GuildConfig, GuildConfigChange } from '../../domain/guild-config.js';
import type { Result } from '../../domain/result.js';

/** A config change as made: the settings before and after it. */
export interface ConfigUpdate {
  readonly before: GuildConfig;
  readonly after: GuildConfig;
}

/** One role → tier mapping as an admin made it. */
export interface RoleTierMapping {
  readonly roleId: string;
  readonly tierName: string;
  /** Who mapped it (the operator's policy decides whether that person may give that tier). */
  readonly setBy: string;
}

/**
 * Why a role's tier mapping changed, recorded in the admin audit log (`tier.set` / `tier.remove`,
 * with the tier before and after) in the same transaction as the change itself.
 */
export interface TierChangeNote {
  /** The role's name as Discord showed it; null when no longer known (a deleted role). */
  readonly roleName: string | null;
  readonly reason?: string;
}

/** Per-guild settings admins change: which roles grant which tier, and the guild's config. */
export interface GuildSettingsStore {
  /** Role id → tier name, for the mappings that give their tier (see applyServerAdminPolicy). */
  roleTiers(guildId: string): Promise<ReadonlyMap<string, string>>;
  /** Every mapping as made, in effect or not (`/admin tier list`, and to know what a change replaces). */
  roleTierMappings(guildId: string): Promise<readonly RoleTierMapping[]>;
  /** Maps the role to the tier in `setBy`'s name; with `note`, audited as done by `setBy` in the same transaction. */
  setRoleTier(guildId: string, roleId: string, tierName: string, setBy: string, note?: TierChangeNote): Promise<void>;
  /** Removes the role's mapping; false when it had none. With `note`, audited as done by `note.actorId` in the same transaction. */
  removeRoleTier(guildId: string, roleId: string, note?: TierChangeNote & { readonly actorId: string }): Promise<boolean>;
  /** The guild's config; every default when its admins never changed anything. */
  config(guildId: string): Promise<GuildConfig>;
  /**
   * Applies one change (validated by the domain) and records it in the admin audit log with
   * who, old → new and why, in one transaction. A refused change writes nothing.
   */
  updateConfig(guildId: string, change: GuildConfigChange, actorId: string, reason?: string): Promise<Result<ConfigUpdate, ConfigChangeRefusal>>;
}
