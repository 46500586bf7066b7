import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { queuePriorityRank } from '../../domain/jobs/job-request.js';
import { findTier } from '../../domain/tiers.js';
import { confirmGeneration } from '../../use-cases/confirm-generation.js';
import type { ConfirmRejection } from '../../use-cases/ports/job-store.js';
import type { BotDeps } from '../bot-deps.js';
import { postJobMessage } from '../post-job-message.js';

const rejectionText = (rejection: ConfirmRejection): string => {
  switch (rejection.code) {
    case 'not_quote_owner':
      return 'This is not your quote — run /imagine to get your own price.';
    case 'quote_expired':
      return 'This quote has expired. Run /imagine again for a fresh price.';
    case 'quote_cancelled':
      return 'This quote was cancelled; nothing was charged.';
    case 'quote_not_found':
      return 'That quote no longer exists. Run /imagine again.';
    case 'insufficient_credits':
      return `This needs **${rejection.needed}** credits and you have **${rejection.available}**. ` +
        'Try a smaller size, fewer images or a faster model — or see /topup.';
  }
};

/** Generate / Cancel on a quote. Only its owner can act; a double click charges once. */
export async function handleQuoteButton(interaction: ButtonInteraction, action: 'generate' | 'cancel', quoteId: string, deps: BotDeps): Promise<void> {
  if (action === 'cancel') {
    const cancelled = await deps.jobs.cancelQuote(quoteId, interaction.user.id);
    if (cancelled) await interaction.update({ content: 'Cancelled — nothing was charged.', embeds: [], components: [] });
    else await interaction.reply({ content: 'Only the person who asked for this quote can cancel it, and only before it is used.', flags: MessageFlags.Ephemeral });
    return;
  }
  const quoteTier = await deps.jobs.quoteTier(quoteId);
  const tier = quoteTier ? findTier(deps.card, quoteTier) : undefined;
  const confirmed = await confirmGeneration({
    jobs: deps.jobs, queue: deps.queue, quoteId, userId: interaction.user.id,
    priority: queuePriorityRank[tier?.queuePriority ?? 'standard'],
    deadlineAt: new Date(deps.now().getTime() + (deps.jobDeadlineMs ?? 45 * 60_000)),
    beforeEnqueue: ({ jobId }) => postJobMessage(interaction.client.rest, deps.jobs, jobId)
      .catch((error: unknown) => deps.log.warn({ jobId, err: error instanceof Error ? error.message : String(error) }, 'posting the job message failed; the worker will post it')),
    onEnqueueError: (error) => deps.log.warn({ quoteId, err: error instanceof Error ? error.message : String(error) }, 'enqueue failed; the reconciler will queue the job'),
  });
  if (!confirmed.ok) {
    const content = rejectionText(confirmed.error);
    // The owner's own quote message shows why; anyone else gets a private note and nothing changes.
    if (confirmed.error.code === 'not_quote_owner') await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    // Short of credits, the buttons stay: after a /topup the same quote can still go through.
    else if (confirmed.error.code === 'insufficient_credits') await interaction.update({ content });
    else await interaction.update({ content, embeds: [], components: [] });
    return;
  }
  await interaction.update({
    content: `${confirmed.value.replayed ? 'Already confirmed' : 'Confirmed'}: ${confirmed.value.price} credits held. Follow your job in this channel: its message shows the queue, the progress and then the images.`,
    embeds: [], components: [],
  });
}
