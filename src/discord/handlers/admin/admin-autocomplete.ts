import type { AutocompleteInteraction } from 'discord.js';
import type { HandlerContext } from '../../handler-context.js';

/** Suggestions while an admin types /admin tier set's tier: the card's tiers, with their allowance. */
export async function handleAdminAutocomplete(interaction: AutocompleteInteraction, ctx: HandlerContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'tier') {
    await interaction.respond([]);
    return;
  }
  const tiers = ctx.useCases.suggestTiers({ typed: focused.value });
  await interaction.respond(tiers.map((tier) => ({ name: `${tier.label} — ${tier.allowance} credits ${tier.period}`, value: tier.name })));
}
