import { type ChatInputCommandInteraction } from 'discord.js';
import { sourceAttachmentProblem } from '../../domain/jobs/source-attachment.js';
import { quoteGeneration } from '../../use-cases/quote-generation.js';
import { memberRoleIds, type BotDeps } from '../bot-deps.js';
import { channelFacts } from '../channel-facts.js';
import { renderQuoteError } from '../render/quote-reply.js';
import { replyWithQuote } from '../reply-with-quote.js';

/**
 * `/imagine`: reply (ephemeral) with the exact price, its breakdown and Generate / Cancel — or
 * confirm at once when the price is within the member's auto-confirm threshold (/settings).
 */
export async function handleImagine(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const prompt = interaction.options.getString('prompt', true).trim();
  // An uploaded image makes it img2img, priced with the card's img2img factor.
  const image = interaction.options.getAttachment('image');
  const problem = image ? sourceAttachmentProblem(image) : null;
  if (problem !== null) {
    await interaction.editReply({ content: `${problem} Nothing was charged.` });
    return;
  }
  const [settings, roleTiers, guildConfig] = await Promise.all([
    deps.memberSettings.get(interaction.user.id, interaction.guildId), deps.guildSettings.roleTiers(interaction.guildId), deps.guildSettings.config(interaction.guildId),
  ]);
  const quoted = await quoteGeneration({
    ledger: deps.ledger, jobs: deps.jobs, card: deps.card, now: deps.now(), randomSeed: deps.randomSeed,
    member: { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId, roleIds: memberRoleIds(interaction.member), ...channelFacts(interaction) },
    roleTiers, memberDefaults: settings,
    guildConfig, operatorBannedWords: deps.operatorBannedWords ?? [],
    request: {
      prompt,
      model: interaction.options.getString('model') ?? undefined,
      size: interaction.options.getString('size') ?? undefined,
      steps: interaction.options.getInteger('steps') ?? undefined,
      count: interaction.options.getInteger('count') ?? undefined,
      seed: interaction.options.getInteger('seed') ?? undefined,
      negativePrompt: interaction.options.getString('negative') ?? undefined,
      ...(image ? { operation: 'img2img' as const, sourceImageUrl: image.url } : {}),
    },
  });
  if (!quoted.ok) {
    await interaction.editReply(renderQuoteError(quoted.error));
    return;
  }
  await replyWithQuote(interaction, deps, quoted.value, prompt, settings);
}
