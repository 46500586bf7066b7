import { PermissionFlagsBits, Routes, type APIMessage, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { HandlerContext } from '../handler-context.js';
import { promptLine, resultButtons } from '../render/job-message.js';

const problemText = {
  // The same answer for "no such job" and "not yours", so ids of others' jobs cannot be probed.
  not_found: 'I found no job of yours with that id. Start typing its prompt to pick one.',
  still_running: 'That job is still running; its message in the channel will show the images.',
  failed: 'That job made no images (its credits were refunded), so there is nothing to show.',
  never_posted: 'That job’s images were never posted.',
} as const;

/**
 * `/show job id`: a past job's images and working buttons, privately to the asker. Its owner may
 * use it, and server admins (Manage Server) to look into a member's job; the buttons still act
 * only for the owner. Images are downloaded again from the job message (stored URLs expire), so
 * it works after restarts and for as long as that message exists.
 */
export async function handleShowJob(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const shown = await ctx.useCases.showJob({
    jobId: interaction.options.getString('id', true).trim(),
    userId: interaction.user.id,
    guildId: interaction.guildId,
    askerIsAdmin: interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild),
  });
  if (!shown.ok) {
    await interaction.editReply({ content: problemText[shown.error.code] });
    return;
  }
  const job = shown.value;
  let message: APIMessage;
  try {
    message = (await interaction.client.rest.get(Routes.channelMessage(job.channelId, job.messageId))) as APIMessage;
  } catch {
    await interaction.editReply({ content: 'That job’s message is gone (deleted, or I can no longer see its channel), so its images are too.' });
    return;
  }
  const files = await Promise.all(
    message.attachments.map(async (attachment) => {
      const response = await fetch(attachment.url);
      if (!response.ok) throw new Error(`downloading attachment ${attachment.id} failed: HTTP ${response.status}`);
      return { name: attachment.filename, attachment: Buffer.from(await response.arrayBuffer()) };
    }),
  );
  await interaction.editReply({
    content: `Job \`${job.id}\` by <@${job.userId}> — ${promptLine(job)}`,
    files,
    components: resultButtons(job.id, job.imagesDelivered),
    allowedMentions: { parse: [] },
  });
}

/** Suggests the member's recent jobs by prompt as they type. */
export async function autocompleteShowJob(interaction: AutocompleteInteraction, ctx: HandlerContext): Promise<void> {
  if (!interaction.inGuild()) return interaction.respond([]);
  const typed = String(interaction.options.getFocused()).trim().slice(0, 100);
  const jobs = await ctx.useCases.findRecentJobs({ userId: interaction.user.id, guildId: interaction.guildId, search: typed });
  await interaction.respond(
    jobs.map((job) => {
      const what = job.operation === 'txt2img' ? '' : `${job.operation}: `;
      const label = `${what}${job.prompt.length > 60 ? `${job.prompt.slice(0, 59)}…` : job.prompt} · ${job.status} · ${job.createdAt.toISOString().slice(0, 16).replace('T', ' ')}`;
      return { name: label.slice(0, 100), value: job.id };
    }),
  );
}
