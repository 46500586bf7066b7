// The buttons under a delivered result. Anyone who sees the message can click; only the job's
// owner may act. Keep ⭐ marks it kept; re-roll, upscale #k and variations #k are each a new quoted
// job: nothing runs (and nothing is held) until the owner presses Generate on the quote.
import { type ButtonInteraction } from 'discord.js';
import { expiredSourceText } from '../../domain/jobs/source-attachment.js';
import type { RequoteAction, RequoteJobError } from '../../use-cases/requote-job.js';
import { quotingMemberOf } from '../channel-facts.js';
import type { HandlerContext } from '../handler-context.js';
import { renderQuote, renderQuoteError } from '../render/quote-reply.js';

export type JobButtonAction = 'keep' | RequoteAction;
export const jobButtonActions: readonly JobButtonAction[] = ['reroll', 'keep', 'upscale', 'variation'];

type GuildButton = ButtonInteraction<'cached' | 'raw'>;

const keptText = {
  kept: 'Kept ⭐ — it counts towards your cost per kept image in /usage.',
  not_owner: 'Only the person who made this image can keep it.',
  not_delivered: 'That image cannot be kept (it was not delivered, or no longer exists).',
  not_found: 'That image cannot be kept (it was not delivered, or no longer exists).',
} as const;

async function keep(interaction: GuildButton, jobId: string, ctx: HandlerContext): Promise<void> {
  const kept = await ctx.useCases.keepJob({ jobId, userId: interaction.user.id });
  await interaction.editReply({ content: keptText[kept] });
}

const verb: Record<RequoteAction, string> = { reroll: 're-roll this', upscale: 'upscale this', variation: 'make variations of this' };

function requoteErrorReply(error: RequoteJobError, action: RequoteAction) {
  switch (error.code) {
    case 'job_not_found':
      return { content: 'That job no longer exists. Run /imagine for a new image.' };
    case 'not_job_owner':
      return { content: `Only <@${error.ownerId}> can ${verb[action]} — run /imagine for your own.`, allowedMentions: { parse: [] } };
    case 'source_expired':
      return { content: expiredSourceText };
    case 'no_such_image':
      return { content: `There is no image #${error.image ?? '?'} on this job to work from.` };
    default:
      return renderQuoteError(error);
  }
}

async function requote(interaction: GuildButton, action: RequoteAction, jobId: string, image: number | undefined, ctx: HandlerContext): Promise<void> {
  const requoted = await ctx.useCases.requoteJob({ member: quotingMemberOf(interaction), jobId, action, image });
  if (!requoted.ok) {
    await interaction.editReply(requoteErrorReply(requoted.error, action));
    return;
  }
  const title = action === 'upscale' ? `Upscale image #${image}: ` : action === 'variation' ? `Variations of image #${image}: ` : '';
  await interaction.editReply(renderQuote(requoted.value.quoted, `${title}${requoted.value.job.request.prompt}`));
}

/** A click on a result's button (the router has deferred a private reply): keep, or a new quote. */
export async function handleJobButton(
  interaction: ButtonInteraction,
  action: JobButtonAction,
  jobId: string,
  image: number | undefined,
  ctx: HandlerContext,
): Promise<void> {
  if (!interaction.inGuild()) return;
  if (action === 'keep') return keep(interaction, jobId, ctx);
  return requote(interaction, action, jobId, image, ctx);
}
