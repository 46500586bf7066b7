import type { ImageEdit } from '../../domain/edits/image-edit.js';
import type { Operation } from '../../domain/pricing/card-terms.js';
import type { WorkLog } from './work-log.js';

/** What to render: everything a provider needs, already priced and validated. */
export interface GenerationRequest {
  /** Our job id: names the work in logs and lets a provider find a prediction it already made. */
  readonly jobId: string;
  readonly model: { readonly name: string; readonly providerModelId: string };
  readonly operation: Operation;
  readonly prompt: string;
  readonly negativePrompt?: string;
  readonly width: number;
  readonly height: number;
  readonly steps: number;
  /** Images wanted (a batch). */
  readonly count: number;
  /** A /batch of distinct prompts: image i renders prompts[i] (length = count); absent, every image renders `prompt`. */
  readonly prompts?: readonly string[];
  readonly seed: number;
  /** img2img / upscale / variation: the source image (Discord CDN only; checked by the provider). */
  readonly sourceImageUrl?: string;
  /** inpaint / outpaint: the edit of the source image (its canvas and mask follow from it: src/domain/edits/). */
  readonly edit?: ImageEdit;
  /** The provider may turn its safety checker off (guild policy + an age-restricted channel). */
  readonly allowNsfw?: boolean;
}

export interface GeneratedImage {
  /** 0-based position in the batch. */
  readonly index: number;
  readonly data: Buffer;
  readonly contentType: 'image/png' | 'image/jpeg' | 'image/webp';
}

export interface GenerationResult {
  /** Delivered images; fewer than `count` when some failed (the rest are refunded). */
  readonly images: readonly GeneratedImage[];
  /** What the provider charged, when known (Replicate: from predict time or the card). */
  readonly providerCostUsd: number | null;
  readonly predictTimeSeconds: number | null;
  readonly providerPredictionId: string | null;
}

export type ProviderFailureReason =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network' // transient: retry with backoff
  | 'invalid_input'
  | 'safety'
  | 'model_error'
  | 'canceled'
  | 'aborted'
  | 'source_image'; // permanent

/**
 * Why a generation failed, with a sentence a member understands. `transient` failures are
 * retried (after `retryAfterMs` when the provider said so); permanent ones are refunded at once.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly reason: ProviderFailureReason,
    readonly memberMessage: string,
    readonly options: { readonly retryAfterMs?: number; readonly cause?: unknown; readonly detail?: string } = {},
  ) {
    super(`${reason}: ${options.detail ?? memberMessage}`, { cause: options.cause });
  }

  get transient(): boolean {
    return ['rate_limited', 'server_error', 'timeout', 'network'].includes(this.reason);
  }
}

/**
 * Durable memory of the provider's own id for a job's prediction. A provider saves the id
 * before it waits for the result, so a retried or resumed job continues that prediction
 * instead of paying for a second one.
 */
export interface PredictionStore {
  /**
   * `part` (here and below): a job that needs several predictions (a /batch of distinct prompts
   * on Replicate makes one per prompt) keeps each under its position; no part = the job's one.
   */
  get(jobId: string, part?: number): Promise<PredictionRecord | null>;
  /** Called just before creating: marks that a create may be in flight. */
  markCreating(jobId: string, at: Date, part?: number): Promise<void>;
  save(jobId: string, predictionId: string, part?: number): Promise<void>;
}

export interface PredictionRecord {
  readonly predictionId: string | null;
  /** Set when a create was started; with no id, the create may or may not have reached the provider. */
  readonly creatingSince: Date | null;
}

export interface GenerationProgress {
  /** 0–100 when the model reports it. */
  readonly percent?: number;
  readonly message?: string;
}

export interface GenerationContext {
  readonly predictions: PredictionStore;
  readonly onProgress?: (progress: GenerationProgress) => void;
  /** Aborts waiting (not the remote prediction) on shutdown or timeout. */
  readonly signal?: AbortSignal;
  /** The job attempt's log (bound to its job id). */
  readonly log?: WorkLog;
  /**
   * No retry follows this attempt: a provider with part of the work done should deliver that
   * part (the rest is refunded) rather than throw a transient failure that refunds it all.
   * Unless `signal` has aborted: a shutdown hands the job back for another attempt.
   */
  readonly finalAttempt?: boolean;
}

/** This attempt is the job's last and the worker is not shutting down: what fails now is refunded. */
export const noRetryFollows = (context: GenerationContext): boolean => context.finalAttempt === true && context.signal?.aborted !== true;

export interface ImageProvider {
  readonly name: 'local' | 'replicate';
  /** Resolves with what was delivered, or rejects with a ProviderError. */
  generate(request: GenerationRequest, context: GenerationContext): Promise<GenerationResult>;
}
