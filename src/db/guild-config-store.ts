// The guild_config table: reading a guild's config, and changing it together with its audit
// entry in one transaction (a row lock serialises two admins changing the same guild at once).
import type pg from 'pg';
import { applyConfigChange, defaultGuildConfig, NSFW_POLICIES, settingOf, type GuildConfig, type GuildConfigChange, type NsfwPolicy } from '../domain/guild-config.js';
import { ok } from '../domain/result.js';
import type { GuildSettingsStore } from '../use-cases/ports/guild-settings.js';
import { query } from './sql.js';

interface GuildConfigRow {
  guild_id: string;
  free_daily_credits: number | null;
  allowed_channel_ids: string[] | null;
  max_running_jobs_per_member: number | null;
  banned_words: string[] | null;
  banned_patterns: string[] | null;
  nsfw: string;
  spoiler_results: boolean;
  updated_by: string | null;
  updated_at: Date | null;
}

const columns = `guild_id, free_daily_credits, allowed_channel_ids, max_running_jobs_per_member, banned_words, banned_patterns,
  nsfw, spoiler_results, updated_by, updated_at`;

const toConfig = (row: GuildConfigRow): GuildConfig => ({
  guildId: row.guild_id,
  freeDailyCredits: row.free_daily_credits,
  allowedChannelIds: row.allowed_channel_ids ?? [],
  maxRunningJobsPerMember: row.max_running_jobs_per_member,
  bannedWords: row.banned_words ?? [],
  bannedPatterns: row.banned_patterns ?? [],
  // The CHECK constraint keeps other values out; the fallback is the safe one.
  nsfw: (NSFW_POLICIES as readonly string[]).includes(row.nsfw) ? row.nsfw as NsfwPolicy : 'blocked',
  spoilerResults: row.spoiler_results,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

export async function readGuildConfig(pool: pg.Pool, guildId: string): Promise<GuildConfig> {
  const [row] = await query<GuildConfigRow>(pool, `SELECT ${columns} FROM guild_config WHERE guild_id = $1`, [guildId]);
  return row ? toConfig(row) : defaultGuildConfig(guildId);
}

export const updateGuildConfig = (pool: pg.Pool): GuildSettingsStore['updateConfig'] => async (guildId, change: GuildConfigChange, actorId, reason) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO guild_config (guild_id) VALUES ($1) ON CONFLICT (guild_id) DO NOTHING`, [guildId]);
    const { rows } = await client.query<GuildConfigRow>(`SELECT ${columns} FROM guild_config WHERE guild_id = $1 FOR UPDATE`, [guildId]);
    const before = toConfig(rows[0]!);
    const changed = applyConfigChange(before, change);
    if (!changed.ok) {
      await client.query('ROLLBACK');
      return changed;
    }
    const { rows: [updated] } = await client.query<GuildConfigRow>(`
      UPDATE guild_config SET free_daily_credits = $2, allowed_channel_ids = $3, max_running_jobs_per_member = $4, banned_words = $5,
        banned_patterns = $6, nsfw = $7, spoiler_results = $8, updated_by = $9, updated_at = now()
      WHERE guild_id = $1 RETURNING ${columns}`, [
      guildId, changed.value.freeDailyCredits, changed.value.allowedChannelIds, changed.value.maxRunningJobsPerMember, changed.value.bannedWords,
      changed.value.bannedPatterns, changed.value.nsfw, changed.value.spoilerResults, actorId,
    ]);
    const setting = settingOf(change);
    await client.query(`INSERT INTO admin_audit (guild_id, actor_id, action, subject, details, reason) VALUES ($1, $2, 'config.set', $3, $4, $5)`, [
      guildId, actorId, setting, JSON.stringify({ change: change.kind, from: before[setting], to: changed.value[setting] }), reason ?? null,
    ]);
    await client.query('COMMIT');
    return ok({ before, after: toConfig(updated!) });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};
