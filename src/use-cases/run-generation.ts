import { ProviderError, type ImageProvider } from './ports/image-provider.js';
import type { ImageDelivery } from './ports/image-delivery.js';
import type { JobCredits } from './ports/job-credits.js';
import type { JobRecord, JobStore } from './ports/job-store.js';
import type { WorkLog } from './ports/work-log.js';
import { timeOutJob } from './time-out-job.js';
import { jobSettlement } from '../domain/jobs/job-settlement.js';
import { errorMessage } from '../shared/error-message.js';

export interface RunGenerationOptions {
  readonly jobId: string;
  readonly workerId: string;
  readonly jobs: JobStore;
  /** Where the job is charged for what it delivered and refunded the rest. */
  readonly credits: JobCredits;
  readonly provider: ImageProvider;
  readonly delivery: ImageDelivery;
  /** Whether the queue will try this job again if this attempt throws. */
  readonly finalAttempt: boolean;
  /** The member's tier limit on jobs running at once. */
  readonly maxRunningJobs: (job: JobRecord) => number;
  /** How long this worker's claim on the job lasts without renewal. @defaultValue 60 s */
  readonly leaseMs?: number;
  /** Aborted when the worker shuts down: the job is handed back to the queue, not refunded. */
  readonly signal?: AbortSignal;
  /** The card's price of the images when the provider does not report its cost. */
  readonly estimateCostUsd?: (job: JobRecord, delivered: number) => number | null;
  /** This attempt's log, bound to the job id; handed on to the provider. */
  readonly log?: WorkLog;
  /** The member's available credits in the job's guild, for the result to show the balance after. */
  readonly availableCredits?: (job: JobRecord) => Promise<number>;
}

export type RunOutcome =
  /** `userId`: whose job it was (their next job may now run). */
  | {
      readonly kind: 'finished';
      readonly status: 'succeeded' | 'partial' | 'failed';
      readonly charged: number;
      readonly refunded: number;
      readonly userId: string;
    }
  /** Ended earlier, by another worker or the reaper: nothing was done. */
  | { readonly kind: 'already_finished' }
  /**
   * This worker lost the job before delivering (its lease ran out: the job was timed out, or
   * another worker took it over): nothing was delivered or charged by this attempt.
   */
  | { readonly kind: 'lost_lease' }
  /** Another worker's lease is live: it is doing the work. */
  | { readonly kind: 'held_elsewhere' }
  /** The member is at their running-job limit: try again later. */
  | { readonly kind: 'deferred' };

const unexpectedMessage = 'Something went wrong on our side while making your image. Your credits were refunded.';

/**
 * Runs one attempt of a job: claim it, generate, deliver, then charge for what was delivered and
 * refund the rest. Permanent failures refund at once; transient ones throw so the queue retries,
 * until the final attempt, which refunds. Safe to run twice at once or again after a crash: the
 * lease keeps one worker on a job, the provider resumes a stored prediction, and finishing a job
 * (its ledger settlement included) happens exactly once in the database.
 */
export async function runGeneration(options: RunGenerationOptions): Promise<RunOutcome> {
  const { jobs, jobId, workerId } = options;
  const log = options.log ?? silentLog;
  const leaseMs = options.leaseMs ?? 60_000;
  const current = await jobs.get(jobId);
  if (current === null || !['queued', 'running'].includes(current.status)) return { kind: 'already_finished' };
  // The member's limit is checked inside the claim, atomically: checked apart, two workers
  // taking two of the member's jobs at once could both see room for one more.
  const maxRunningForMember = options.maxRunningJobs(current);
  const claimed = await jobs.claim(jobId, workerId, leaseMs, { maxRunningForMember });
  switch (claimed.kind) {
    case 'finished':
      return { kind: 'already_finished' };
    case 'held_elsewhere':
      return { kind: 'held_elsewhere' };
    case 'member_limit':
      log.debug({ userId: current.userId, running: claimed.running, limit: maxRunningForMember }, 'member at their running-job limit; deferred');
      return { kind: 'deferred' };
    case 'past_deadline': {
      // No attempt starts after the deadline: the job is refunded now rather than at the reaper's next round.
      const ended = await timeOutJob({ jobs, credits: options.credits, delivery: options.delivery, jobId });
      return ended === null
        ? { kind: 'already_finished' }
        : { kind: 'finished', status: 'failed', charged: 0, refunded: ended.refunded, userId: current.userId };
    }
    case 'claimed':
      break;
  }
  const { job } = claimed;
  log.info({ model: job.request.model, count: job.request.count, userId: job.userId, guildId: job.guildId }, 'generating');

  const heartbeat = setInterval(() => void jobs.renewLease(jobId, workerId, leaseMs).catch(() => undefined), leaseMs / 3);
  try {
    // The member sees "Generating…" as soon as a worker has the job, before any provider progress.
    void options.delivery.reportProgress(job, {}).catch(() => undefined);
    const sourceImageUrl = await resolveSourceImage(job, options.delivery);
    const result = await options.provider.generate(
      {
        jobId,
        model: { name: job.request.model, providerModelId: job.request.providerModelId },
        ...pickRender(job),
        ...(sourceImageUrl ? { sourceImageUrl } : {}),
      },
      {
        predictions: jobs.predictions,
        onProgress: (progress) => void options.delivery.reportProgress(job, progress).catch(() => undefined),
        ...(options.signal ? { signal: options.signal } : {}),
        log,
        finalAttempt: options.finalAttempt,
      },
    );
    // Deliver only while this worker still holds the job: once it was timed out (and refunded) or
    // taken over, the images must not reach the member.
    if (!(await jobs.beginDelivery(jobId, workerId, leaseMs))) {
      log.warn({ made: result.images.length }, 'lost the job before delivering (timed out or taken over); nothing delivered');
      return { kind: 'lost_lease' };
    }
    const available = options.availableCredits ? await options.availableCredits(job).catch(() => null) : null;
    const { delivered } = await options.delivery.deliver(job, result.images, available === null ? undefined : { available });
    const missing = job.request.count - delivered;
    log.info({ made: result.images.length, delivered, requested: job.request.count }, 'images delivered');
    const finished = await options.credits.finish(jobId, {
      delivered,
      failureReason: missing > 0 ? 'some_images_failed' : null,
      memberMessage:
        missing > 0
          ? `${missing} of ${job.request.count} images could not be made; ${jobSettlement(job.price, job.request.count, delivered).refunded} credits were refunded.`
          : null,
      providerCostUsd: result.providerCostUsd ?? options.estimateCostUsd?.(job, delivered) ?? null,
      predictTimeSeconds: result.predictTimeSeconds,
    });
    // Only if this worker stalled longer than a whole lease mid-delivery: the job was refunded meanwhile.
    if (finished.replayed) log.error({ delivered, status: finished.status, refunded: finished.refunded }, 'delivered a job that had already ended');
    return { kind: 'finished', status: finished.status, charged: finished.charged, refunded: finished.refunded, userId: job.userId };
  } catch (error) {
    const permanent = error instanceof ProviderError && !error.transient;
    // Shutting down, or a transient failure with attempts left: hand the job back for a retry,
    // which resumes the same prediction.
    if (options.signal?.aborted || (!permanent && !options.finalAttempt)) {
      log.warn({ err: errorMessage(error), shuttingDown: options.signal?.aborted ?? false }, 'attempt ended early; the job goes back to the queue');
      await jobs.releaseLease(jobId, workerId).catch(() => undefined);
      throw error;
    }
    const message = error instanceof ProviderError ? error.memberMessage : unexpectedMessage;
    const reason = error instanceof ProviderError ? error.reason : 'internal_error';
    log.warn({ reason, err: errorMessage(error) }, 'job failed; refunding');
    const finished = await options.credits.finish(jobId, {
      delivered: 0,
      failureReason: reason,
      memberMessage: message,
      providerCostUsd: null,
      predictTimeSeconds: null,
    });
    if (!finished.replayed) await options.delivery.reportFailure(job, message, finished.refunded).catch(() => undefined);
    return { kind: 'finished', status: finished.status, charged: finished.charged, refunded: finished.refunded, userId: job.userId };
  } finally {
    clearInterval(heartbeat);
  }
}

const silentLog: WorkLog = { debug() {}, info() {}, warn() {}, error() {} };

/** The source image of an upscale or variation, found again on Discord; a missing one ends the job with a refund. */
async function resolveSourceImage(job: JobRecord, delivery: ImageDelivery): Promise<string | undefined> {
  if (job.request.sourceImage === undefined || delivery.sourceImageUrl === undefined) return job.request.sourceImageUrl;
  const url = await delivery.sourceImageUrl(job);
  if (url === null) {
    throw new ProviderError('source_image', 'The image to work from is gone (its message was deleted). Your credits were refunded.', {
      detail: `source image of job ${job.id} not found`,
    });
  }
  return url;
}

function pickRender({ request }: JobRecord) {
  const { operation, prompt, width, height, steps, count, seed } = request;
  return {
    operation,
    prompt,
    width,
    height,
    steps,
    count,
    seed,
    ...(request.negativePrompt === undefined ? {} : { negativePrompt: request.negativePrompt }),
    ...(request.sourceImageUrl === undefined ? {} : { sourceImageUrl: request.sourceImageUrl }),
    ...(request.prompts === undefined ? {} : { prompts: request.prompts }),
    ...(request.allowNsfw ? { allowNsfw: true } : {}),
    ...(request.edit === undefined ? {} : { edit: request.edit }),
  };
}
