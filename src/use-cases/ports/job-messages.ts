import type { JobRequest } from '../../domain/jobs/job-request.js';
import type { JobRecord } from './job-store.js';

/** An image on a job message: an attachment, or a cell of a grid attachment. */
export type ImageLocation = Pick<NonNullable<JobRequest['sourceImage']>, 'attachmentIndex' | 'gridCell'>;

/**
 * The bot's writes of a job's public message (Discord in production): posted when the job is
 * confirmed, its queue place kept current while it waits. From then on the worker writes it
 * (ImageDelivery).
 */
export interface JobMessages {
  /** Posts the job's message showing it queued with `ahead` jobs ahead, and stores the message's id on the job. */
  postQueued(job: JobRecord, ahead: number): Promise<void>;
  /** Edits the place the message shows; false when the message is gone (nothing is posted). Abandoned when `signal` aborts. */
  showQueuePlace(job: JobRecord, ahead: number, signal: AbortSignal): Promise<boolean>;
  /** The rate-limit budget a write for the job spends: `token:…` (its interaction's) or `channel:…`. */
  budgetOf(job: JobRecord): string;
  /** Where image k (1-based) of a delivered job sits on its message (upscale #k works from it); null when it has no such image. */
  imageLocation(delivered: number, image: number): ImageLocation | null;
}
