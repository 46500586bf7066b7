import type pg from 'pg';
import type { AuditLog } from '../use-cases/ports/audit-log.js';
import { query } from './sql.js';

export function createPgAuditLog(pool: pg.Pool): AuditLog {
  return {
    async record({ guildId, actorId, action, subject, details, reason }) {
      await query(pool, `INSERT INTO admin_audit (guild_id, actor_id, action, subject, details, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
        [guildId, actorId, action, subject ?? null, JSON.stringify(details ?? {}), reason ?? null]);
    },
    async list(guildId, limit) {
      const rows = await query<{ id: string; guild_id: string; actor_id: string; action: string; subject: string | null; details: Record<string, unknown>; reason: string | null; created_at: Date }>(
        pool, `SELECT id, guild_id, actor_id, action, subject, details, reason, created_at FROM admin_audit WHERE guild_id = $1 ORDER BY id DESC LIMIT $2`, [guildId, limit]);
      return rows.map((row) => ({
        id: row.id, guildId: row.guild_id, actorId: row.actor_id, action: row.action, details: row.details, createdAt: row.created_at,
        ...(row.subject === null ? {} : { subject: row.subject }), ...(row.reason === null ? {} : { reason: row.reason }),
      }));
    },
  };
}
