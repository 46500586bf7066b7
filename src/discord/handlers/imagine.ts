import type { ChatInputCommandInteraction } from 'discord.js';
import { quoteGeneration } from '../../use-cases/quote-generation.js';
import { memberRoleIds, type BotDeps } from '../bot-deps.js';
import { channelFacts } from '../channel-facts.js';
import { renderQuote, renderQuoteError } from '../render/quote-reply.js';

/** `/imagine`: reply (ephemeral) with the exact price, its breakdown and Generate / Cancel. */
export async function handleImagine(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const prompt = interaction.options.getString('prompt', true).trim();
  const quoted = await quoteGeneration({
    ledger: deps.ledger, jobs: deps.jobs, card: deps.card, now: deps.now(), randomSeed: deps.randomSeed,
    member: { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId, roleIds: memberRoleIds(interaction.member), ...channelFacts(interaction) },
    roleTiers: await deps.guildSettings.roleTiers(interaction.guildId),
    guildConfig: await deps.guildSettings.config(interaction.guildId), operatorBannedWords: deps.operatorBannedWords ?? [],
    request: {
      prompt,
      model: interaction.options.getString('model') ?? undefined,
      size: interaction.options.getString('size') ?? undefined,
      steps: interaction.options.getInteger('steps') ?? undefined,
      count: interaction.options.getInteger('count') ?? undefined,
      seed: interaction.options.getInteger('seed') ?? undefined,
      negativePrompt: interaction.options.getString('negative') ?? undefined,
    },
  });
  if (!quoted.ok) {
    await interaction.reply(renderQuoteError(quoted.error));
    return;
  }
  await interaction.reply(renderQuote(quoted.value, prompt));
}
