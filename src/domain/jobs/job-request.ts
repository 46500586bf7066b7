import { z } from 'zod';
import { OPERATIONS, type QueuePriority } from '../pricing/card-terms.js';

/** Longest prompt we accept (Discord's option limit is 6000; providers choke on more than this). */
export const maxPromptLength = 1500;

/** What a job renders, fixed when its quote was made. Validated when stored and when read back. */
export const jobRequestSchema = z.strictObject({
  model: z.string().min(1),
  providerModelId: z.string().min(1),
  operation: z.enum(OPERATIONS),
  prompt: z.string().trim().min(1).max(maxPromptLength),
  negativePrompt: z.string().max(maxPromptLength).optional(),
  width: z.int().min(64).max(4096),
  height: z.int().min(64).max(4096),
  steps: z.int().min(1).max(500),
  count: z.int().min(1).max(64),
  seed: z.int().min(0).max(2 ** 32 - 1),
  sourceImageUrl: z.url().optional(),
  // The guild's config as it stood when the job was quoted (src/domain/guild-config.ts):
  /** The provider's safety checker may be off: the guild allows it and the channel is age-restricted. */
  allowNsfw: z.literal(true).optional(),
  /** Results are posted as spoilers. */
  spoiler: z.literal(true).optional(),
  /** The guild's ceiling on this member's running jobs. */
  maxRunningJobsPerMember: z.int().min(1).optional(),
});
export type JobRequest = z.infer<typeof jobRequestSchema>;

/** BullMQ runs lower numbers first. */
export const queuePriorityRank: Readonly<Record<QueuePriority, number>> = { fastest: 1, priority: 5, standard: 10 };
