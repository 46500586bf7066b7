// The budget_alert outbox: confirm_quote writes each alert once (its key is guild, month,
// threshold); the bot claims due rows with a lease, delivers them and marks them sent. A claim
// skips rows another bot holds, so two bots never deliver one alert at the same time.
import type pg from 'pg';
import type { BudgetAlertOutbox } from '../use-cases/ports/spending-limits.js';
import { query } from './sql.js';

interface AlertRow {
  guild_id: string;
  month: string;
  threshold: number;
  unit: 'credits' | 'usd';
  budget: string;
  spent: string;
  attempts: number;
}

export function createBudgetAlertOutbox(pool: pg.Pool): BudgetAlertOutbox {
  return {
    async claimDue(limit, leaseMs) {
      const rows = await query<AlertRow>(
        pool,
        `
        UPDATE budget_alert a SET sending_until = clock_timestamp() + $2::int * interval '1 millisecond', attempts = a.attempts + 1
         WHERE (a.guild_id, a.month, a.threshold) IN (
                 SELECT b.guild_id, b.month, b.threshold FROM budget_alert b
                  WHERE b.sent_at IS NULL AND (b.sending_until IS NULL OR b.sending_until < clock_timestamp())
                  ORDER BY b.created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING a.guild_id, to_char(a.month, 'YYYY-MM') AS month, a.threshold, a.unit, a.budget::text, a.spent::text, a.attempts`,
        [limit, leaseMs],
      );
      return rows.map((row) => ({
        guildId: row.guild_id,
        month: row.month,
        threshold: row.threshold === 100 ? 100 : 80,
        unit: row.unit,
        budget: Number(row.budget),
        spent: Number(row.spent),
        attempts: row.attempts,
      }));
    },
    async markSent({ guildId, month, threshold }) {
      await query(
        pool,
        `UPDATE budget_alert SET sent_at = clock_timestamp(), sending_until = NULL, last_error = NULL WHERE guild_id = $1 AND month = ($2 || '-01')::date AND threshold = $3`,
        [guildId, month, threshold],
      );
    },
    async markFailed({ guildId, month, threshold }, error) {
      // The lease stays: the next claim waits for it to lapse, a back-off of one lease.
      await query(
        pool,
        `UPDATE budget_alert SET last_error = left($4, 500) WHERE guild_id = $1 AND month = ($2 || '-01')::date AND threshold = $3 AND sent_at IS NULL`,
        [guildId, month, threshold, error],
      );
    },
  };
}
