// /usage on PostgreSQL: a member's finished jobs in a guild, added up per UTC day, model,
// operation and lane. Days come from finished_at, when the hold was captured or refunded.
// SQL, not Prisma Client: it groups by an expression (the UTC day) and by fields inside the job's
// JSON request, and sums a count read from that JSON; Prisma's groupBy takes only columns, so it
// would mean fetching every job of the period and adding them up here.
import type pg from 'pg';
import { isLane } from '../domain/lanes/lanes.js';
import type { UsageBucket, UsageReader } from '../use-cases/ports/usage-reader.js';
import { query } from './sql.js';

const statement = `
  SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
         request->>'model' AS model, request->>'operation' AS operation,
         lane,
         count(*)::int AS jobs,
         sum((request->>'count')::int)::int AS images_requested,
         sum(images_delivered)::int AS images_delivered,
         sum(CASE WHEN kept_at IS NOT NULL THEN images_delivered ELSE 0 END)::int AS images_kept,
         sum(coalesce(credits_charged, 0))::int AS credits_charged,
         sum(coalesce(credits_refunded, 0))::int AS credits_refunded
    FROM generation_job
   WHERE user_id = $1 AND guild_id = $2 AND finished_at >= $3 AND finished_at < $4
     AND ($5::text IS NULL OR request->>'model' = $5)
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 3, 4`;

type Row = {
  day: string;
  model: string;
  operation: string;
  lane: string;
  jobs: number;
  images_requested: number;
  images_delivered: number;
  images_kept: number;
  credits_charged: number;
  credits_refunded: number;
};

export function createPgUsageReader(pool: pg.Pool): UsageReader {
  return {
    async buckets({ userId, guildId, since, until, model }): Promise<UsageBucket[]> {
      const rows = await query<Row>(pool, statement, [userId, guildId, since, until, model ?? null]);
      return rows.map((row) => ({
        day: row.day,
        model: row.model,
        operation: row.operation,
        lane: isLane(row.lane) ? row.lane : 'fast',
        jobs: row.jobs,
        imagesRequested: row.images_requested,
        imagesDelivered: row.images_delivered,
        imagesKept: row.images_kept,
        creditsCharged: row.credits_charged,
        creditsRefunded: row.credits_refunded,
      }));
    },
  };
}
