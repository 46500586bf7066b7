// What every button on a result starts from (re-roll, upscale, variations, edits): the job, which
// only its owner may act on, and where one of its delivered images is on Discord.
import type { JobRequest } from '../domain/jobs/job-request.js';
import { err, ok, type Result } from '../domain/result.js';
import type { JobMessages } from './ports/job-messages.js';
import type { JobRecord, JobStore } from './ports/job-store.js';

export type OwnedJobError =
  | { readonly code: 'job_not_found' }
  /** Anyone who sees the message can click; only the job's owner may act. */
  | { readonly code: 'not_job_owner'; readonly ownerId: string };

export async function findOwnedJob(jobs: Pick<JobStore, 'get'>, jobId: string, userId: string): Promise<Result<JobRecord, OwnedJobError>> {
  const job = await jobs.get(jobId);
  if (job === null) return err({ code: 'job_not_found' });
  if (job.userId !== userId) return err({ code: 'not_job_owner', ownerId: job.userId });
  return ok(job);
}

/**
 * Where image `image` (1-based) of the job sits on Discord, to be fetched afresh when a job made
 * from it runs; null when the job delivered no such image into a message.
 */
export function deliveredImage(jobMessages: Pick<JobMessages, 'imageLocation'>, job: JobRecord, image: number): NonNullable<JobRequest['sourceImage']> | null {
  const delivered = job.status === 'succeeded' || job.status === 'partial';
  const location = jobMessages.imageLocation(job.imagesDelivered, image);
  if (!delivered || job.messageId === null || location === null) return null;
  return { channelId: job.channelId, messageId: job.messageId, ...location };
}
