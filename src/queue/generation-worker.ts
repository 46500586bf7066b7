import { DelayedError, Job, Worker, type ConnectionOptions } from 'bullmq';
import { memberRunningLimit } from '../domain/guild-config.js';
import { ProviderError, type ImageProvider } from '../use-cases/ports/image-provider.js';
import type { ImageDelivery } from '../use-cases/ports/image-delivery.js';
import type { JobCredits } from '../use-cases/ports/job-credits.js';
import type { JobRecord, JobStore } from '../use-cases/ports/job-store.js';
import type { WorkLog } from '../use-cases/ports/work-log.js';
import { runGeneration, type RunOutcome } from '../use-cases/run-generation.js';
import { generationPayloadSchema, generationQueueName, type GenerationPayload, type relaxQueueName } from './bullmq-generation-queue.js';

export interface GenerationWorkerOptions {
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  /** Which queue it serves: the paying lanes' or Relax's. @defaultValue the paying lanes' */
  readonly queueName?: typeof generationQueueName | typeof relaxQueueName;
  /** Names this worker in job leases and logs. */
  readonly workerId: string;
  readonly jobs: JobStore;
  /** Charges and refunds finished jobs (the ledger's). */
  readonly credits: JobCredits;
  readonly provider: ImageProvider;
  readonly delivery: ImageDelivery;
  readonly maxRunningJobs: (job: JobRecord) => number;
  /** Jobs run at once by this process. @defaultValue 4 */
  readonly concurrency?: number;
  /** @defaultValue 60 s */
  readonly leaseMs?: number;
  /** How long a job waits when its member is at their running-job limit. @defaultValue 5 s */
  readonly deferMs?: number;
  /** BullMQ lock; a dead worker's job is retaken after about this long. @defaultValue 30 s */
  readonly lockDurationMs?: number;
  /** Aborted on shutdown: running jobs stop waiting and go back to the queue. */
  readonly signal?: AbortSignal;
  readonly estimateCostUsd?: (job: JobRecord, delivered: number) => number | null;
  /** The member's available credits, for the result message's "balance after". */
  readonly availableCredits?: (job: JobRecord) => Promise<number>;
  readonly onOutcome?: (jobId: string, outcome: RunOutcome) => void;
  readonly onError?: (jobId: string | undefined, error: unknown) => void;
  /** Each attempt logs through a child bound to its job id (a pino logger fits). */
  readonly log?: { child(bindings: { jobId: string; attempt: number }): WorkLog };
}

/** Exponential backoff from 1 s to 60 s with jitter, or the provider's own Retry-After. */
export function retryDelayMs(attemptsMade: number, error?: Error): number {
  if (error instanceof ProviderError && error.options.retryAfterMs !== undefined) return error.options.retryAfterMs;
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

export function createGenerationWorker(options: GenerationWorkerOptions): Worker<GenerationPayload, RunOutcome> {
  const leaseMs = options.leaseMs ?? 60_000;
  const processor = async (job: Job<GenerationPayload, RunOutcome>, token?: string): Promise<RunOutcome> => {
    const { jobId, waitingForMember } = generationPayloadSchema.parse(job.data);
    const log = options.log?.child({ jobId, attempt: job.attemptsMade + 1 });
    let outcome: RunOutcome;
    try {
      outcome = await runGeneration({
        jobId,
        workerId: options.workerId,
        jobs: options.jobs,
        credits: options.credits,
        provider: options.provider,
        delivery: options.delivery,
        // The guild's job limit (copied onto the job when quoted) lowers the tier's.
        maxRunningJobs: (record) => memberRunningLimit(options.maxRunningJobs(record), record.request.maxRunningJobsPerMember),
        leaseMs,
        finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.estimateCostUsd ? { estimateCostUsd: options.estimateCostUsd } : {}),
        ...(options.availableCredits ? { availableCredits: options.availableCredits } : {}),
        ...(log ? { log } : {}),
      });
    } finally {
      // It ran (or failed trying): no longer waiting for its member, so a back-off is never cut short.
      if (waitingForMember) await job.updateData({ jobId }).catch(() => undefined);
    }
    options.onOutcome?.(jobId, outcome);
    if (outcome.kind === 'finished') await wakeMembersNextJob(outcome.userId);
    // Another worker holds the job, or the member is at their limit: keep the job in the queue
    // and look again later, without spending an attempt.
    if (outcome.kind === 'deferred') {
      await job.updateData({ jobId, waitingForMember: true });
      await job.moveToDelayed(Date.now() + (options.deferMs ?? 5000), token);
      throw new DelayedError();
    }
    if (outcome.kind === 'held_elsewhere') {
      await job.moveToDelayed(Date.now() + leaseMs, token);
      throw new DelayedError();
    }
    return outcome;
  };

  /**
   * A member's job ended, so one of their jobs that was put off for their running-job limit may
   * run now rather than when its wait runs out: the next one waiting is moved up. (Its claim still
   * checks the limit; the wait remains the fallback, e.g. for a job that ended on a dead worker.)
   */
  async function wakeMembersNextJob(userId: string): Promise<void> {
    try {
      for (const id of await options.jobs.queuedJobIdsOf(userId, 4)) {
        const queued = await Job.fromId<GenerationPayload, RunOutcome>(worker, id);
        if (queued?.data.waitingForMember && (await queued.isDelayed())) {
          await queued.promote();
          return;
        }
      }
    } catch (error) {
      options.onError?.(undefined, error);
    }
  }

  const worker = new Worker<GenerationPayload, RunOutcome>(options.queueName ?? generationQueueName, processor, {
    connection: options.connection,
    prefix: options.prefix ?? 'imagine',
    concurrency: options.concurrency ?? 4,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.lockDurationMs ?? 30_000,
    settings: { backoffStrategy: (attemptsMade, _type, error) => retryDelayMs(attemptsMade, error) },
  });
  worker.on('failed', (job, error) => options.onError?.(job?.id, error));
  worker.on('error', (error) => options.onError?.(undefined, error));
  return worker;
}
