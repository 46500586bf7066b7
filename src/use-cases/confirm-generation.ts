import type { Result } from '../domain/result.js';
import type { SpendingCaps } from '../domain/spending/server-caps.js';
import type { GenerationQueue } from './ports/generation-queue.js';
import type { ConfirmedJob, ConfirmRejection, JobCredits } from './ports/job-credits.js';
import type { InteractionWebhook, JobStore } from './ports/job-store.js';

export interface ConfirmGenerationOptions {
  readonly jobs: JobStore;
  readonly credits: JobCredits;
  readonly queue: GenerationQueue;
  readonly quoteId: string;
  /** Who clicked Generate: only the quote's owner may confirm it. */
  readonly userId: string;
  readonly priority: number;
  /** After this the reconciler ends the job and refunds it. */
  readonly deadlineAt: Date;
  /** The confirming interaction's webhook: the job message is written through it while it lives. */
  readonly interaction?: InteractionWebhook;
  /** The server's caps for this member; the member's own are read at confirm. @defaultValue none */
  readonly serverCaps?: SpendingCaps | undefined;
  readonly onEnqueueError?: (error: unknown) => void;
  /**
   * Runs once per newly confirmed job, before it is queued (so no worker can race it): the bot
   * posts the public job message here. Its failure never stops the job (a worker posts one then).
   */
  readonly beforeEnqueue?: (confirmed: ConfirmedJob) => Promise<void>;
}

/**
 * Confirms a quote (one transaction: consume it, hold the price, create the job), then puts the
 * job on the queue under its own id. If the queue is unreachable the job is still committed: the
 * reconciler enqueues it later, so a confirmed job is never lost.
 */
export async function confirmGeneration(options: ConfirmGenerationOptions): Promise<Result<ConfirmedJob, ConfirmRejection>> {
  const confirmed = await options.credits.confirmQuote({
    quoteId: options.quoteId,
    userId: options.userId,
    priority: options.priority,
    deadlineAt: options.deadlineAt,
    ...(options.interaction ? { interaction: options.interaction } : {}),
    ...(options.serverCaps ? { serverCaps: options.serverCaps } : {}),
  });
  if (!confirmed.ok) return confirmed;
  if (!confirmed.value.replayed) await options.beforeEnqueue?.(confirmed.value).catch(() => undefined);
  try {
    // A replay (double click) enqueues again harmlessly: the queue dedupes by job id.
    await options.queue.enqueue(confirmed.value.jobId, options.priority);
    await options.jobs.markEnqueued(confirmed.value.jobId);
  } catch (error) {
    options.onEnqueueError?.(error);
  }
  return confirmed;
}
