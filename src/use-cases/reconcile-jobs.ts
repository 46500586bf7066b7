import type { GenerationQueue } from './ports/generation-queue.js';
import type { ImageDelivery } from './ports/image-delivery.js';
import type { JobCredits } from './ports/job-credits.js';
import type { JobStore } from './ports/job-store.js';
import { timeOutJob } from './time-out-job.js';

export interface ReconcileJobsOptions {
  readonly jobs: JobStore;
  readonly credits: JobCredits;
  readonly queue: GenerationQueue;
  readonly delivery: ImageDelivery;
  /** Jobs younger than this are left to the normal path (it may be enqueueing them). @defaultValue 30 s */
  readonly orphanAgeMs?: number;
}

export interface Reconciliation {
  readonly enqueued: string[];
  readonly timedOut: string[];
}

/**
 * Makes Redis agree with the database: a job committed but never enqueued (a crash or a Redis
 * outage between the two) is enqueued, one whose worker died and that left the queue is enqueued
 * again, and one past its deadline that no worker is running is ended and refunded (one a worker
 * still holds is left to it: it is charged for what it delivers, within its overtime).
 */
export async function reconcileJobs(options: ReconcileJobsOptions): Promise<Reconciliation> {
  const { jobs, credits, queue, delivery } = options;
  const timedOut: string[] = [];
  for (const jobId of await jobs.findPastDeadline(200)) {
    if ((await timeOutJob({ jobs, credits, delivery, jobId })) === null) continue;
    timedOut.push(jobId);
    await queue.remove(jobId);
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
