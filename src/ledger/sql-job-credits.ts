// The credits of a job (src/use-cases/ports/job-credits.ts): one SQL function call each —
// confirm_quote, finish_job, time_out_job — which lock the job and move its credits through the
// ledger's own ledger_hold / ledger_settle in the same transaction.
import type pg from 'pg';
import { query } from '../db/sql.js';
import { restoreGraceMs } from '../domain/credits/lots.js';
import { err, ok } from '../domain/result.js';
import type { JobCredits, TimeOutResult } from '../use-cases/ports/job-credits.js';

export interface JobCreditsOptions {
  /**
   * How long after its lot's expiry a refunded share of an expired lot stays spendable (once).
   * @defaultValue restoreGraceMs (1 hour, src/domain/credits/lots.ts)
   */
  readonly restoreGraceMs?: number;
}

interface ConfirmRow {
  outcome: string;
  job_id: string | null;
  price: number | null;
  available: number | null;
  cap_period: 'day' | 'month' | null;
  cap_source: 'member' | 'server' | null;
  cap_limit: number | null;
  cap_spent: number | null;
  budget_unit: 'credits' | 'usd' | null;
  budget: string | null;
  budget_spent: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createSqlJobCredits(pool: pg.Pool, options: JobCreditsOptions = {}): JobCredits {
  const restoreGrace = options.restoreGraceMs ?? restoreGraceMs;
  return {
    async confirmQuote({ quoteId, userId, priority, deadlineAt, interaction, serverCaps }) {
      if (!uuidPattern.test(quoteId)) return err({ code: 'quote_not_found' as const });
      const [row] = await query<ConfirmRow>(
        pool,
        `SELECT * FROM confirm_quote($1::uuid, $2, $3::int, $4::timestamptz, $5, $6, $7::timestamptz, $8::int, $9::int)`,
        [
          quoteId,
          userId,
          priority,
          deadlineAt,
          interaction?.applicationId ?? null,
          interaction?.token ?? null,
          interaction?.expiresAt ?? null,
          serverCaps?.daily ?? null,
          serverCaps?.monthly ?? null,
        ],
      );
      switch (row!.outcome) {
        case 'confirmed':
        case 'already':
          return ok({ jobId: row!.job_id!, price: row!.price!, replayed: row!.outcome === 'already' });
        case 'insufficient':
          return err({ code: 'insufficient_credits' as const, needed: row!.price!, available: row!.available ?? 0 });
        case 'not_owner':
          return err({ code: 'not_quote_owner' as const });
        case 'expired':
          return err({ code: 'quote_expired' as const });
        case 'cancelled':
          return err({ code: 'quote_cancelled' as const });
        case 'relax_busy':
          return err({ code: 'relax_busy' as const });
        case 'cap_reached':
          return err({
            code: 'cap_reached' as const,
            period: row!.cap_period!,
            source: row!.cap_source!,
            limit: row!.cap_limit!,
            spent: row!.cap_spent!,
            price: row!.price!,
          });
        case 'budget_reached':
          // numeric comes back as a string: exact, and small enough for a double.
          return err({ code: 'budget_reached' as const, unit: row!.budget_unit!, budget: Number(row!.budget), spent: Number(row!.budget_spent) });
        default:
          return err({ code: 'quote_not_found' as const });
      }
    },

    async timeOut(jobId, memberMessage) {
      const [row] = await query<{
        outcome: TimeOutResult['kind'] | 'not_found';
        status: 'succeeded' | 'partial' | 'failed';
        charged: number;
        refunded: number;
      }>(
        pool,
        `
        SELECT * FROM time_out_job($1::uuid, $2, $3::int * interval '1 millisecond')`,
        [jobId, memberMessage, restoreGrace],
      );
      switch (row!.outcome) {
        case 'timed_out':
          return { kind: 'timed_out', charged: row!.charged, refunded: row!.refunded };
        case 'not_found':
          throw new Error(`time_out_job: job ${jobId} not found`);
        default:
          return { kind: row!.outcome };
      }
    },

    async finish(jobId, input) {
      const [row] = await query<{ outcome: string; status: 'succeeded' | 'partial' | 'failed'; charged: number; refunded: number }>(
        pool,
        `
        SELECT * FROM finish_job($1::uuid, $2::int, $3, $4, $5::numeric, $6::float8, $7::int * interval '1 millisecond')`,
        [jobId, input.delivered, input.failureReason, input.memberMessage, input.providerCostUsd, input.predictTimeSeconds, restoreGrace],
      );
      if (row!.outcome === 'not_found') throw new Error(`finish_job: job ${jobId} not found`);
      return { status: row!.status, charged: row!.charged, refunded: row!.refunded, replayed: row!.outcome === 'already' };
    },
  };
}
