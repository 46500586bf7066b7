// Test doubles at the pipeline's edges: a delivery port that records what members would see,
// and a provider whose behaviour each test scripts. They implement the real ports.
import {
  ProviderError,
  type GeneratedImage,
  type GenerationRequest,
  type GenerationResult,
  type ImageProvider,
  type PredictionStore,
} from '../../src/use-cases/ports/image-provider.js';
import type { ImageDelivery } from '../../src/use-cases/ports/image-delivery.js';
import type { JobRecord } from '../../src/use-cases/ports/job-store.js';

export class RecordingDelivery implements ImageDelivery {
  readonly delivered = new Map<string, number>();
  readonly failures = new Map<string, { message: string; refunded: number }>();
  readonly progress = new Map<string, number>();
  /** Images to drop per job, as if Discord refused some uploads. */
  readonly dropImages = new Map<string, number>();

  async deliver(job: JobRecord, images: readonly GeneratedImage[]) {
    const delivered = Math.max(0, images.length - (this.dropImages.get(job.id) ?? 0));
    this.delivered.set(job.id, (this.delivered.get(job.id) ?? 0) + delivered);
    return { delivered };
  }
  async reportFailure(job: JobRecord, message: string, refunded: number) {
    this.failures.set(job.id, { message, refunded });
  }
  async reportProgress(job: JobRecord) {
    this.progress.set(job.id, (this.progress.get(job.id) ?? 0) + 1);
  }
}

export type Step =
  | { readonly kind: 'succeed'; readonly images?: number; readonly delayMs?: number }
  | { readonly kind: 'fail'; readonly error: ProviderError }
  | { readonly kind: 'throw'; readonly error: Error };

/** A provider that plays a script per prompt, one step per call, and counts "predictions". */
export class ScriptedProvider implements ImageProvider {
  readonly name = 'local' as const;
  readonly calls: string[] = [];
  readonly predictionsCreated = new Map<string, number>();
  private readonly scripts = new Map<string, Step[]>();

  script(prompt: string, ...steps: Step[]): void {
    this.scripts.set(prompt, steps);
  }

  async generate(request: GenerationRequest, { predictions }: { predictions: PredictionStore }): Promise<GenerationResult> {
    this.calls.push(request.jobId);
    // Like a real provider: create a prediction once per job, resume it on later attempts.
    const stored = await predictions.get(request.jobId);
    let predictionId = stored?.predictionId ?? null;
    if (predictionId === null) {
      predictionId = `pred-${request.jobId}`;
      await predictions.markCreating(request.jobId, new Date());
      this.predictionsCreated.set(request.jobId, (this.predictionsCreated.get(request.jobId) ?? 0) + 1);
      await predictions.save(request.jobId, predictionId);
    }
    const steps = this.scripts.get(request.prompt) ?? [];
    const step = steps.length > 1 ? steps.shift()! : (steps[0] ?? { kind: 'succeed' });
    if (step.kind === 'fail' || step.kind === 'throw') throw step.error;
    if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    const images = Array.from({ length: step.images ?? request.count }, (_, index) => ({
      index,
      data: Buffer.from(`image ${index} of ${request.jobId}`),
      contentType: 'image/png' as const,
    }));
    return { images, providerCostUsd: 0.01, predictTimeSeconds: 1.5, providerPredictionId: predictionId };
  }
}

export const safetyError = () => new ProviderError('safety', 'The image was blocked by the safety filter. Your credits were refunded.');
export const rateLimited = (retryAfterMs = 20) => new ProviderError('rate_limited', 'The image service is busy.', { retryAfterMs });
export const serverError = () => new ProviderError('server_error', 'The image service had a problem.', { retryAfterMs: 20 });

/**
 * A slow provider that records, per key (by default the prompt's first word, e.g. a member id),
 * how many generations ran at once: `peak` is the most ever seen together.
 */
export class ConcurrencyProvider implements ImageProvider {
  readonly name = 'local' as const;
  readonly calls: string[] = [];
  readonly peak = new Map<string, number>();
  private readonly running = new Map<string, number>();

  constructor(
    private readonly delayMs: number,
    private readonly keyOf = (request: GenerationRequest) => request.prompt.split(' ')[0]!,
  ) {}

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const key = this.keyOf(request);
    this.calls.push(request.jobId);
    const now = (this.running.get(key) ?? 0) + 1;
    this.running.set(key, now);
    this.peak.set(key, Math.max(this.peak.get(key) ?? 0, now));
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    } finally {
      this.running.set(key, (this.running.get(key) ?? 1) - 1);
    }
    const images = Array.from({ length: request.count }, (_, index) => ({
      index,
      data: Buffer.from(`image ${index} of ${request.jobId}`),
      contentType: 'image/png' as const,
    }));
    return { images, providerCostUsd: 0.01, predictTimeSeconds: this.delayMs / 1000, providerPredictionId: null };
  }
}
