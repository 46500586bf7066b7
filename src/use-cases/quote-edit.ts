// Zoom Out, Pan and Vary (Region) of one image of a delivered job: a new quote, like the other
// buttons on a result, through the same quote set-up as /imagine. The edit is planned here from
// the image's size (its job's width × height), so the price is for exactly the canvas and mask
// the worker will draw; nothing is held until the owner presses Generate.
import { planEdit } from '../domain/edits/edit-geometry.js';
import { planProblemText } from '../domain/edits/edit-input.js';
import { imageEditSchema, type ImageEdit } from '../domain/edits/image-edit.js';
import { err, type Result } from '../domain/result.js';
import { deliveredImage, findOwnedJob, type OwnedJobError } from './owned-job.js';
import type { JobMessages } from './ports/job-messages.js';
import type { JobRecord, JobStore } from './ports/job-store.js';
import { quoteGeneration, type QuoteGenerationDeps, type QuoteGenerationError, type QuotedGeneration, type QuotingMember } from './quote-generation.js';

/** What the member chose; the image's size is added from its job. */
export type EditChoice = DistributiveOmit<ImageEdit, 'sourceWidth' | 'sourceHeight'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface QuoteEditInput {
  readonly member: QuotingMember;
  readonly jobId: string;
  /** Which image of the job (1-based). */
  readonly image: number;
  readonly choice: EditChoice;
  /** A new prompt for what is painted; blank keeps the job's. */
  readonly prompt?: string | undefined;
}

export type QuoteEditError =
  | OwnedJobError
  | { readonly code: 'no_such_image'; readonly image: number }
  /** The edit cannot be made on this image (a zoom whose canvas would be too large…): the member's words. */
  | { readonly code: 'edit_not_possible'; readonly message: string }
  | QuoteGenerationError;

export interface QuoteEditDeps extends QuoteGenerationDeps {
  readonly jobs: JobStore;
  readonly jobMessages: Pick<JobMessages, 'imageLocation'>;
}

export interface QuotedEdit {
  readonly quoted: QuotedGeneration;
  readonly job: JobRecord;
  readonly edit: ImageEdit;
}

/** The size of a job's images to the member's eye and the model's: the job's own size, whatever its delivery was re-encoded to. */
const editedImageSize = (job: JobRecord) => ({ sourceWidth: job.request.width, sourceHeight: job.request.height });

export async function quoteEdit(deps: QuoteEditDeps, input: QuoteEditInput): Promise<Result<QuotedEdit, QuoteEditError>> {
  const owned = await findOwnedJob(deps.jobs, input.jobId, input.member.userId);
  if (!owned.ok) return owned;
  const job = owned.value;
  const source = deliveredImage(deps.jobMessages, job, input.image);
  if (source === null) return err({ code: 'no_such_image', image: input.image });
  const parsed = imageEditSchema.safeParse({ ...input.choice, ...editedImageSize(job) });
  if (!parsed.success) return err({ code: 'edit_not_possible', message: 'That edit cannot be made on this image.' });
  const edit = parsed.data;
  const plan = planEdit(edit);
  if (!plan.ok) return err({ code: 'edit_not_possible', message: planProblemText(plan.error) });
  const prompt = input.prompt?.trim() ? input.prompt.trim() : job.request.prompt;
  const quoted = await quoteGeneration(deps, {
    member: input.member,
    request: {
      prompt,
      operation: plan.value.operation,
      // The job's model when it can edit; else the card's first model that can, at this tier.
      preferredModel: job.request.model,
      count: 1,
      ...(job.request.negativePrompt ? { negativePrompt: job.request.negativePrompt } : {}),
      sourceImage: source,
      edit: { edit, plan: plan.value },
    },
  });
  return quoted.ok ? { ok: true, value: { quoted: quoted.value, job, edit } } : quoted;
}
