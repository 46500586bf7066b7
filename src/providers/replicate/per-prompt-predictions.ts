// A /batch of distinct prompts on Replicate. Models take one prompt per prediction, so the job
// needs one prediction per prompt, and each keeps the single-prediction guarantees:
//   - prediction i is stored under part i (PredictionStore's `part`): marked before its create,
//     its id saved before anyone waits on it;
//   - creates run one after another, so at most one create is ever in doubt; after a crash or a
//     retry, saved parts are resumed, the part in doubt is found by listing (its input — prompt
//     and seed — is unique) and adopted, and only the parts never started are created;
//   - a part that fails for good (safety, model error, canceled…) is left out and refunded with
//     the job's missing share; a transient failure of any part retries the whole job, which
//     resumes every stored prediction and so pays for nothing twice — except on the final
//     attempt, where the parts that did succeed (and were paid to Replicate) are delivered and
//     charged, and only the failed parts' share is refunded.
import type Replicate from 'replicate';
import type { Prediction } from 'replicate';
import {
  noRetryFollows,
  ProviderError,
  type GeneratedImage,
  type GenerationContext,
  type GenerationProgress,
  type GenerationRequest,
  type GenerationResult,
  type PredictionStore,
} from '../../use-cases/ports/image-provider.js';
import { toReplicateInput, type ReplicateInput } from './replicate-input.js';

/** How the provider makes, waits for and reads one prediction; shared with the single-prediction path. */
export interface PredictionPart {
  client(): Replicate;
  obtain(client: Replicate, input: ReplicateInput, store: PredictionStore): Promise<Prediction>;
  finish(client: Replicate, prediction: Prediction, count: number, onProgress: ((progress: GenerationProgress) => void) | undefined): Promise<GenerationResult>;
}

/** The job's prediction store, narrowed to one part. */
const partStore = (store: PredictionStore, part: number): PredictionStore => ({
  get: (jobId) => store.get(jobId, part),
  markCreating: (jobId, at) => store.markCreating(jobId, at, part),
  save: (jobId, predictionId) => store.save(jobId, predictionId, part),
});

export async function generatePerPrompt(
  request: GenerationRequest,
  prompts: readonly string[],
  context: GenerationContext,
  part: PredictionPart,
): Promise<GenerationResult> {
  const started: { client: Replicate; prediction: Prediction }[] = [];
  for (const [index, prompt] of prompts.entries()) {
    const client = part.client();
    // Image i of a batch uses seed + i, as the local provider does.
    const input = toReplicateInput({ ...request, prompt, count: 1, seed: request.seed + index }, undefined);
    started.push({ client, prediction: await part.obtain(client, input, partStore(context.predictions, index)) });
  }
  const outcomes = await Promise.allSettled(
    started.map(({ client, prediction }, index) =>
      // Progress from the first prediction stands for the batch; they run side by side.
      part.finish(client, prediction, 1, index === 0 ? context.onProgress : undefined),
    ),
  );

  const retry = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected' && !(o.reason instanceof ProviderError && !o.reason.transient));
  if (retry && !noRetryFollows(context)) throw retry.reason;
  const images: GeneratedImage[] = [];
  const results: GenerationResult[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.status !== 'fulfilled' || !outcome.value.images[0]) return;
    results.push(outcome.value);
    images.push({ ...outcome.value.images[0], index });
  });
  if (images.length === 0) throw (outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason;
  const sum = (values: (number | null)[]) => (values.every((v) => v !== null) ? values.reduce<number>((a, b) => a + (b ?? 0), 0) : null);
  return {
    images,
    providerCostUsd: sum(results.map((r) => r.providerCostUsd)),
    predictTimeSeconds: sum(results.map((r) => r.predictTimeSeconds)),
    providerPredictionId: started[0]?.prediction.id ?? null,
  };
}
