/** Per-guild settings admins change: for now, which roles grant which tier. */
export interface GuildSettingsStore {
  roleTiers(guildId: string): Promise<ReadonlyMap<string, string>>;
  setRoleTier(guildId: string, roleId: string, tierName: string, setBy: string): Promise<void>;
  removeRoleTier(guildId: string, roleId: string): Promise<boolean>;
}
