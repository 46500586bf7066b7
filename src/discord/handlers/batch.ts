import { sizeOrAspect } from './size-or-aspect.js';
import { type ChatInputCommandInteraction } from 'discord.js';
import { batchSummary, parseBatchPrompts, type BatchPromptsProblem } from '../../domain/jobs/batch-prompts.js';
import { quotingMemberOf } from '../channel-facts.js';
import { confirmationBy } from '../confirmation.js';
import type { HandlerContext } from '../handler-context.js';
import { answerConfirmation, replyWithRequest } from '../reply-with-request.js';

const problemText = (problem: BatchPromptsProblem): string => {
  switch (problem.code) {
    case 'too-few':
      return `A batch needs at least two prompts separated by | (you gave ${problem.count}). For one prompt use /imagine (its count option makes several images of it).`;
    case 'too-many':
      return `A batch may have at most ${problem.max} prompts (you gave ${problem.count}); your tier’s limit may be lower (see /pricing).`;
    case 'too-long':
      return `Prompt ${problem.index + 1} is ${problem.length} characters long; each prompt may have at most ${problem.max}.`;
  }
};

/**
 * `/batch prompts [model] [size|aspect] [steps] [seed] [negative] [lane]`: one image per prompt, same settings,
 * one quote at the batch discount for that many images, delivered together as one job.
 */
export async function handleBatch(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const parsed = parseBatchPrompts(interaction.options.getString('prompts', true));
  if (!parsed.ok) {
    await interaction.editReply({ content: problemText(parsed.error) });
    return;
  }
  const prompts = parsed.value;
  const sized = sizeOrAspect(interaction);
  if ('problem' in sized) {
    await interaction.editReply({ content: sized.problem });
    return;
  }
  const requested = await ctx.useCases.requestGeneration({
    member: quotingMemberOf(interaction),
    request: {
      prompt: batchSummary(prompts),
      prompts,
      model: interaction.options.getString('model') ?? undefined,
      size: sized.size,
      steps: interaction.options.getInteger('steps') ?? undefined,
      seed: interaction.options.getInteger('seed') ?? undefined,
      negativePrompt: interaction.options.getString('negative') ?? undefined,
      lane: interaction.options.getString('lane') ?? undefined,
    },
    confirmation: confirmationBy(interaction, ctx, answerConfirmation(interaction)),
  });
  await replyWithRequest(interaction, requested, prompts.map((prompt, i) => `${i + 1}. ${prompt}`).join('\n> '));
}
