// The one way a quote becomes a job from Discord: the Generate button and auto-confirm both
// come here, so both hold credits through the same idempotent confirm_quote and both get the
// member's low-balance warning, and both post the public job message before the job is queued.
import type { REST } from 'discord.js';
import { queuePriorityRank } from '../domain/jobs/job-request.js';
import type { MemberSettings } from '../domain/settings/member-settings.js';
import type { Result } from '../domain/result.js';
import { findTier } from '../domain/tiers.js';
import { confirmGeneration } from '../use-cases/confirm-generation.js';
import { lowBalanceWarning } from '../use-cases/low-balance-warning.js';
import type { ConfirmedJob, ConfirmRejection } from '../use-cases/ports/job-store.js';
import type { BotDeps } from './bot-deps.js';
import { postJobMessage } from './post-job-message.js';
import { queuePlace } from './render/job-message.js';

export interface ConfirmedForMember extends ConfirmedJob {
  /** Where the job stands: "queued, next up" or "queued, position N (N jobs ahead)". */
  readonly where: string;
  /** Credits left when under the member's low-balance threshold; null otherwise. */
  readonly lowBalance: number | null;
}

export async function confirmQuoteFor(
  deps: BotDeps,
  rest: REST,
  input: { readonly quoteId: string; readonly userId: string; readonly guildId: string; readonly settings: MemberSettings; readonly tierName?: string | undefined },
): Promise<Result<ConfirmedForMember, ConfirmRejection>> {
  const tierName = input.tierName ?? (await deps.jobs.quoteTier(input.quoteId));
  const tier = tierName ? findTier(deps.card, tierName) : undefined;
  // The job message counts the jobs ahead; the reply says the same without asking again.
  let aheadAsPosted: number | null = null;
  const confirmed = await confirmGeneration({
    jobs: deps.jobs, queue: deps.queue, quoteId: input.quoteId, userId: input.userId,
    priority: queuePriorityRank[tier?.queuePriority ?? 'standard'],
    deadlineAt: new Date(deps.now().getTime() + (deps.jobDeadlineMs ?? 45 * 60_000)),
    // Posted before the job is queued, so no worker can start before the message exists.
    beforeEnqueue: ({ jobId }) => postJobMessage(rest, deps.jobs, jobId)
      .then((ahead) => { aheadAsPosted = ahead; })
      .catch((error: unknown) => deps.log.warn({ jobId, err: error instanceof Error ? error.message : String(error) }, 'posting the job message failed; the worker will post it')),
    onEnqueueError: (error) => deps.log.warn({ quoteId: input.quoteId, err: error instanceof Error ? error.message : String(error) }, 'enqueue failed; the reconciler will queue the job'),
  });
  if (!confirmed.ok) return confirmed;
  const [ahead, lowBalance] = await Promise.all([
    aheadAsPosted ?? deps.jobs.queuedAhead(confirmed.value.jobId).catch(() => null),
    lowBalanceWarning({ ledger: deps.ledger, settings: input.settings, userId: input.userId, guildId: input.guildId }),
  ]);
  const where = ahead === null ? 'queued' : queuePlace(ahead);
  return { ok: true, value: { ...confirmed.value, where, lowBalance } };
}
