import { z } from 'zod';
import { planEdit } from '../edits/edit-geometry.js';
import { imageEditSchema, type ImageEdit } from '../edits/image-edit.js';
import { LANES, OPERATIONS } from '../pricing/card-terms.js';

/** Longest prompt we accept (Discord's option limit is 6000; providers choke on more than this). */
export const maxPromptLength = 1500;

/** Most images one job makes (a /batch's prompts included); the price card's batch table is lower. */
export const maxImagesPerJob = 64;

/** What a job renders, fixed when its quote was made. Validated when stored and when read back. */
export const jobRequestSchema = z
  .strictObject({
    model: z.string().min(1),
    providerModelId: z.string().min(1),
    operation: z.enum(OPERATIONS),
    /** The speed lane it was quoted in (absent on jobs from before lanes: Fast). */
    lane: z.enum(LANES).optional(),
    prompt: z.string().trim().min(1).max(maxPromptLength),
    negativePrompt: z.string().max(maxPromptLength).optional(),
    width: z.int().min(64).max(4096),
    height: z.int().min(64).max(4096),
    steps: z.int().min(1).max(500),
    count: z.int().min(1).max(maxImagesPerJob),
    seed: z
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    sourceImageUrl: z.url().optional(),
    // The guild's config as it stood when the job was quoted (src/domain/guild-config.ts):
    /** The provider's safety checker may be off: the guild allows it and the channel is age-restricted. */
    allowNsfw: z.literal(true).optional(),
    /** Results are posted as spoilers. */
    spoiler: z.literal(true).optional(),
    /** The guild's ceiling on this member's running jobs. */
    maxRunningJobsPerMember: z.int().min(1).optional(),
    /**
     * Upscale / variations of a delivered image: where it is on Discord. Attachment URLs are signed
     * and expire, so the worker fetches the message again for a fresh URL when the job runs.
     */
    sourceImage: z
      .strictObject({
        channelId: z.string().min(1),
        messageId: z.string().min(1),
        attachmentIndex: z.int().min(0).max(9),
        /** The cell (0–3, row by row) when the attachment is a 2×2 grid of a batch of four. */
        gridCell: z.int().min(0).max(3).optional(),
      })
      .optional(),
    /**
     * Zoom Out, Pan or Vary (Region) of `sourceImage`: what the member asked for; the canvas and
     * mask follow from it (src/domain/edits/edit-geometry.ts). width × height is the canvas.
     */
    edit: imageEditSchema.optional(),
    /** A /batch: one prompt per image (image i renders prompts[i]); `prompt` then only summarises them. */
    prompts: z.array(z.string().trim().min(1).max(maxPromptLength)).min(2).max(maxImagesPerJob).optional(),
  })
  .refine((request) => request.prompts === undefined || request.prompts.length === request.count, {
    message: 'prompts must have one prompt per image (count)',
    path: ['prompts'],
  })
  .refine(editFitsRequest, { message: 'an edit must be the inpaint/outpaint of a source image, drawn at its plan’s canvas size', path: ['edit'] });
export type JobRequest = z.infer<typeof jobRequestSchema>;

/** An edit's operation, source and size are not free: they follow from the edit (src/domain/edits/). */
function editFitsRequest(request: {
  readonly edit?: ImageEdit | undefined;
  readonly operation: string;
  readonly width: number;
  readonly height: number;
  readonly sourceImage?: unknown;
  readonly sourceImageUrl?: string | undefined;
}): boolean {
  if (request.edit === undefined) return true;
  const plan = planEdit(request.edit);
  return (
    plan.ok &&
    plan.value.operation === request.operation &&
    plan.value.canvas.width === request.width &&
    plan.value.canvas.height === request.height &&
    (request.sourceImage !== undefined || request.sourceImageUrl !== undefined)
  );
}
