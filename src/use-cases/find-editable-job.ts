// What the Edit button needs before it shows a panel: that the clicker owns the job and which of
// its images can be edited. Nothing is quoted yet.
import { err, ok, type Result } from '../domain/result.js';
import { deliveredImage, findOwnedJob, type OwnedJobError } from './owned-job.js';
import type { JobMessages } from './ports/job-messages.js';
import type { JobStore } from './ports/job-store.js';

export interface EditableJob {
  readonly jobId: string;
  readonly prompt: string;
  /** How many of its images have edit controls (1-based numbers up to this). */
  readonly images: number;
  /** Each image's size, as an edit plans it (an uploaded mask must match it). */
  readonly width: number;
  readonly height: number;
}

export type FindEditableJobError = OwnedJobError | { readonly code: 'no_such_image'; readonly image: number | undefined };

export async function findEditableJob(
  deps: { readonly jobs: JobStore; readonly jobMessages: Pick<JobMessages, 'imageLocation'> },
  input: { readonly jobId: string; readonly userId: string; readonly image?: number | undefined },
): Promise<Result<EditableJob, FindEditableJobError>> {
  const owned = await findOwnedJob(deps.jobs, input.jobId, input.userId);
  if (!owned.ok) return owned;
  const job = owned.value;
  let images = 0;
  while (deliveredImage(deps.jobMessages, job, images + 1) !== null) images++;
  if (images === 0 || (input.image !== undefined && input.image > images)) return err({ code: 'no_such_image', image: input.image });
  return ok({ jobId: job.id, prompt: job.request.prompt, images, width: job.request.width, height: job.request.height });
}
