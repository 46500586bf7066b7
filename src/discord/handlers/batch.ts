import { type ChatInputCommandInteraction } from 'discord.js';
import { batchSummary, parseBatchPrompts, type BatchPromptsProblem } from '../../domain/jobs/batch-prompts.js';
import { quoteGeneration } from '../../use-cases/quote-generation.js';
import { memberRoleIds, type BotDeps } from '../bot-deps.js';
import { channelFacts } from '../channel-facts.js';
import { renderQuoteError } from '../render/quote-reply.js';
import { replyWithQuote } from '../reply-with-quote.js';

const problemText = (problem: BatchPromptsProblem): string => {
  switch (problem.code) {
    case 'too-few': return `A batch needs at least two prompts separated by | (you gave ${problem.count}). For one prompt use /imagine (its count option makes several images of it).`;
    case 'too-many': return `A batch may have at most ${problem.max} prompts (you gave ${problem.count}); your tier’s limit may be lower (see /pricing).`;
    case 'too-long': return `Prompt ${problem.index + 1} is ${problem.length} characters long; each prompt may have at most ${problem.max}.`;
  }
};

/**
 * `/batch prompts [model] [size] [steps] [seed] [negative]`: one image per prompt, same settings,
 * one quote at the batch discount for that many images, delivered together as one job.
 */
export async function handleBatch(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, deps: BotDeps): Promise<void> {
  const parsed = parseBatchPrompts(interaction.options.getString('prompts', true));
  if (!parsed.ok) {
    await interaction.editReply({ content: problemText(parsed.error) });
    return;
  }
  const prompts = parsed.value;
  const [settings, roleTiers, guildConfig] = await Promise.all([
    deps.memberSettings.get(interaction.user.id, interaction.guildId), deps.guildSettings.roleTiers(interaction.guildId), deps.guildSettings.config(interaction.guildId),
  ]);
  const quoted = await quoteGeneration({
    ledger: deps.ledger, jobs: deps.jobs, card: deps.card, now: deps.now(), randomSeed: deps.randomSeed,
    member: { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId, roleIds: memberRoleIds(interaction.member), ...channelFacts(interaction) },
    roleTiers, memberDefaults: settings, guildConfig, operatorBannedWords: deps.operatorBannedWords ?? [],
    request: {
      prompt: batchSummary(prompts), prompts,
      model: interaction.options.getString('model') ?? undefined,
      size: interaction.options.getString('size') ?? undefined,
      steps: interaction.options.getInteger('steps') ?? undefined,
      seed: interaction.options.getInteger('seed') ?? undefined,
      negativePrompt: interaction.options.getString('negative') ?? undefined,
    },
  });
  if (!quoted.ok) {
    await interaction.editReply(renderQuoteError(quoted.error));
    return;
  }
  await replyWithQuote(interaction, deps, quoted.value, prompts.map((prompt, i) => `${i + 1}. ${prompt}`).join('\n> '), settings);
}
