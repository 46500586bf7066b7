import { setTimeout as sleep } from 'node:timers/promises';
import type Replicate from 'replicate';
import type { Prediction } from 'replicate';
import { providerFailure } from '../provider-failure.js';
import { fromReplicateError } from './replicate-errors.js';

export interface WaitOptions {
  readonly client: Replicate;
  readonly jobId: string;
  readonly pollIntervalMs: number;
  /** Measured from the start of this wait: a resumed job waits afresh. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly onUpdate: (prediction: Prediction) => void;
}

const FINAL_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

/**
 * Polls until the prediction ends. Running out of time, or the caller's signal, rejects with a
 * transient `timeout` and leaves the prediction running: its id is stored, so a retry resumes it.
 */
export async function waitForPrediction(first: Prediction, options: WaitOptions): Promise<Prediction> {
  const { client, jobId } = options;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let prediction = first;
  options.onUpdate(prediction);
  try {
    while (!FINAL_STATUSES.has(prediction.status)) {
      await sleep(options.pollIntervalMs, undefined, { signal });
      prediction = await client.predictions.get(prediction.id, { signal });
      options.onUpdate(prediction);
    }
    return prediction;
  } catch (error) {
    const which = `prediction ${prediction.id} (job ${jobId})`;
    if (deadline.aborted) {
      throw providerFailure('timeout', { detail: `${which} not finished after ${options.timeoutMs} ms`, cause: error });
    }
    if (options.signal?.aborted) {
      throw providerFailure('timeout', { detail: `stopped waiting for ${which}: ${String(options.signal.reason)}`, cause: options.signal.reason });
    }
    throw fromReplicateError(error, 'get', jobId);
  }
}
