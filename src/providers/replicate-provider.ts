import Replicate, { type Prediction } from 'replicate';
import {
  noRetryFollows,
  type GenerationContext,
  type GenerationRequest,
  type GenerationResult,
  type ImageProvider,
} from '../use-cases/ports/image-provider.js';
import { providerFailure } from './provider-failure.js';
import type { DownloadFailure } from './replicate/download-images.js';
import { parseModelRef } from './replicate/model-ref.js';
import { obtainPrediction, type PredictionOrigin } from './replicate/obtain-prediction.js';
import { generatePerPrompt, type PredictionPart } from './replicate/per-prompt-predictions.js';
import { predictionResult } from './replicate/prediction-result.js';
import { probeSourceImage } from './replicate/probe-source-image.js';
import { toReplicateEditInput, toReplicateInput } from './replicate/replicate-input.js';
import { progressReporter } from './replicate/report-progress.js';
import { type FetchLike, sendCreateOnce } from './replicate/send-create-once.js';
import { waitForPrediction } from './replicate/wait-for-prediction.js';
import { checkMaskUrl, checkSourceImageUrl } from './source-image.js';
import { editFiles } from './edits/edit-files.js';

export interface ReplicateProviderOptions {
  /** The API token (`REPLICATE_API_TOKEN`). */
  readonly token: string;
  /** @defaultValue the client's, `https://api.replicate.com/v1` */
  readonly baseUrl?: string;
  /** Used for the API, downloads and source-image checks. @defaultValue `globalThis.fetch` */
  readonly fetch?: FetchLike;
  /** @defaultValue 1000 */
  readonly pollIntervalMs?: number;
  /** How long one attempt waits for a prediction to end. @defaultValue 30 minutes (Replicate's cap on a run) */
  readonly timeoutMs?: number;
  /** Per output image; larger downloads are abandoned. @defaultValue 20 MiB */
  readonly maxImageBytes?: number;
  /** Hosts a source image may come from. @defaultValue Discord's CDN (`cdn.discordapp.com`, `media.discordapp.net`) */
  readonly allowedSourceHosts?: readonly string[];
  /** @defaultValue `['https:']` */
  readonly allowedSourceProtocols?: readonly string[];
  /** A HEAD check refuses larger source images before anything is paid for; 0 skips the check. @defaultValue 20 MiB */
  readonly maxSourceImageBytes?: number;
  /** Price of a second of predict time; without it `providerCostUsd` is null. */
  readonly usdPerSecond?: number;
  /** How far Replicate's clock may lag ours when adopting a prediction whose create response was lost. @defaultValue 60 000 */
  readonly clockToleranceMs?: number;
  /** Retries of an output download start at this delay, doubling. @defaultValue 250 */
  readonly downloadRetryDelayMs?: number;
  /** Per download attempt; a stalled one is retried. @defaultValue 60 000 */
  readonly downloadTimeoutMs?: number;
  /** Told which prediction a job used and which outputs could not be delivered. */
  readonly logger?: ReplicateProviderLogger;
}

export interface ReplicateProviderLogger {
  info(fields: { jobId: string; predictionId: string; origin: PredictionOrigin }, message: string): void;
  warn(fields: { jobId: string; failure: DownloadFailure } | { jobId: string; predictionId: string; err?: string }, message: string): void;
}

const MiB = 1024 * 1024;

/**
 * Replicate through its official client. Each job makes at most one prediction: the id is stored
 * before waiting, a retried job resumes it, and a create whose answer was lost is found again by
 * listing rather than sent twice (see `sendCreateOnce` for the client's own retries). The one
 * exception is a /batch of distinct prompts: one prediction per prompt, each kept the same way
 * under its position (see `generatePerPrompt`).
 */
export function createReplicateProvider(options: ReplicateProviderOptions): ImageProvider {
  const fetch = options.fetch ?? globalThis.fetch;
  const maxSourceImageBytes = options.maxSourceImageBytes ?? 20 * MiB;
  const sourcePolicy = {
    ...(options.allowedSourceHosts ? { hosts: options.allowedSourceHosts } : {}),
    ...(options.allowedSourceProtocols ? { protocols: options.allowedSourceProtocols } : {}),
  };

  return {
    name: 'replicate',
    async generate(request: GenerationRequest, context: GenerationContext): Promise<GenerationResult> {
      const { jobId } = request;
      // The attempt's own log (bound to the job id) when the worker gives one.
      const log = context.log ?? options.logger;
      const signal = context.signal ? { signal: context.signal } : {};
      if (context.signal?.aborted) {
        throw providerFailure('timeout', { detail: `job ${jobId} was aborted before it started`, cause: context.signal.reason });
      }
      const ref = parseModelRef(request.model.providerModelId);
      if (ref === null) {
        const detail = `model ${request.model.name} has provider model id ${JSON.stringify(request.model.providerModelId)}; expected "owner/name" or "owner/name:version"`;
        throw providerFailure('invalid_input', { detail });
      }
      const sourceImageUrl = checkSourceImageUrl(request, sourcePolicy);
      if (sourceImageUrl !== undefined && maxSourceImageBytes > 0) {
        await probeSourceImage(sourceImageUrl, { fetch, maxBytes: maxSourceImageBytes, jobId, ...signal });
      }
      const part: PredictionPart = {
        // A client per prediction: its create guard is spent by that prediction's one create.
        client: () =>
          new Replicate({
            auth: options.token,
            useFileOutput: false,
            fetch: sendCreateOnce(fetch),
            ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
          }),
        obtain: async (client, input, store) => {
          const { prediction, origin } = await obtainPrediction({
            client,
            store,
            jobId,
            ref,
            input,
            clockToleranceMs: options.clockToleranceMs ?? 60_000,
            ...signal,
          });
          log?.info({ jobId, predictionId: prediction.id, origin }, 'replicate prediction');
          return prediction;
        },
        finish: async (client, prediction, count, onProgress) => {
          let finished: Prediction;
          try {
            finished = await waitForPrediction(prediction, {
              client,
              jobId,
              pollIntervalMs: options.pollIntervalMs ?? 1000,
              timeoutMs: options.timeoutMs ?? 30 * 60_000,
              onUpdate: progressReporter(onProgress),
              ...signal,
            });
          } catch (error) {
            // Giving up on a prediction that is still running (the last attempt timed out): cancel
            // it, so Replicate stops billing for an image nobody will be charged for.
            if (noRetryFollows(context)) {
              await client.predictions.cancel(prediction.id).then(
                () => log?.warn({ jobId, predictionId: prediction.id }, 'replicate prediction canceled: the job gave up on it'),
                (cancelError: unknown) =>
                  log?.warn({ jobId, predictionId: prediction.id, err: String(cancelError) }, 'could not cancel an abandoned replicate prediction'),
              );
            }
            throw error;
          }
          return predictionResult(finished, {
            jobId,
            count,
            ...(options.usdPerSecond === undefined ? {} : { usdPerSecond: options.usdPerSecond }),
            download: {
              fetch,
              maxBytes: options.maxImageBytes ?? 20 * MiB,
              ...signal,
              ...(options.downloadRetryDelayMs === undefined ? {} : { retryDelayMs: options.downloadRetryDelayMs }),
              ...(options.downloadTimeoutMs === undefined ? {} : { timeoutMs: options.downloadTimeoutMs }),
            },
            onDownloadFailure: (failure) => log?.warn({ jobId, failure }, 'replicate output not delivered'),
          });
        },
      };
      if (request.prompts && request.prompts.length > 1) return generatePerPrompt(request, request.prompts, context, part);
      const maskUrl = checkMaskUrl(request, sourcePolicy);
      const input =
        request.edit !== undefined && sourceImageUrl !== undefined
          ? toReplicateEditInput(request, await editFiles(request.edit, { sourceUrl: sourceImageUrl, maskUrl, jobId, fetch, signal: context.signal }))
          : toReplicateInput(request, sourceImageUrl);
      const client = part.client();
      const prediction = await part.obtain(client, input, context.predictions);
      return part.finish(client, prediction, request.count, context.onProgress);
    },
  };
}
