import type Replicate from 'replicate';
import type { Prediction } from 'replicate';
import type { PredictionStore } from '../../use-cases/ports/image-provider.js';
import { findLostPrediction } from './find-lost-prediction.js';
import { createTarget, type ModelRef } from './model-ref.js';
import { fromReplicateError, type ReplicateCall } from './replicate-errors.js';
import type { ReplicateInput } from './replicate-input.js';

export interface ObtainOptions {
  readonly client: Replicate;
  readonly store: PredictionStore;
  readonly jobId: string;
  readonly ref: ModelRef;
  readonly input: ReplicateInput;
  readonly clockToleranceMs: number;
  readonly signal?: AbortSignal;
}

export type PredictionOrigin = 'resumed' | 'adopted' | 'created';

/**
 * The job's one prediction. A stored id is resumed; a create that started but was never saved is
 * looked for and adopted; only then is a new one created, its id saved before anyone waits on it.
 */
export async function obtainPrediction(options: ObtainOptions): Promise<{ prediction: Prediction; origin: PredictionOrigin }> {
  const { client, store, jobId, signal } = options;
  const opts = signal ? { signal } : {};
  const record = await store.get(jobId);
  if (record?.predictionId) {
    const id = record.predictionId;
    return { prediction: await call('get', jobId, () => client.predictions.get(id, opts)), origin: 'resumed' };
  }
  if (record?.creatingSince) {
    const since = record.creatingSince;
    const lost = await call('list', jobId, () => findLostPrediction(client, { ...options, since }));
    if (lost) {
      await store.save(jobId, lost.id);
      return { prediction: lost, origin: 'adopted' };
    }
  }
  await store.markCreating(jobId, new Date());
  const created = await call('create', jobId, () => client.predictions.create({ ...createTarget(options.ref), input: options.input, ...opts }));
  await store.save(jobId, created.id);
  return { prediction: created, origin: 'created' };
}

async function call<T>(what: ReplicateCall, jobId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw fromReplicateError(error, what, jobId);
  }
}
