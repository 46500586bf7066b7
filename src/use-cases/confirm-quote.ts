// The one way a member's quote becomes a job: the Generate button and auto-confirm both come here,
// so both hold credits through the same idempotent confirm, queue at their tier's priority with the
// same deadline, and post the public job message before the job is queued (so no worker can start
// before its message exists), after the member has been answered.
import { lanePriority, relaxUseWindowMs } from '../domain/lanes/queue-order.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { Result } from '../domain/result.js';
import { errorMessage } from '../shared/error-message.js';
import type { MemberSettings } from '../domain/settings/member-settings.js';
import { nextRefills } from '../domain/credits/refills.js';
import { guildFreeDailyCredits } from '../domain/guild-config.js';
import { findTier, noTier } from '../domain/tiers.js';
import { confirmGeneration } from './confirm-generation.js';
import { lowBalanceWarning } from './low-balance-warning.js';
import type { GenerationQueue } from './ports/generation-queue.js';
import type { JobMessages } from './ports/job-messages.js';
import type { ConfirmedJob, ConfirmRejection, JobCredits } from './ports/job-credits.js';
import type { InteractionWebhook, JobStore, QuoteQueueing } from './ports/job-store.js';
import type { Ledger } from './ports/ledger.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';
import type { MemberSettingsStore } from './ports/member-settings.js';
import type { WorkLog } from './ports/work-log.js';
import type { SpendingLimits } from './ports/spending-limits.js';
import { serverCapsFor } from '../domain/spending/server-caps.js';

export type { ConfirmedJob, ConfirmRejection, InteractionWebhook };

/** How long a confirmed job may take before it is ended and refunded. */
export const defaultJobDeadlineMs = 45 * 60_000;

export interface ConfirmQuoteDeps {
  readonly jobs: JobStore;
  /** Confirming holds the quote's price here (the ledger's). */
  readonly jobCredits: JobCredits;
  readonly queue: GenerationQueue;
  readonly ledger: Ledger;
  readonly memberSettings: MemberSettingsStore;
  /** The server's free daily credits, for an out-of-credits answer to say when more come. */
  readonly guildSettings: Pick<GuildSettingsStore, 'config'>;
  readonly jobMessages: JobMessages;
  /** The server's caps for members and roles, combined here for the confirming member. */
  readonly spendingLimits: Pick<SpendingLimits, 'serverCapRules'>;
  readonly card: PriceCard;
  readonly now: () => Date;
  /** A confirmed job not finished by then is ended and refunded. @defaultValue 45 minutes */
  readonly jobDeadlineMs?: number | undefined;
}

/** How a confirmation reaches the member who confirmed. */
export interface Confirmation {
  /** The confirming interaction's webhook: the job message is written through it while it lives. */
  readonly interaction: InteractionWebhook;
  /** Told first, once credits are held for the job: anything going wrong after must not say "nothing was charged". */
  readonly onHeld?: (job: ConfirmedJob) => void;
  /**
   * Tells the member it is confirmed. It runs before the job message is posted: on a deferred
   * reply, Discord turns the first follow-up into the answer itself, so the answer must be written first.
   */
  readonly answer: (confirmed: ConfirmedForMember) => Promise<unknown>;
  /** The interaction's log, for what went wrong after the hold. */
  readonly log: WorkLog;
  /** The confirming member's roles in the server: the server's role caps apply by them. */
  readonly roleIds: readonly string[];
}

export interface ConfirmQuoteInput extends Confirmation {
  readonly quoteId: string;
  /** Who confirms: only the quote's owner may. */
  readonly userId: string;
  readonly guildId: string;
  /** The tier and lane the quote was priced at, when the caller knows them. @defaultValue the quote's, as stored */
  readonly queueing?: QuoteQueueing | undefined;
  /** The member's /settings, when the caller has them. @defaultValue read */
  readonly settings?: MemberSettings | undefined;
  /** Set when auto-confirm confirms it: the member's threshold, which the answer names. */
  readonly autoConfirmedAtMost?: number | undefined;
}

export interface ConfirmedForMember extends ConfirmedJob {
  /** Jobs queued ahead of it; null when that could not be read. */
  readonly ahead: number | null;
  /** Credits left when under the member's low-balance threshold; null otherwise. */
  readonly lowBalance: number | null;
  /** The member's auto-confirm threshold when auto-confirm confirmed it. */
  readonly autoConfirmedAtMost?: number | undefined;
}

/**
 * Confirms the quote (its price held in the same transaction that creates the job) at its place
 * in the queue — its lane, then the tier it was priced at (Relax: the member's recent Relax use) —
 * answers the member, posts the job message, then queues the job. A double click holds nothing
 * more and answers where the job is. A rejection (not the owner, expired, short of credits, a cap,
 * the server's budget, a second Relax job…) is returned for the caller to explain.
 */
export async function confirmQuote(deps: ConfirmQuoteDeps, input: ConfirmQuoteInput): Promise<Result<ConfirmedForMember, ConfirmRejection>> {
  const [queueing, settings, capRules] = await Promise.all([
    input.queueing ?? deps.jobs.quoteQueueing(input.quoteId),
    input.settings ?? deps.memberSettings.get(input.userId, input.guildId),
    deps.spendingLimits.serverCapRules(input.guildId),
  ]);
  const tier = queueing ? findTier(deps.card, queueing.tierName) : undefined;
  const lane = queueing?.lane ?? 'fast';
  // Relax waits by recent use; read only for Relax, and only finished work counts.
  const recentRelax = lane === 'relax' ? await deps.jobs.recentRelaxImages(input.userId, new Date(deps.now().getTime() - relaxUseWindowMs)).catch(() => 0) : 0;
  const forMember = async (job: ConfirmedJob, ahead: number | null): Promise<ConfirmedForMember> => ({
    ...job,
    ahead,
    lowBalance: await lowBalanceWarning({ ledger: deps.ledger, settings, userId: input.userId, guildId: input.guildId }),
    ...(input.autoConfirmedAtMost === undefined ? {} : { autoConfirmedAtMost: input.autoConfirmedAtMost }),
  });
  const queuedAhead = (jobId: string) => deps.jobs.queuedAhead(jobId).catch(() => null);
  let answered: Promise<ConfirmedForMember> | null = null;
  const confirmed = await confirmGeneration({
    jobs: deps.jobs,
    credits: deps.jobCredits,
    queue: deps.queue,
    quoteId: input.quoteId,
    userId: input.userId,
    priority: lanePriority(lane, tier?.queuePriority ?? 'standard', recentRelax),
    deadlineAt: new Date(deps.now().getTime() + (deps.jobDeadlineMs ?? defaultJobDeadlineMs)),
    interaction: input.interaction,
    serverCaps: serverCapsFor(capRules, { userId: input.userId, guildId: input.guildId, roleIds: input.roleIds }),
    beforeEnqueue: async (job) => {
      input.onHeld?.(job);
      const ahead = await queuedAhead(job.jobId);
      answered = forMember(job, ahead).then(async (value) => {
        await input.answer(value);
        return value;
      });
      await answered.catch(() => undefined);
      await postQueuedMessage(deps, job.jobId, ahead).catch((error: unknown) =>
        input.log.warn({ jobId: job.jobId, err: errorMessage(error) }, 'posting the job message failed; the worker will post it'),
      );
    },
    onEnqueueError: (error) => input.log.warn({ quoteId: input.quoteId, err: errorMessage(error) }, 'enqueue failed; the reconciler will queue the job'),
  });
  if (!confirmed.ok) {
    if (confirmed.error.code !== 'insufficient_credits') return confirmed;
    // Short of credits: say when more come without paying, and which tier gives more.
    const free = guildFreeDailyCredits(await deps.guildSettings.config(input.guildId), deps.card);
    return { ok: false, error: { ...confirmed.error, refills: nextRefills(deps.card, tier ?? noTier(deps.card), free, deps.now()) } };
  }
  if (answered !== null) return { ok: true, value: await answered };
  // A replay (a double click): nothing new was held or posted; say where the job is.
  input.onHeld?.(confirmed.value);
  const value = await forMember(confirmed.value, await queuedAhead(confirmed.value.jobId));
  await input.answer(value);
  return { ok: true, value };
}

/** Posts the job's message showing its place (unless it has one already) and records the place shown. */
async function postQueuedMessage(deps: Pick<ConfirmQuoteDeps, 'jobs' | 'jobMessages'>, jobId: string, ahead: number | null): Promise<void> {
  const job = await deps.jobs.get(jobId);
  if (job === null || job.messageId !== null) return;
  const place = ahead ?? (await deps.jobs.queuedAhead(jobId));
  await deps.jobMessages.postQueued(job, place);
  // The place it shows, so the queue-place refresher edits it only once the queue has moved.
  await deps.jobs.recordQueuePlace(jobId, place);
}
