import type pg from 'pg';
import type { PredictionRecord } from '../use-cases/ports/image-provider.js';
import { query } from './sql.js';

/** PredictionStore for one part of a job that needs several predictions (see job_prediction_part). */
export function createPgPredictionParts(pool: pg.Pool) {
  return {
    async get(jobId: string, part: number): Promise<PredictionRecord | null> {
      const [row] = await query<{ prediction_id: string | null; creating_since: Date | null }>(pool,
        `SELECT prediction_id, creating_since FROM job_prediction_part WHERE job_id = $1 AND part = $2`, [jobId, part]);
      return row ? { predictionId: row.prediction_id, creatingSince: row.creating_since } : null;
    },
    async markCreating(jobId: string, at: Date, part: number): Promise<void> {
      // Like generation_job: once an id is saved, the mark no longer moves.
      await query(pool, `
        INSERT INTO job_prediction_part (job_id, part, creating_since) VALUES ($1, $2, $3)
        ON CONFLICT (job_id, part) DO UPDATE SET creating_since = EXCLUDED.creating_since WHERE job_prediction_part.prediction_id IS NULL`, [jobId, part, at]);
    },
    async save(jobId: string, predictionId: string, part: number): Promise<void> {
      await query(pool, `
        INSERT INTO job_prediction_part (job_id, part, prediction_id) VALUES ($1, $2, $3)
        ON CONFLICT (job_id, part) DO UPDATE SET prediction_id = EXCLUDED.prediction_id`, [jobId, part, predictionId]);
    },
  };
}
