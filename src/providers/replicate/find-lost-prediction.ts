import type Replicate from 'replicate';
import type { Prediction } from 'replicate';
import { type ModelRef, predictionRuns } from './model-ref.js';
import { type ReplicateInput, sameInput } from './replicate-input.js';

export interface LostPredictionQuery {
  readonly ref: ModelRef;
  readonly input: ReplicateInput;
  /** When our create started (our clock). */
  readonly since: Date;
  /** How far Replicate's clock may be behind ours. */
  readonly clockToleranceMs: number;
  readonly signal?: AbortSignal;
  /** @defaultValue 5 */
  readonly maxPages?: number;
}

/**
 * The prediction a create made before its response was lost (we crashed, or the connection
 * dropped, between create and save): same model, identical input (the seed makes it specific),
 * created at or after the create started. Pages run newest first, so paging stops at the first
 * page that reaches back past `since`. The oldest match wins.
 */
export async function findLostPrediction(client: Replicate, query: LostPredictionQuery): Promise<Prediction | null> {
  const earliest = query.since.getTime() - query.clockToleranceMs;
  const signal = query.signal ? { signal: query.signal } : {};
  const maxPages = query.maxPages ?? 5;
  let best: Prediction | null = null;
  let pages = 0;
  for await (const page of client.paginate(() => client.predictions.list(signal), signal)) {
    for (const prediction of page) {
      const createdAt = Date.parse(prediction.created_at);
      const matches = createdAt >= earliest && predictionRuns(query.ref, prediction) && sameInput(prediction.input, query.input);
      if (matches && (best === null || createdAt < Date.parse(best.created_at))) best = prediction;
    }
    const oldest = page.at(-1);
    if (++pages >= maxPages || oldest === undefined || Date.parse(oldest.created_at) < earliest) break;
  }
  return best;
}
