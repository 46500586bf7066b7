import { sizeOrAspect } from './size-or-aspect.js';
import { type ChatInputCommandInteraction } from 'discord.js';
import { sourceAttachmentProblem } from '../../domain/jobs/source-attachment.js';
import { quotingMemberOf } from '../channel-facts.js';
import { confirmationBy } from '../confirmation.js';
import type { HandlerContext } from '../handler-context.js';
import { answerConfirmation, replyWithRequest } from '../reply-with-request.js';

/**
 * `/imagine`: reply (ephemeral) with the exact price, its breakdown and Generate / Cancel — or
 * confirm at once when the price is within the member's auto-confirm threshold (/settings).
 */
export async function handleImagine(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const prompt = interaction.options.getString('prompt', true).trim();
  // An uploaded image makes it img2img, priced with the card's img2img factor.
  const image = interaction.options.getAttachment('image');
  const problem = image ? sourceAttachmentProblem(image) : null;
  if (problem !== null) {
    await interaction.editReply({ content: `${problem} Nothing was charged.` });
    return;
  }
  const sized = sizeOrAspect(interaction);
  if ('problem' in sized) {
    await interaction.editReply({ content: sized.problem });
    return;
  }
  const requested = await ctx.useCases.requestGeneration({
    member: quotingMemberOf(interaction),
    request: {
      prompt,
      model: interaction.options.getString('model') ?? undefined,
      size: sized.size,
      steps: interaction.options.getInteger('steps') ?? undefined,
      count: interaction.options.getInteger('count') ?? undefined,
      seed: interaction.options.getInteger('seed') ?? undefined,
      negativePrompt: interaction.options.getString('negative') ?? undefined,
      lane: interaction.options.getString('lane') ?? undefined,
      ...(image ? { operation: 'img2img' as const, sourceImageUrl: image.url } : {}),
    },
    confirmation: confirmationBy(interaction, ctx, answerConfirmation(interaction)),
  });
  await replyWithRequest(interaction, requested, prompt);
}
