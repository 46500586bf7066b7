// /admin refund job reason: a finished job's charged credits back to its owner, once per job. It
// creates credits (the job's charge stays captured: the provider was paid), so it follows the
// operator's policy for gifts: owners uncapped, server admins only where allowed, within the cap.
import { time, TimestampStyles, userMention } from 'discord.js';
import { grantPermission } from '../../../domain/admin/grant-policy.js';
import { assertNever } from '../../../domain/result.js';
import type { BotDeps } from '../../bot-deps.js';
import { replyPrivately, type AdminInteraction } from './admin-reply.js';

export async function handleAdminRefund(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  const jobId = interaction.options.getString('job', true).trim();
  const reason = interaction.options.getString('reason', true);
  const permission = grantPermission(deps.grantPolicy, interaction.user.id);
  if (!permission.allowed) {
    await replyPrivately(interaction, 'A refund gives new credits (the job’s charge stays paid to the image service), and giving credits is reserved to the bot’s operators here: they have not allowed server admins to. Nothing changed.');
    return;
  }
  const refunded = await deps.adminCredits.refundJob({
    jobId, guildId: interaction.guildId, actorId: interaction.user.id, reason, dailyCap: permission.dailyCap, uncappedActorIds: deps.grantPolicy.ownerIds,
  });
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
    case 'over_daily_cap':
      await replyPrivately(interaction, `Refunding job \`${jobId}\` (**${value.amount}** credits) would pass the daily cap: server admins may give ${userMention(value.userId)} at most **${value.cap}** credits a day, gifts and refunds together, and **${value.givenToday}** were given today. Nothing changed.`);
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
