// The buttons under a delivered result: re-roll, upscale #k and variations #k. Each is a new quote
// made from the job (its prompt, size and settings), through the same quote set-up as /imagine:
// nothing runs, and nothing is held, until the owner presses Generate on it.
import { planEdit } from '../domain/edits/edit-geometry.js';
import type { ImageEdit } from '../domain/edits/image-edit.js';
import { attachmentLinkExpiry } from '../domain/jobs/source-attachment.js';
import { err, type Result } from '../domain/result.js';
import { deliveredImage, findOwnedJob, type OwnedJobError } from './owned-job.js';
import type { JobMessages } from './ports/job-messages.js';
import type { JobRecord, JobStore } from './ports/job-store.js';
import {
  quoteGeneration,
  type MemberRequest,
  type PlannedEdit,
  type QuoteGenerationDeps,
  type QuoteGenerationError,
  type QuotedGeneration,
  type QuotingMember,
} from './quote-generation.js';

export type RequoteAction = 'reroll' | 'upscale' | 'variation';

export interface RequoteJobInput {
  readonly member: QuotingMember;
  readonly jobId: string;
  readonly action: RequoteAction;
  /** Upscale / variations: which image of the job (1-based). */
  readonly image?: number | undefined;
}

export type RequoteJobError =
  | OwnedJobError
  /** The uploaded picture a re-roll would start from: its link has expired. */
  | { readonly code: 'source_expired' }
  | { readonly code: 'no_such_image'; readonly image: number | undefined }
  | QuoteGenerationError;

export interface RequoteJobDeps extends QuoteGenerationDeps {
  readonly jobs: JobStore;
  readonly jobMessages: Pick<JobMessages, 'imageLocation'>;
}

/** A stored edit was planned when it was first quoted; its plan cannot have become impossible since. */
function replanned(edit: ImageEdit): PlannedEdit {
  const plan = planEdit(edit);
  if (!plan.ok) throw new Error(`a stored edit cannot be planned again: ${plan.error.code}`);
  return { edit, plan: plan.value };
}

/** What the new quote asks for, from the job and the button; an error when the button cannot work. */
function requestFor(deps: RequoteJobDeps, job: JobRecord, input: RequoteJobInput): Result<MemberRequest, RequoteJobError> {
  const { request } = job;
  const common = { prompt: request.prompt, size: `${request.width}x${request.height}`, negativePrompt: request.negativePrompt };
  if (input.action === 'reroll') {
    // An uploaded picture's link expires (about a day): say so now rather than quote, charge, fail
    // and refund. Upscales and variations fetch the delivered image afresh, so they never hit this.
    const linkExpiry = request.sourceImageUrl ? attachmentLinkExpiry(request.sourceImageUrl) : null;
    if (linkExpiry !== null && linkExpiry.getTime() <= deps.now().getTime()) return err({ code: 'source_expired' });
    return {
      ok: true,
      value: {
        ...common,
        operation: request.operation,
        // The job's lane (a tier that no longer offers it says so, and which tier does).
        ...(request.lane ? { lane: request.lane } : {}),
        model: request.model,
        steps: request.steps,
        count: request.count,
        ...(request.sourceImage ? { sourceImage: request.sourceImage } : {}),
        ...(request.sourceImageUrl ? { sourceImageUrl: request.sourceImageUrl } : {}),
        // A re-rolled edit is the same edit with a new seed, priced as it was.
        ...(request.edit ? { edit: replanned(request.edit) } : {}),
      },
    };
  }
  const source = input.image === undefined ? null : deliveredImage(deps.jobMessages, job, input.image);
  if (source === null) return err({ code: 'no_such_image', image: input.image });
  // Upscale and variations pick a model that can do them (the card says which), the job's if it can.
  return {
    ok: true,
    value: {
      ...common,
      operation: input.action,
      preferredModel: request.model,
      count: input.action === 'upscale' ? 1 : request.count,
      sourceImage: source,
    },
  };
}

/** A new quote from a delivered job, for its owner: a re-roll, or an upscale or variations of one image. */
export async function requoteJob(deps: RequoteJobDeps, input: RequoteJobInput): Promise<Result<{ quoted: QuotedGeneration; job: JobRecord }, RequoteJobError>> {
  const owned = await findOwnedJob(deps.jobs, input.jobId, input.member.userId);
  if (!owned.ok) return owned;
  const job = owned.value;
  const request = requestFor(deps, job, input);
  if (!request.ok) return request;
  const quoted = await quoteGeneration(deps, { member: input.member, request: request.value });
  return quoted.ok ? { ok: true, value: { quoted: quoted.value, job } } : quoted;
}
