import type { PredictionRecord } from '../use-cases/ports/image-provider.js';
import type { Database } from './client.js';
import { query } from './sql.js';

/**
 * PredictionStore for one part of a job that needs several predictions (see job_prediction_part).
 * The read is Prisma Client's; the writes stay SQL: an upsert that updates only while no id is
 * saved (ON CONFLICT … DO UPDATE … WHERE) is not something Prisma's upsert can say.
 */
export function createPgPredictionParts({ pool, prisma }: Pick<Database, 'pool' | 'prisma'>) {
  return {
    async get(jobId: string, part: number): Promise<PredictionRecord | null> {
      return prisma.jobPredictionPart.findUnique({ where: { jobId_part: { jobId, part } }, select: { predictionId: true, creatingSince: true } });
    },
    async markCreating(jobId: string, at: Date, part: number): Promise<void> {
      // Like generation_job: once an id is saved, the mark no longer moves.
      await query(
        pool,
        `
        INSERT INTO job_prediction_part (job_id, part, creating_since) VALUES ($1, $2, $3)
        ON CONFLICT (job_id, part) DO UPDATE SET creating_since = EXCLUDED.creating_since WHERE job_prediction_part.prediction_id IS NULL`,
        [jobId, part, at],
      );
    },
    async save(jobId: string, predictionId: string, part: number): Promise<void> {
      await query(
        pool,
        `
        INSERT INTO job_prediction_part (job_id, part, prediction_id) VALUES ($1, $2, $3)
        ON CONFLICT (job_id, part) DO UPDATE SET prediction_id = EXCLUDED.prediction_id`,
        [jobId, part, predictionId],
      );
    },
  };
}
