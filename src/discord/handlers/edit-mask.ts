// `/edit job mask [image] [prompt]`: Vary (Region) with a mask the member uploads. Everything
// about the mask is checked before the quote (a picture, the image's size, something white and
// not everything), so a bad mask gets a sentence and nothing is stored or held.
import type { ChatInputCommandInteraction } from 'discord.js';
import { maskCoverageProblem, maskProblem } from '../../domain/edits/edit-input.js';
import type { HandlerContext } from '../handler-context.js';
import { countMaskPixels } from '../images/mask-pixels.js';
import { editErrorReply, quoteEditReply } from './edit-image.js';

export async function handleEditMask(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const jobId = interaction.options.getString('job', true).trim();
  const image = interaction.options.getInteger('image') ?? 1;
  const mask = interaction.options.getAttachment('mask', true);
  const found = await ctx.useCases.findEditableJob({ jobId, userId: interaction.user.id, image });
  if (!found.ok) {
    await interaction.editReply(editErrorReply(found.error));
    return;
  }
  const size = { width: found.value.width, height: found.value.height };
  const problem = maskProblem({ contentType: mask.contentType, width: mask.width, height: mask.height }, size);
  // Only read a file that says it is a picture of the right size; then count what it repaints.
  const painted = problem === null ? await countMaskPixels(mask.url, size) : null;
  const refusal = problem ?? (painted === null ? `The mask could not be read as a ${size.width}×${size.height} picture.` : maskCoverageProblem(painted, size));
  if (refusal !== null || painted === null) {
    await interaction.editReply({ content: `${refusal ?? 'The mask could not be read.'} Nothing was charged.` });
    return;
  }
  await quoteEditReply(
    interaction,
    { jobId, image },
    { kind: 'mask', maskUrl: mask.url, maskedPixels: painted },
    interaction.options.getString('prompt') ?? undefined,
    ctx,
  );
}
