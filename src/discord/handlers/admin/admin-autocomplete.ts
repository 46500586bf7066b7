import type { AutocompleteInteraction } from 'discord.js';
import { noTier } from '../../../domain/tiers.js';
import type { BotDeps } from '../../bot-deps.js';

/**
 * Suggestions while an admin types /admin tier set's tier: the card's tiers (the card is loaded at
 * start, so the command definition cannot list them as fixed choices), with their allowance.
 */
export async function handleAdminAutocomplete(interaction: AutocompleteInteraction, deps: BotDeps): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'tier') {
    await interaction.respond([]);
    return;
  }
  const typed = focused.value.trim().toLowerCase();
  const none = noTier(deps.card).name;
  const tiers = deps.card.tiers.filter((tier) => tier.name !== none && (tier.name.includes(typed) || tier.label.toLowerCase().includes(typed)));
  await interaction.respond(tiers.slice(0, 25).map((tier) => ({ name: `${tier.label} — ${tier.allowance} credits ${tier.period}`, value: tier.name })));
}
