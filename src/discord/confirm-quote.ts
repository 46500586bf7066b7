// The one way a quote becomes a job from Discord: the Generate button and auto-confirm both come
// here, so both hold credits through the same idempotent confirm_quote, both give the member the
// same answer (with their low-balance warning), and both post the public job message before the
// job is queued, as a follow-up of the interaction that confirmed it (src/discord/job-message-sender.ts).
import type { Interaction } from 'discord.js';
import { queuePriorityRank } from '../domain/jobs/job-request.js';
import type { MemberSettings } from '../domain/settings/member-settings.js';
import type { Result } from '../domain/result.js';
import { findTier } from '../domain/tiers.js';
import { confirmGeneration } from '../use-cases/confirm-generation.js';
import { lowBalanceWarning } from '../use-cases/low-balance-warning.js';
import type { ConfirmedJob, ConfirmRejection } from '../use-cases/ports/job-credits.js';
import type { InteractionWebhook } from '../use-cases/ports/job-store.js';
import type { BotDeps } from './bot-deps.js';
import { postJobMessage } from './post-job-message.js';
import { queuePlace } from './render/job-message.js';
import { errorMessage } from '../shared/error-message.js';

export interface ConfirmedForMember extends ConfirmedJob {
  /** Where the job stands: "queued, next up" or "queued, position N (N jobs ahead)". */
  readonly where: string;
  /** Credits left when under the member's low-balance threshold; null otherwise. */
  readonly lowBalance: number | null;
}

/** Discord's interaction tokens last 15 minutes from the interaction. */
const interactionTokenLifeMs = 15 * 60_000;

/** The interaction's webhook, valid until 15 minutes after Discord created the interaction. */
export const webhookOf = (interaction: Pick<Interaction, 'applicationId' | 'token' | 'createdTimestamp'>): InteractionWebhook => ({
  applicationId: interaction.applicationId, token: interaction.token, expiresAt: new Date(interaction.createdTimestamp + interactionTokenLifeMs),
});

export interface ConfirmQuoteInput {
  readonly quoteId: string;
  readonly userId: string;
  readonly guildId: string;
  readonly settings: MemberSettings;
  readonly tierName?: string | undefined;
  /** The interaction confirming it: the job message is its follow-up. */
  readonly interaction: Pick<Interaction, 'applicationId' | 'token' | 'createdTimestamp'>;
  /**
   * Tells the member it is confirmed (edits the interaction's answer). It runs before the job
   * message is posted: on a deferred reply, Discord turns the first follow-up into the answer
   * itself, so the answer must be written first.
   */
  readonly answer: (confirmed: ConfirmedForMember) => Promise<unknown>;
}

/** Confirms the quote and answers the member; a rejection is returned for the caller to explain. */
export async function confirmQuoteFor(deps: BotDeps, input: ConfirmQuoteInput): Promise<Result<ConfirmedForMember, ConfirmRejection>> {
  const tierName = input.tierName ?? (await deps.jobs.quoteTier(input.quoteId));
  const tier = tierName ? findTier(deps.card, tierName) : undefined;
  const confirmedForMember = async (confirmed: ConfirmedJob, ahead: number | null): Promise<ConfirmedForMember> => {
    const lowBalance = await lowBalanceWarning({ ledger: deps.ledger, settings: input.settings, userId: input.userId, guildId: input.guildId });
    return { ...confirmed, where: ahead === null ? 'queued' : queuePlace(ahead), lowBalance };
  };
  let answered: Promise<ConfirmedForMember> | null = null;
  const confirmed = await confirmGeneration({
    jobs: deps.jobs, credits: deps.jobCredits, queue: deps.queue, quoteId: input.quoteId, userId: input.userId,
    priority: queuePriorityRank[tier?.queuePriority ?? 'standard'],
    deadlineAt: new Date(deps.now().getTime() + (deps.jobDeadlineMs ?? 45 * 60_000)),
    interaction: webhookOf(input.interaction),
    // Before the job is queued, so no worker can start before its message exists.
    beforeEnqueue: async (job) => {
      deps.onCreditsHeld?.({ jobId: job.jobId, price: job.price });
      const ahead = await deps.jobs.queuedAhead(job.jobId).catch(() => null);
      answered = confirmedForMember(job, ahead).then(async (value) => {
        await input.answer(value);
        return value;
      });
      await answered.catch(() => undefined);
      await postJobMessage(deps.jobMessages, deps.jobs, job.jobId, ahead)
        .catch((error: unknown) => deps.log.warn({ jobId: job.jobId, err: errorMessage(error) }, 'posting the job message failed; the worker will post it'));
    },
    onEnqueueError: (error) => deps.log.warn({ quoteId: input.quoteId, err: errorMessage(error) }, 'enqueue failed; the reconciler will queue the job'),
  });
  if (!confirmed.ok) return confirmed;
  if (answered !== null) return { ok: true, value: await answered };
  // A replay (a double click): nothing new was held or posted; say where the job is.
  deps.onCreditsHeld?.({ jobId: confirmed.value.jobId, price: confirmed.value.price });
  const value = await confirmedForMember(confirmed.value, await deps.jobs.queuedAhead(confirmed.value.jobId).catch(() => null));
  await input.answer(value);
  return { ok: true, value };
}
