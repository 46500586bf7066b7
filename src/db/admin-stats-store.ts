// The aggregation queries behind /admin stats: jobs created in the period, in one guild. Prisma
// Client's groupBy/aggregate serve all but spend by model, which groups by a field inside the job's
// JSON request: Prisma groups only by columns, so that one stays SQL.
import { LANES } from '../domain/pricing/card-terms.js';
import type { AdminStatsReader } from '../use-cases/ports/admin-stats.js';
import type { Database } from './client.js';
import { query } from './sql.js';

/**
 * Spend by model ($1 guild id, $2 since); exported so a test can EXPLAIN it beside Prisma's
 * statements: each must find its guild's rows through an index that starts with guild_id.
 */
export const byModelStatement = `
  SELECT coalesce(request->>'model', '?') AS model, count(*)::int AS jobs, sum(images_delivered)::int AS images,
         coalesce(sum(credits_charged), 0) AS credits, coalesce(sum(provider_cost_usd), 0) AS cost
    FROM generation_job WHERE guild_id = $1 AND created_at >= $2 AND status IN ('succeeded', 'partial', 'failed')
   GROUP BY 1 ORDER BY sum(credits_charged) DESC NULLS LAST, 1`;

/** Spend by lane ($1 guild id, $2 since). */
export const byLaneStatement = `
  SELECT lane, count(*)::int AS jobs, sum(images_delivered)::int AS images,
         coalesce(sum(credits_charged), 0) AS credits, coalesce(sum(provider_cost_usd), 0) AS cost
    FROM generation_job WHERE guild_id = $1 AND created_at >= $2 AND status IN ('succeeded', 'partial', 'failed')
   GROUP BY 1`;

type LaneRow = { lane: string; jobs: number; images: number; credits: string; cost: string };

/** The reason shown for refunds of jobs that delivered part of a batch (they have no failure reason). */
const partlyDelivered = 'partly delivered';

export function createPgAdminStatsReader({ pool, prisma }: Pick<Database, 'pool' | 'prisma'>): AdminStatsReader {
  return {
    async guildUsage(guildId, since, topSpenders) {
      const jobsSince = { guildId, createdAt: { gte: since } };
      const [byModel, byLane, byStatus, jobRefunds, adminRefunds, spenders] = await Promise.all([
        query<{ model: string; jobs: number; images: number; credits: string; cost: string }>(pool, byModelStatement, [guildId, since]),
        query<LaneRow>(pool, byLaneStatement, [guildId, since]),
        prisma.generationJob.groupBy({ by: ['status'], where: jobsSince, _count: { _all: true } }),
        prisma.generationJob.groupBy({
          by: ['failureReason'],
          where: { ...jobsSince, creditsRefunded: { gt: 0 } },
          _count: { _all: true },
          _sum: { creditsRefunded: true },
        }),
        prisma.creditLot.aggregate({
          where: { ...jobsSince, sourceKey: { startsWith: 'grant:admin-refund:' } },
          _count: { _all: true },
          _sum: { amount: true },
        }),
        prisma.generationJob.groupBy({
          by: ['userId'],
          where: { ...jobsSince, creditsCharged: { gt: 0 } },
          _count: { _all: true },
          _sum: { creditsCharged: true },
          orderBy: [{ _sum: { creditsCharged: 'desc' } }, { userId: 'asc' }],
          take: topSpenders,
        }),
      ]);
      const refundsByReason = new Map<string, { reason: string; jobs: number; credits: number }>();
      for (const group of jobRefunds) {
        const reason = group.failureReason ?? partlyDelivered;
        const entry = refundsByReason.get(reason) ?? { reason, jobs: 0, credits: 0 };
        refundsByReason.set(reason, { reason, jobs: entry.jobs + group._count._all, credits: entry.credits + (group._sum.creditsRefunded ?? 0) });
      }
      return {
        byModel: byModel.map((row) => ({
          model: row.model,
          jobs: row.jobs,
          images: row.images,
          creditsCharged: Number(row.credits),
          providerCostUsd: Number(row.cost),
        })),
        byLane: LANES.flatMap((lane) =>
          byLane
            .filter((row) => row.lane === lane)
            .map((row) => ({ lane, jobs: row.jobs, images: row.images, creditsCharged: Number(row.credits), providerCostUsd: Number(row.cost) })),
        ),
        jobsByStatus: Object.fromEntries(byStatus.map((group) => [group.status, group._count._all])),
        // Most credits first, then by reason.
        jobRefunds: [...refundsByReason.values()].sort((a, b) => b.credits - a.credits || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)),
        adminRefunds: { count: adminRefunds._count._all, credits: adminRefunds._sum.amount ?? 0 },
        topSpenders: spenders.map((group) => ({ userId: group.userId, credits: group._sum.creditsCharged ?? 0, jobs: group._count._all })),
      };
    },
  };
}
