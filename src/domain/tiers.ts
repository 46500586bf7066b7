import type { Operation } from './pricing/card-terms.js';
import type { ModelSpec, PriceCard, Tier } from './pricing/price-card-schema.js';

/**
 * Tiers are ranked by their order on the card, lowest first; the card guarantees that the
 * first is "none", the tier of members without a tier role.
 */
export const noTier = (card: PriceCard): Tier => {
  const [first] = card.tiers;
  if (!first) throw new Error('A price card has at least one tier');
  return first;
};

export const findTier = (card: PriceCard, name: string): Tier | undefined => card.tiers.find((t) => t.name === name);

/** Position of a tier on the card (higher is better); -1 for a name the card does not have. */
export const tierRank = (card: PriceCard, name: string): number => card.tiers.findIndex((t) => t.name === name);

/** Sort comparator: negative when `a` ranks below `b`. Unknown names rank below every tier. */
export const compareTiers = (card: PriceCard, a: string, b: string): number => tierRank(card, a) - tierRank(card, b);

/** The best of several tier names; names the card does not know are ignored; "none" if nothing is left. */
export function bestTier(card: PriceCard, tierNames: Iterable<string>): Tier {
  let best = noTier(card);
  for (const name of tierNames) {
    const tier = findTier(card, name);
    if (tier && compareTiers(card, tier.name, best.name) > 0) best = tier;
  }
  return best;
}

/**
 * A member's tier from their roles and the guild's role → tier mapping. A member with several
 * tier roles gets the best; a mapping to a tier the card no longer has is ignored.
 */
export function resolveMemberTier(card: PriceCard, memberRoleIds: Iterable<string>, roleTierMapping: ReadonlyMap<string, string>): Tier {
  const names: string[] = [];
  for (const roleId of memberRoleIds) {
    const name = roleTierMapping.get(roleId);
    if (name !== undefined) names.push(name);
  }
  return bestTier(card, names);
}

export const tierAllowsModel = (tier: Tier, model: ModelSpec): boolean => tier.modelClasses.includes(model.class);

/** Names of the models a tier may use, in card order. */
export const modelsForTier = (card: PriceCard, tier: Tier): string[] =>
  Object.entries(card.models).flatMap(([name, model]) => (tierAllowsModel(tier, model) ? [name] : []));

/** The first model (card order) a tier may use for an operation: the fallback when a member names none. */
export const defaultModelFor = (card: PriceCard, tier: Tier, operation: Operation = 'txt2img'): string | undefined =>
  modelsForTier(card, tier).find((name) => card.models[name]?.operations.includes(operation));

/** The lowest tier ranked above `tier` that satisfies a need ("which tier unlocks this?"). */
export const lowestTierAbove = (card: PriceCard, tier: Tier, satisfies: (candidate: Tier) => boolean): Tier | undefined =>
  card.tiers.slice(tierRank(card, tier.name) + 1).find(satisfies);

/** The steps a tier may ask of a model: the model's maximum, lowered by the tier's cap if any. */
export const maxStepsFor = (tier: Tier, model: ModelSpec): number => Math.min(model.maxSteps, tier.maxSteps ?? model.maxSteps);

export { dailyResetWindow, expiryWithRollover, tierPeriodWindow, type PeriodWindow } from './tier-periods.js';
