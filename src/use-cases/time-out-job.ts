import type { ImageDelivery } from './ports/image-delivery.js';
import type { JobCredits } from './ports/job-credits.js';
import type { JobStore } from './ports/job-store.js';

export interface TimeOutJobOptions {
  readonly jobs: JobStore;
  readonly credits: JobCredits;
  readonly delivery: ImageDelivery;
  readonly jobId: string;
}

const timeoutMessage = 'Your image took too long to make, so we stopped it. Your credits were refunded.';

/**
 * Ends a job past its deadline that no worker is running (none holds a live lease), refunds it
 * and tells the member. Returns what was refunded, or null when the job was not ended now: it had
 * ended, is not due, or a worker still holds it and will be charged for what it delivers.
 */
export async function timeOutJob({ jobs, credits, delivery, jobId }: TimeOutJobOptions): Promise<{ readonly refunded: number } | null> {
  const ended = await credits.timeOut(jobId, timeoutMessage);
  if (ended.kind !== 'timed_out') return null;
  const job = await jobs.get(jobId);
  if (job) await delivery.reportFailure(job, timeoutMessage, ended.refunded).catch(() => undefined);
  return { refunded: ended.refunded };
}
