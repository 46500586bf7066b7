// The aggregation queries behind /admin stats: jobs created in the period, in one guild.
import type pg from 'pg';
import type { AdminStatsReader } from '../use-cases/ports/admin-stats.js';
import { query } from './sql.js';

/**
 * The statements, each taking ($1 guild id, $2 since[, $3 limit]); exported so a test can EXPLAIN
 * them: each must find its guild's rows through an index that starts with guild_id, not scan the table.
 */
export const adminStatsStatements = {
  byModel: `
    SELECT coalesce(request->>'model', '?') AS model, count(*)::int AS jobs, sum(images_delivered)::int AS images,
           coalesce(sum(credits_charged), 0) AS credits, coalesce(sum(provider_cost_usd), 0) AS cost
      FROM generation_job WHERE guild_id = $1 AND created_at >= $2 AND status IN ('succeeded', 'partial', 'failed')
     GROUP BY 1 ORDER BY sum(credits_charged) DESC NULLS LAST, 1`,
  byStatus: `
    SELECT status::text, count(*)::int AS jobs FROM generation_job WHERE guild_id = $1 AND created_at >= $2 GROUP BY 1`,
  jobRefunds: `
    SELECT coalesce(failure_reason, 'partly delivered') AS reason, count(*)::int AS jobs, sum(credits_refunded) AS credits
      FROM generation_job WHERE guild_id = $1 AND created_at >= $2 AND credits_refunded > 0
     GROUP BY 1 ORDER BY sum(credits_refunded) DESC, 1`,
  adminRefunds: `
    SELECT count(*)::int AS count, coalesce(sum(amount), 0) AS credits FROM credit_lot
     WHERE guild_id = $1 AND created_at >= $2 AND source_key LIKE 'grant:admin-refund:%'`,
  topSpenders: `
    SELECT user_id, sum(credits_charged) AS credits, count(*)::int AS jobs FROM generation_job
     WHERE guild_id = $1 AND created_at >= $2 AND credits_charged > 0
     GROUP BY 1 ORDER BY sum(credits_charged) DESC, 1 LIMIT $3`,
} as const;

export function createPgAdminStatsReader(pool: pg.Pool): AdminStatsReader {
  const sql = adminStatsStatements;
  return {
    async guildUsage(guildId, since, topSpenders) {
      const [byModel, byStatus, jobRefunds, [adminRefunds], spenders] = await Promise.all([
        query<{ model: string; jobs: number; images: number; credits: string; cost: string }>(pool, sql.byModel, [guildId, since]),
        query<{ status: string; jobs: number }>(pool, sql.byStatus, [guildId, since]),
        query<{ reason: string; jobs: number; credits: string }>(pool, sql.jobRefunds, [guildId, since]),
        query<{ count: number; credits: string }>(pool, sql.adminRefunds, [guildId, since]),
        query<{ user_id: string; credits: string; jobs: number }>(pool, sql.topSpenders, [guildId, since, topSpenders]),
      ]);
      return {
        byModel: byModel.map((row) => ({ model: row.model, jobs: row.jobs, images: row.images, creditsCharged: Number(row.credits), providerCostUsd: Number(row.cost) })),
        jobsByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.jobs])),
        jobRefunds: jobRefunds.map((row) => ({ reason: row.reason, jobs: row.jobs, credits: Number(row.credits) })),
        adminRefunds: { count: adminRefunds?.count ?? 0, credits: Number(adminRefunds?.credits ?? 0) },
        topSpenders: spenders.map((row) => ({ userId: row.user_id, credits: Number(row.credits), jobs: row.jobs })),
      };
    },
  };
}
