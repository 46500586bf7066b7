import type pg from 'pg';
import type { GuildSettingsStore, RoleTierMapping } from '../use-cases/ports/guild-settings.js';
import { readGuildConfig, updateGuildConfig } from './guild-config-store.js';
import { query } from './sql.js';

export function createPgGuildSettingsStore(pool: pg.Pool): GuildSettingsStore {
  const roleTierMappings = async (guildId: string): Promise<RoleTierMapping[]> => {
    const rows = await query<{ role_id: string; tier_name: string; set_by: string }>(pool, `SELECT role_id, tier_name, set_by FROM guild_tier_role WHERE guild_id = $1`, [guildId]);
    return rows.map((row) => ({ roleId: row.role_id, tierName: row.tier_name, setBy: row.set_by }));
  };
  return {
    // Every mapping: the operator's policy is applied on top (src/use-cases/apply-server-admin-policy.ts).
    roleTiers: async (guildId) => new Map((await roleTierMappings(guildId)).map((mapping) => [mapping.roleId, mapping.tierName])),
    roleTierMappings,
    async setRoleTier(guildId, roleId, tierName, setBy) {
      await query(pool, `
        INSERT INTO guild_tier_role (guild_id, role_id, tier_name, set_by) VALUES ($1, $2, $3, $4)
        ON CONFLICT (guild_id, role_id) DO UPDATE SET tier_name = EXCLUDED.tier_name, set_by = EXCLUDED.set_by`, [guildId, roleId, tierName, setBy]);
    },
    async removeRoleTier(guildId, roleId) {
      return (await query(pool, `DELETE FROM guild_tier_role WHERE guild_id = $1 AND role_id = $2 RETURNING role_id`, [guildId, roleId])).length > 0;
    },
    config: (guildId) => readGuildConfig(pool, guildId),
    updateConfig: updateGuildConfig(pool),
  };
}
