import type pg from 'pg';
import type { GuildSettingsStore, RoleTierChange, RoleTierMapping } from '../use-cases/ports/guild-settings.js';
import { readGuildConfig, updateGuildConfig } from './guild-config-store.js';
import { query } from './sql.js';

/** Runs `work` in one transaction on one pooled connection. */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const audit = (client: pg.PoolClient, guildId: string, action: 'tier.set' | 'tier.remove', roleId: string, change: RoleTierChange, details: Record<string, unknown>) =>
  client.query(`INSERT INTO admin_audit (guild_id, actor_id, action, subject, details, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
    [guildId, change.actorId, action, roleId, JSON.stringify({ roleName: change.roleName, ...details }), change.reason ?? null]);

export function createPgGuildSettingsStore(pool: pg.Pool): GuildSettingsStore {
  const roleTierMappings = async (guildId: string): Promise<RoleTierMapping[]> => {
    const rows = await query<{ role_id: string; tier_name: string; set_by: string }>(pool, `SELECT role_id, tier_name, set_by FROM guild_tier_role WHERE guild_id = $1`, [guildId]);
    return rows.map((row) => ({ roleId: row.role_id, tierName: row.tier_name, setBy: row.set_by }));
  };
  return {
    // Every mapping: the operator's policy is applied on top (src/use-cases/apply-server-admin-policy.ts).
    roleTiers: async (guildId) => new Map((await roleTierMappings(guildId)).map((mapping) => [mapping.roleId, mapping.tierName])),
    roleTierMappings,
    // The mapping and its audit row commit together: no change goes unaudited, no audit row
    // names a change that did not happen, and `from` is what the change replaced.
    setRoleTier: (guildId, roleId, tierName, change) => inTransaction(pool, async (client) => {
      const { rows: [previous] } = await client.query<{ tier_name: string }>(
        `SELECT tier_name FROM guild_tier_role WHERE guild_id = $1 AND role_id = $2 FOR UPDATE`, [guildId, roleId]);
      await client.query(`
        INSERT INTO guild_tier_role (guild_id, role_id, tier_name, set_by) VALUES ($1, $2, $3, $4)
        ON CONFLICT (guild_id, role_id) DO UPDATE SET tier_name = EXCLUDED.tier_name, set_by = EXCLUDED.set_by`, [guildId, roleId, tierName, change.actorId]);
      await audit(client, guildId, 'tier.set', roleId, change, { from: previous?.tier_name ?? null, to: tierName });
      return previous?.tier_name ?? null;
    }),
    // Two removals at once (an admin's and Discord's role deletion) remove and audit once.
    removeRoleTier: (guildId, roleId, change) => inTransaction(pool, async (client) => {
      const { rows: [removed] } = await client.query<{ tier_name: string }>(
        `DELETE FROM guild_tier_role WHERE guild_id = $1 AND role_id = $2 RETURNING tier_name`, [guildId, roleId]);
      if (removed === undefined) return null;
      await audit(client, guildId, 'tier.remove', roleId, change, { from: removed.tier_name });
      return removed.tier_name;
    }),
    config: (guildId) => readGuildConfig(pool, guildId),
    updateConfig: updateGuildConfig(pool),
  };
}
