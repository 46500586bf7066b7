// /admin refund job reason: a finished job's charged credits back to its owner, once per job.
import { time, TimestampStyles, userMention } from 'discord.js';
import { assertNever } from '../../../domain/result.js';
import type { BotDeps } from '../../bot-deps.js';
import { replyPrivately, type AdminInteraction } from './admin-reply.js';

export async function handleAdminRefund(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  const jobId = interaction.options.getString('job', true).trim();
  const reason = interaction.options.getString('reason', true);
  const refunded = await deps.adminCredits.refundJob({ jobId, guildId: interaction.guildId, actorId: interaction.user.id, reason });
  if (!refunded.ok) {
    deps.log.warn({ error: refunded.error, jobId }, 'admin refund refused by the ledger');
    await replyPrivately(interaction, `The ledger refused that refund (${refunded.error.code}). Nothing changed.`);
    return;
  }
  const value = refunded.value;
  switch (value.outcome) {
    case 'not_found':
      await replyPrivately(interaction, `There is no job \`${jobId}\` in this server. (Job ids are on the result’s buttons and in /history.)`);
      return;
    case 'not_finished':
      await replyPrivately(interaction, `Job \`${jobId}\` is still ${value.status}. If it fails it refunds itself; refund it once it has finished if you still need to.`);
      return;
    case 'nothing_charged':
      await replyPrivately(interaction, `Job \`${jobId}\` charged nothing (a failed job is refunded automatically), so there is nothing to refund.`);
      return;
    case 'already_refunded':
      await replyPrivately(interaction, `Job \`${jobId}\` was already refunded on ${time(value.refundedAt, TimestampStyles.LongDateTime)} (**${value.amount}** credits to ${userMention(value.userId)}); nothing more was granted.`);
      return;
    case 'refunded':
      await deps.audit.record({
        guildId: interaction.guildId, actorId: interaction.user.id, action: 'job.refund', subject: jobId,
        details: { userId: value.userId, credits: value.amount }, reason,
      });
      await replyPrivately(interaction, `Refunded **${value.amount}** credits to ${userMention(value.userId)} for job \`${jobId}\`, as gifted credits that never expire.`);
      return;
    default:
      assertNever(value);
  }
}
