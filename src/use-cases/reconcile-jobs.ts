import type { GenerationQueue } from './ports/generation-queue.js';
import type { ImageDelivery } from './ports/image-delivery.js';
import type { JobStore } from './ports/job-store.js';

export interface ReconcileJobsOptions {
  readonly jobs: JobStore;
  readonly queue: GenerationQueue;
  readonly delivery: ImageDelivery;
  /** Jobs younger than this are left to the normal path (it may be enqueueing them). @defaultValue 30 s */
  readonly orphanAgeMs?: number;
}

export interface Reconciliation {
  readonly enqueued: string[];
  readonly timedOut: string[];
}

const timeoutMessage = 'Your image took too long to make, so we stopped it. Your credits were refunded.';

/**
 * Makes Redis agree with the database: a job committed but never enqueued (a crash or a Redis
 * outage between the two) is enqueued, one whose worker died and that left the queue is enqueued
 * again, and one past its deadline is ended and refunded.
 */
export async function reconcileJobs(options: ReconcileJobsOptions): Promise<Reconciliation> {
  const { jobs, queue, delivery } = options;
  const timedOut: string[] = [];
  for (const jobId of await jobs.findPastDeadline(200)) {
    const finished = await jobs.finish(jobId, { delivered: 0, failureReason: 'timeout', memberMessage: timeoutMessage, providerCostUsd: null, predictTimeSeconds: null });
    if (finished.replayed) continue;
    timedOut.push(jobId);
    await queue.remove(jobId);
    const job = await jobs.get(jobId);
    if (job) await delivery.reportFailure(job, timeoutMessage, finished.refunded).catch(() => undefined);
  }
  const enqueued: string[] = [];
  for (const orphan of await jobs.findOrphans(options.orphanAgeMs ?? 30_000)) {
    if (await queue.holds(orphan.id)) continue;
    await queue.enqueue(orphan.id, orphan.priority);
    await jobs.markEnqueued(orphan.id);
    enqueued.push(orphan.id);
  }
  return { enqueued, timedOut };
}
