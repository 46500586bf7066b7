import type { ChatInputCommandInteraction } from 'discord.js';

/**
 * The size a member asked for in /imagine or /batch: the free `size` or an `aspect` choice (the
 * quote maps a ratio to the model's nearest listed size), not both — two answers to one question.
 */
export function sizeOrAspect(interaction: ChatInputCommandInteraction): { readonly size: string | undefined } | { readonly problem: string } {
  const size = interaction.options.getString('size') ?? undefined;
  const aspect = interaction.options.getString('aspect') ?? undefined;
  if (size !== undefined && aspect !== undefined) return { problem: 'Give either a `size` or an `aspect`, not both. Nothing was charged.' };
  return { size: size ?? aspect };
}
