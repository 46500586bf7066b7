// Admin credit operations (prisma/migrations/20261122093000_admin_refund, *_admin_refunds_capped):
// like sql-ledger.ts, one SQL function call each, so the cap (gifts and refunds together), the
// once-per-interaction grant and the once-per-job refund are decided by locks and unique keys in
// PostgreSQL.
import type pg from 'pg';
import { query as run } from '../db/sql.js';
import { err, ok, type Result } from '../domain/result.js';
import type { LedgerError } from '../domain/credits/ledger-errors.js';
import type { AdminCredits, AdminGrantError, AdminGrantInput, AdminGrantOutcome, JobRefundInput, JobRefundOutcome } from '../use-cases/ports/admin-credits.js';
import { nonEmpty, positiveCredits, rule, validate, validDate } from './validate-input.js';

type GrantRow = { outcome: 'created' | 'already' | 'over_cap'; amount: number; expires_at: Date | null; granted_today: number | null };
type RefundRow = {
  outcome: 'refunded' | 'already' | 'not_found' | 'not_finished' | 'nothing_charged' | 'over_cap';
  amount: number;
  user_id: string | null;
  refunded_at: Date | null;
  job_status: string | null;
  given_today: number | null;
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createSqlAdminCredits(pool: pg.Pool): AdminCredits {
  return {
    async grant(input: AdminGrantInput): Promise<Result<AdminGrantOutcome, AdminGrantError>> {
      const checked = validate(
        nonEmpty('interactionId', input.interactionId),
        nonEmpty('userId', input.userId),
        nonEmpty('guildId', input.guildId),
        positiveCredits('amount', input.amount),
        validDate('expiresAt', input.expiresAt),
        rule('dailyCap', input.dailyCap === null || (Number.isSafeInteger(input.dailyCap) && input.dailyCap >= 0), 'must be null or a whole number ≥ 0'),
        nonEmpty('actorId', input.actorId),
      );
      if (!checked.ok) return checked;
      const [row] = await run<GrantRow>(
        pool,
        `
        SELECT * FROM ledger_admin_grant($1, $2, $3, $4::int, $5::timestamptz,
          $6, $7, $8::int, $9::text[])`,
        [
          `admin-grant:${input.interactionId}`,
          input.userId,
          input.guildId,
          input.amount,
          input.expiresAt,
          input.actorId,
          input.reason,
          input.dailyCap,
          [...input.uncappedActorIds],
        ],
      );
      switch (row!.outcome) {
        case 'over_cap':
          return err({ code: 'over_daily_cap', cap: input.dailyCap ?? 0, grantedToday: row!.granted_today ?? 0 });
        case 'already':
          return ok({ outcome: 'replayed', amount: row!.amount, expiresAt: row!.expires_at });
        case 'created':
          return ok({ outcome: 'granted', amount: row!.amount, expiresAt: row!.expires_at, grantedToday: input.dailyCap === null ? null : row!.granted_today });
      }
    },

    async refundJob(input: JobRefundInput): Promise<Result<JobRefundOutcome, LedgerError>> {
      const checked = validate(
        nonEmpty('guildId', input.guildId),
        nonEmpty('actorId', input.actorId),
        nonEmpty('reason', input.reason),
        rule('dailyCap', input.dailyCap === null || (Number.isSafeInteger(input.dailyCap) && input.dailyCap >= 0), 'must be null or a whole number ≥ 0'),
      );
      if (!checked.ok) return checked;
      // Not a job id at all: nothing to look up (and a cast error avoided).
      if (!uuidPattern.test(input.jobId)) return ok({ outcome: 'not_found' });
      // The refund and its admin audit row commit together.
      const client = await pool.connect();
      let row: RefundRow;
      try {
        await client.query('BEGIN');
        const refunded = await client.query<RefundRow>(`SELECT * FROM ledger_refund_job($1::uuid, $2, $3, $4, $5::int, $6::text[])`, [
          input.jobId,
          input.guildId,
          input.actorId,
          input.reason,
          input.dailyCap,
          [...input.uncappedActorIds],
        ]);
        row = refunded.rows[0]!;
        if (row.outcome === 'refunded') {
          await client.query(`INSERT INTO admin_audit (guild_id, actor_id, action, subject, details, reason) VALUES ($1, $2, 'job.refund', $3, $4, $5)`, [
            input.guildId,
            input.actorId,
            input.jobId,
            JSON.stringify({ userId: row.user_id, credits: row.amount }),
            input.reason,
          ]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      const { outcome, amount, user_id: userId, refunded_at: refundedAt, job_status: status } = row;
      switch (outcome) {
        case 'not_found':
          return ok({ outcome: 'not_found' });
        case 'not_finished':
          return ok({ outcome: 'not_finished', status: status === 'running' ? 'running' : 'queued' });
        case 'nothing_charged':
          return ok({ outcome: 'nothing_charged', userId: userId! });
        case 'refunded':
          return ok({ outcome: 'refunded', userId: userId!, amount, refundedAt: refundedAt! });
        case 'already':
          return ok({ outcome: 'already_refunded', userId: userId!, amount, refundedAt: refundedAt! });
        case 'over_cap':
          return ok({ outcome: 'over_daily_cap', userId: userId!, amount, cap: input.dailyCap ?? 0, givenToday: row.given_today ?? 0 });
      }
    },
  };
}
