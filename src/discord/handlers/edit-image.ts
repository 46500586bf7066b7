// Zoom Out, Pan and Vary (Region) from a result's "Edit" button: the private panel, the custom
// zoom and region prompt modals, and the quote each choice makes. Anyone who sees the result can
// click; only the job's owner gets a panel or a quote. Input is checked before any quote: a bad
// factor gets a sentence and changes nothing.
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { editTitle, parseZoomFactor } from '../../domain/edits/edit-input.js';
import { REGION_PRESETS } from '../../domain/edits/image-edit.js';
import type { FindEditableJobError } from '../../use-cases/find-editable-job.js';
import type { EditChoice, QuoteEditError } from '../../use-cases/quote-edit.js';
import { quotingMemberOf } from '../channel-facts.js';
import type { HandlerContext } from '../handler-context.js';
import type { EditId } from '../render/edit-ids.js';
import { editImagePicker, editPanel, regionModal, zoomModal, zoomModalFields } from '../render/edit-panel.js';
import { renderQuote, renderQuoteError } from '../render/quote-reply.js';

type InGuild = 'cached' | 'raw';
export type EditInteraction = ButtonInteraction<InGuild> | StringSelectMenuInteraction<InGuild> | ModalSubmitInteraction<InGuild>;

export function editErrorReply(error: QuoteEditError | FindEditableJobError): InteractionEditReplyOptions {
  switch (error.code) {
    case 'job_not_found':
      return { content: 'That job no longer exists. Run /imagine for a new image.' };
    case 'not_job_owner':
      return { content: `Only <@${error.ownerId}> can edit this image — run /imagine for your own.`, allowedMentions: { parse: [] } };
    case 'no_such_image':
      return { content: `There is no image${error.image === undefined ? '' : ` #${error.image}`} on this job to edit.` };
    case 'edit_not_possible':
      return { content: error.message };
    default:
      return renderQuoteError(error);
  }
}

/** The Edit button (a private reply) or an image picked in the picker (an update of it). */
async function showPanel(interaction: ButtonInteraction<InGuild>, jobId: string, image: number | undefined, ctx: HandlerContext): Promise<void> {
  const found = await ctx.useCases.findEditableJob({ jobId, userId: interaction.user.id, image });
  if (!found.ok) {
    await interaction.editReply(editErrorReply(found.error));
    return;
  }
  const { images, prompt } = found.value;
  await interaction.editReply(image === undefined && images > 1 ? editImagePicker(jobId, images) : editPanel(jobId, image ?? 1, prompt));
}

/** Quotes an edit for the member and answers with the quote, or why not. */
export async function quoteEditReply(
  interaction: EditInteraction | ChatInputCommandInteraction<InGuild>,
  id: { jobId: string; image: number },
  choice: EditChoice,
  prompt: string | undefined,
  ctx: HandlerContext,
) {
  // Modal submissions may come without a channel (from a DM); these come from a guild channel.
  if (interaction.channelId === null) return;
  const member = quotingMemberOf(interaction as typeof interaction & { readonly channelId: string });
  const quoted = await ctx.useCases.quoteEdit({ member, jobId: id.jobId, image: id.image, choice, prompt });
  if (!quoted.ok) {
    await interaction.editReply(editErrorReply(quoted.error));
    return;
  }
  const { quoted: q, job, edit } = quoted.value;
  await interaction.editReply(renderQuote(q, `${editTitle(edit)} of image #${id.image}: ${prompt?.trim() || job.request.prompt}`));
}

const notKnown = 'That is not something I know how to do (yet).';

const promptOf = (interaction: ModalSubmitInteraction) => interaction.fields.getTextInputValue(zoomModalFields.prompt);

/** Runs one edit control; the router has acknowledged it as `editAck` says. */
export async function handleEdit(interaction: EditInteraction, id: EditId, ctx: HandlerContext): Promise<void> {
  switch (id.action) {
    case 'open':
      if (interaction.isButton()) await showPanel(interaction, id.jobId, undefined, ctx);
      return;
    case 'pick':
      if (interaction.isButton()) await showPanel(interaction, id.jobId, id.image, ctx);
      return;
    case 'zoom':
      return quoteEditReply(interaction, id, { kind: 'zoom', factor: id.factor }, undefined, ctx);
    case 'pan':
      return quoteEditReply(interaction, id, { kind: 'pan', direction: id.direction }, undefined, ctx);
    // Nothing acknowledged these (a modal must be the answer): a control that cannot open its
    // modal (a forged id, a value the menu never offered) still gets an answer.
    case 'zoom-ask':
      if (interaction.isButton()) await interaction.showModal(zoomModal(id.jobId, id.image));
      else await interaction.reply({ content: notKnown, flags: MessageFlags.Ephemeral });
      return;
    case 'region': {
      const region = interaction.isStringSelectMenu() ? REGION_PRESETS.find((r) => r === interaction.values[0]) : undefined;
      if (region !== undefined && interaction.isStringSelectMenu()) await interaction.showModal(regionModal(id.jobId, id.image, region));
      else await interaction.reply({ content: 'Pick one of the regions in the menu.', flags: MessageFlags.Ephemeral });
      return;
    }
    case 'zoom-modal': {
      if (!interaction.isModalSubmit()) return;
      const factor = parseZoomFactor(interaction.fields.getTextInputValue(zoomModalFields.factor));
      if (!factor.ok) {
        await interaction.editReply({ content: `${factor.error} Nothing was charged.` });
        return;
      }
      return quoteEditReply(interaction, id, { kind: 'zoom', factor: factor.value }, promptOf(interaction), ctx);
    }
    case 'region-modal':
      if (interaction.isModalSubmit()) await quoteEditReply(interaction, id, { kind: 'region', region: id.region }, promptOf(interaction), ctx);
      return;
  }
}

/**
 * How each control is acknowledged: a modal must be the answer itself (no defer before it); a
 * picked image updates the picker; everything else gets a private reply (the panel or a quote).
 */
export const editAck = (id: EditId): 'private-reply' | 'update' | 'none' =>
  id.action === 'zoom-ask' || id.action === 'region' ? 'none' : id.action === 'pick' ? 'update' : 'private-reply';
