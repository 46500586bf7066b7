// /admin refund job reason: a finished job's charged credits back to its owner, once per job
// (src/use-cases/refund-job.ts has the rules).
import { time, TimestampStyles, userMention } from 'discord.js';
import { assertNever } from '../../../domain/result.js';
import type { JobRefundOutcome } from '../../../use-cases/refund-job.js';
import type { HandlerContext } from '../../handler-context.js';
import { replyPrivately, type AdminInteraction } from './admin-reply.js';

function refundedText(jobId: string, value: JobRefundOutcome): string {
  switch (value.outcome) {
    case 'not_found':
      return `There is no job \`${jobId}\` in this server. (Job ids are on the result’s buttons and in /history.)`;
    case 'not_finished':
      return `Job \`${jobId}\` is still ${value.status}. If it fails it refunds itself; refund it once it has finished if you still need to.`;
    case 'nothing_charged':
      return `Job \`${jobId}\` charged nothing (a failed job is refunded automatically), so there is nothing to refund.`;
    case 'already_refunded':
      return `Job \`${jobId}\` was already refunded on ${time(value.refundedAt, TimestampStyles.LongDateTime)} (**${value.amount}** credits to ${userMention(value.userId)}); nothing more was granted.`;
    case 'over_daily_cap':
      return `Refunding job \`${jobId}\` (**${value.amount}** credits) would pass the daily cap: server admins may give ${userMention(value.userId)} at most **${value.cap}** credits a day, gifts and refunds together, and **${value.givenToday}** were given today. Nothing changed.`;
    case 'refunded':
      return `Refunded **${value.amount}** credits to ${userMention(value.userId)} for job \`${jobId}\`, as gifted credits that never expire.`;
    default:
      return assertNever(value);
  }
}

export async function handleAdminRefund(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  const jobId = interaction.options.getString('job', true).trim();
  const refunded = await ctx.useCases.refundJob({
    jobId,
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    reason: interaction.options.getString('reason', true),
  });
  if (!refunded.ok) {
    if (refunded.error.code === 'not_allowed') {
      await replyPrivately(
        interaction,
        'A refund gives new credits (the job’s charge stays paid to the image service), and giving credits is reserved to the bot’s operators here: they have not allowed server admins to. Nothing changed.',
      );
      return;
    }
    ctx.log.warn({ error: refunded.error, jobId }, 'admin refund refused by the ledger');
    await replyPrivately(interaction, `The ledger refused that refund (${refunded.error.code}). Nothing changed.`);
    return;
  }
  await replyPrivately(interaction, refundedText(jobId, refunded.value));
}
