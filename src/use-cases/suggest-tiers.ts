import type { PriceCard, Tier } from '../domain/pricing/price-card-schema.js';
import { noTier } from '../domain/tiers.js';

/**
 * The card's tiers a role can be mapped to whose name or label contains what the admin typed
 * (the card is loaded at start, so the command definition cannot list them as fixed choices).
 */
export function suggestTiers(deps: { readonly card: PriceCard }, input: { readonly typed: string }): Tier[] {
  const typed = input.typed.trim().toLowerCase();
  const none = noTier(deps.card).name;
  return deps.card.tiers.filter((tier) => tier.name !== none && (tier.name.includes(typed) || tier.label.toLowerCase().includes(typed))).slice(0, 25);
}
