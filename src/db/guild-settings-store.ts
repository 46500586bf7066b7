import type pg from 'pg';
import type { GuildSettingsStore } from '../use-cases/ports/guild-settings.js';
import { readGuildConfig, updateGuildConfig } from './guild-config-store.js';
import { query } from './sql.js';

export function createPgGuildSettingsStore(pool: pg.Pool): GuildSettingsStore {
  return {
    async roleTiers(guildId) {
      const rows = await query<{ role_id: string; tier_name: string }>(pool, `SELECT role_id, tier_name FROM guild_tier_role WHERE guild_id = $1`, [guildId]);
      return new Map(rows.map((row) => [row.role_id, row.tier_name]));
    },
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
