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

/** Who changes a role's tier and why: recorded in the admin audit log with the change. */
export interface RoleTierChange {
  readonly actorId: string;
  /** The role's name for the audit row; null when Discord no longer knows it (a deleted role). */
  readonly roleName: string | null;
  readonly reason?: string | undefined;
}

/** Per-guild settings admins change: which roles grant which tier, and the guild's config. */
export interface GuildSettingsStore {
  /** Role id → tier name, for the mappings that give their tier (see applyServerAdminPolicy). */
  roleTiers(guildId: string): Promise<ReadonlyMap<string, string>>;
  /** Every mapping as made, in effect or not (`/admin tier list`, and to know what a change replaces). */
  roleTierMappings(guildId: string): Promise<readonly RoleTierMapping[]>;
  /**
   * Maps the role to the tier in the actor's name (`setBy`) and records `tier.set` (from → to) in
   * the admin audit log, in one transaction. Resolves with the tier the role gave before, or null.
   */
  setRoleTier(guildId: string, roleId: string, tierName: string, change: RoleTierChange): Promise<string | null>;
  /**
   * Removes the role's mapping and records `tier.remove` in the admin audit log, in one
   * transaction. Resolves with the tier the role gave, or null: there was none, nothing is recorded.
   */
  removeRoleTier(guildId: string, roleId: string, change: RoleTierChange): Promise<string | null>;
  /** The guild's config; every default when its admins never changed anything. */
  config(guildId: string): Promise<GuildConfig>;
  /**
   * Applies one change (validated by the domain) and records it in the admin audit log with
   * who, old → new and why, in one transaction. A refused change writes nothing.
   */
  updateConfig(guildId: string, change: GuildConfigChange, actorId: string, reason?: string): Promise<Result<ConfigUpdate, ConfigChangeRefusal>>;
}
