import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { quoteGeneration } from '../../use-cases/quote-generation.js';
import { memberRoleIds, type BotDeps } from '../bot-deps.js';
import { channelFacts } from '../channel-facts.js';
import { renderQuote, renderQuoteError } from '../render/quote-reply.js';

/**
 * Buttons under a delivered result. Anyone who sees the message can click; only the job's owner
 * may act. Re-roll is a new quoted job (same settings, new seed): nothing runs until Generate.
 */
export async function handleJobButton(interaction: ButtonInteraction, action: 'reroll' | 'keep', jobId: string, deps: BotDeps): Promise<void> {
  if (!interaction.inGuild()) return;
  if (action === 'keep') {
    const kept = await deps.jobs.markKept(jobId, interaction.user.id);
    const content = kept === 'kept' ? 'Kept ⭐ — it counts towards your cost per kept image in /usage.'
      : kept === 'not_owner' ? 'Only the person who made this image can keep it.'
        : 'That image cannot be kept (it was not delivered, or no longer exists).';
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    return;
  }
  const job = await deps.jobs.get(jobId);
  if (job === null) {
    await interaction.reply({ content: 'That job no longer exists. Run /imagine for a new image.', flags: MessageFlags.Ephemeral });
    return;
  }
  if (job.userId !== interaction.user.id) {
    await interaction.reply({ content: `Only <@${job.userId}> can re-roll this — run /imagine for your own.`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  const { request } = job;
  const quoted = await quoteGeneration({
    ledger: deps.ledger, jobs: deps.jobs, card: deps.card, now: deps.now(), randomSeed: deps.randomSeed,
    member: { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId, roleIds: memberRoleIds(interaction.member), ...channelFacts(interaction) },
    roleTiers: await deps.guildSettings.roleTiers(interaction.guildId),
    guildConfig: await deps.guildSettings.config(interaction.guildId), operatorBannedWords: deps.operatorBannedWords ?? [],
    request: {
      prompt: request.prompt, model: request.model, size: `${request.width}x${request.height}`, steps: request.steps, count: request.count,
      negativePrompt: request.negativePrompt,
    },
  });
  if (!quoted.ok) {
    await interaction.reply(renderQuoteError(quoted.error));
    return;
  }
  await interaction.reply(renderQuote(quoted.value, request.prompt));
}
