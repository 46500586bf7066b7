import type pg from 'pg';
import { defaultMemberSettings, type MemberSettings } from '../domain/settings/member-settings.js';
import type { MemberSettingsStore } from '../use-cases/ports/member-settings.js';
import { query } from './sql.js';

interface Row {
  default_model: string | null;
  default_size: string | null;
  auto_confirm_max_credits: number;
  low_balance_warning_at: number;
}

const columns = 'default_model, default_size, auto_confirm_max_credits, low_balance_warning_at';
const toSettings = (row: Row): MemberSettings => ({
  defaultModel: row.default_model, defaultSize: row.default_size,
  autoConfirmMaxCredits: row.auto_confirm_max_credits, lowBalanceWarningAt: row.low_balance_warning_at,
});

/** The settings read, for the start-up warm-up (src/db/warm-up.ts). */
export const rehearseMemberSettingsRead = (client: pg.ClientBase, memberId: string) =>
  client.query(`SELECT ${columns} FROM member_settings WHERE user_id = $1 AND guild_id = $1`, [memberId]);

export function createPgMemberSettingsStore(pool: pg.Pool): MemberSettingsStore {
  return {
    async get(userId, guildId) {
      const [row] = await query<Row>(pool, `SELECT ${columns} FROM member_settings WHERE user_id = $1 AND guild_id = $2`, [userId, guildId]);
      return row ? toSettings(row) : defaultMemberSettings;
    },
    async update(userId, guildId, change) {
      // One upsert; a flag per field says whether it was given, so a field left out keeps its
      // value even when two /settings race (each only touches what it names).
      const given = (key: keyof MemberSettings) => change[key] !== undefined;
      const [row] = await query<Row>(pool, `
        INSERT INTO member_settings (user_id, guild_id, ${columns})
        VALUES ($1, $2, $3, $4, COALESCE($5, 0), COALESCE($6, 0))
        ON CONFLICT (user_id, guild_id) DO UPDATE SET
          default_model = CASE WHEN $7 THEN EXCLUDED.default_model ELSE member_settings.default_model END,
          default_size = CASE WHEN $8 THEN EXCLUDED.default_size ELSE member_settings.default_size END,
          auto_confirm_max_credits = CASE WHEN $9 THEN EXCLUDED.auto_confirm_max_credits ELSE member_settings.auto_confirm_max_credits END,
          low_balance_warning_at = CASE WHEN $10 THEN EXCLUDED.low_balance_warning_at ELSE member_settings.low_balance_warning_at END,
          updated_at = now()
        RETURNING ${columns}`,
        [userId, guildId, change.defaultModel ?? null, change.defaultSize ?? null, change.autoConfirmMaxCredits ?? null, change.lowBalanceWarningAt ?? null,
          given('defaultModel'), given('defaultSize'), given('autoConfirmMaxCredits'), given('lowBalanceWarningAt')]);
      return toSettings(row!);
    },
    async reset(userId, guildId) {
      await query(pool, `DELETE FROM member_settings WHERE user_id = $1 AND guild_id = $2`, [userId, guildId]);
    },
  };
}
