import { type ButtonInteraction } from 'discord.js';
import { attachmentLinkExpiry, expiredSourceText } from '../../domain/jobs/source-attachment.js';
import type { Operation } from '../../domain/pricing/card-terms.js';
import type { JobRecord } from '../../use-cases/ports/job-store.js';
import { quoteGeneration } from '../../use-cases/quote-generation.js';
import { memberRoleIds, type BotDeps } from '../bot-deps.js';
import { imageLocation } from '../render/job-message.js';
import { channelFacts } from '../channel-facts.js';
import { renderQuote, renderQuoteError } from '../render/quote-reply.js';

export type JobButtonAction = 'reroll' | 'keep' | 'upscale' | 'variation';
export const jobButtonActions: readonly JobButtonAction[] = ['reroll', 'keep', 'upscale', 'variation'];

const verb: Record<Exclude<JobButtonAction, 'keep'>, string> = { reroll: 're-roll this', upscale: 'upscale this', variation: 'make variations of this' };
const delivered = (job: JobRecord) => job.status === 'succeeded' || job.status === 'partial';

/**
 * Buttons under a delivered result. Anyone who sees the message can click; only the job's owner
 * may act. Re-roll, upscale #k and variations #k are each a new quoted job: nothing runs (and
 * nothing is held) until the owner presses Generate on the quote.
 */
export async function handleJobButton(interaction: ButtonInteraction, action: JobButtonAction, jobId: string, image: number | undefined, deps: BotDeps): Promise<void> {
  if (!interaction.inGuild()) return;
  if (action === 'keep') {
    const kept = await deps.jobs.markKept(jobId, interaction.user.id);
    const content = kept === 'kept' ? 'Kept ⭐ — it counts towards your cost per kept image in /usage.'
      : kept === 'not_owner' ? 'Only the person who made this image can keep it.'
        : 'That image cannot be kept (it was not delivered, or no longer exists).';
    await interaction.editReply({ content });
    return;
  }
  const job = await deps.jobs.get(jobId);
  if (job === null) {
    await interaction.editReply({ content: 'That job no longer exists. Run /imagine for a new image.' });
    return;
  }
  if (job.userId !== interaction.user.id) {
    await interaction.editReply({ content: `Only <@${job.userId}> can ${verb[action]} — run /imagine for your own.`, allowedMentions: { parse: [] } });
    return;
  }
  const { request } = job;
  let operation: Operation = request.operation;
  let source: { sourceImage?: JobRecord['request']['sourceImage']; sourceImageUrl?: string } = {
    ...(request.sourceImage ? { sourceImage: request.sourceImage } : {}),
    ...(request.sourceImageUrl ? { sourceImageUrl: request.sourceImageUrl } : {}),
  };
  // An uploaded picture's link expires (about a day): say so now rather than quote, charge, fail
  // and refund. Upscales and variations fetch the delivered image afresh, so they never hit this.
  const linkExpiry = action === 'reroll' && request.sourceImageUrl ? attachmentLinkExpiry(request.sourceImageUrl) : null;
  if (linkExpiry !== null && linkExpiry.getTime() <= deps.now().getTime()) {
    await interaction.editReply({ content: expiredSourceText });
    return;
  }
  if (action === 'upscale' || action === 'variation') {
    const location = image === undefined ? null : imageLocation(job.imagesDelivered, image);
    if (!delivered(job) || job.messageId === null || location === null) {
      await interaction.editReply({ content: `There is no image #${image ?? '?'} on this job to work from.` });
      return;
    }
    operation = action;
    source = { sourceImage: { channelId: job.channelId, messageId: job.messageId, ...location } };
  }
  const quoted = await quoteGeneration({
    ledger: deps.ledger, jobs: deps.jobs, card: deps.card, now: deps.now(), randomSeed: deps.randomSeed,
    member: { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId, roleIds: memberRoleIds(interaction.member), ...channelFacts(interaction) },
    roleTiers: await deps.guildSettings.roleTiers(interaction.guildId),
    guildConfig: await deps.guildSettings.config(interaction.guildId), operatorBannedWords: deps.operatorBannedWords ?? [],
    request: {
      // Re-roll keeps the model; upscale and variations pick one that can do them (the card says which).
      prompt: request.prompt, size: `${request.width}x${request.height}`, operation, ...source,
      ...(action === 'reroll' ? { model: request.model, steps: request.steps } : { preferredModel: request.model }),
      count: action === 'upscale' ? 1 : request.count,
      negativePrompt: request.negativePrompt,
    },
  });
  if (!quoted.ok) {
    await interaction.editReply(renderQuoteError(quoted.error));
    return;
  }
  const title = action === 'upscale' ? `Upscale image #${image}: ` : action === 'variation' ? `Variations of image #${image}: ` : '';
  await interaction.editReply(renderQuote(quoted.value, `${title}${request.prompt}`));
}
