import type { GeneratedImage, GenerationProgress } from './image-provider.js';
import type { JobRecord } from './job-store.js';

/**
 * Where finished images and news about a job go: the Discord channel (the bot issue), or a
 * recording double in tests. Results go through the channel, not the interaction, because
 * interaction tokens expire after 15 minutes.
 */
export interface ImageDelivery {
  /**
   * Posts the images; resolves with how many reached the member (what is charged). `balance`: the
   * member's available credits just before, for the message to say what the balance is after.
   */
  deliver(job: JobRecord, images: readonly GeneratedImage[], balance?: { readonly available: number }): Promise<{ delivered: number }>;
  /** Tells the member their job ended without images and that the credits were refunded. */
  reportFailure(job: JobRecord, memberMessage: string, refunded: number): Promise<void>;
  reportProgress(job: JobRecord, progress: GenerationProgress): Promise<void>;
  /**
   * A current URL of the job's source image (upscale / variations of a delivered image), looked
   * up when the job runs because stored attachment URLs expire; null when the image is gone.
   */
  sourceImageUrl?(job: JobRecord): Promise<string | null>;
}
