// Speed lanes: which a tier offers, at what price factor, and which a member gets when they name
// none. Pure: the quote, /settings and /pricing read these.
import { LANES, type Lane } from '../pricing/card-terms.js';
import type { PriceCard, Tier } from '../pricing/price-card-schema.js';
import { lowestTierAbove } from '../tiers.js';

export const laneLabel: Readonly<Record<Lane, string>> = { relax: 'Relax', fast: 'Fast', turbo: 'Turbo' };

/** What each lane means to a member, in a few words (quotes, /pricing, /settings). */
export const laneBlurb: Readonly<Record<Lane, string>> = {
  relax: 'waits behind paying jobs; heavier recent Relax use waits longer; one at a time',
  fast: 'the standard queue',
  turbo: 'ahead of every Fast job',
};

/** The lanes a tier offers with their price factors, slowest first. */
export function tierLanes(tier: Tier): readonly { readonly lane: Lane; readonly factor: number }[] {
  return LANES.flatMap((lane) => {
    const factor = tier.lanes[lane];
    return factor === undefined ? [] : [{ lane, factor }];
  });
}

/** The price factor of `lane` at `tier`; undefined when the tier does not offer it. */
export const laneFactor = (tier: Tier, lane: Lane): number | undefined => tier.lanes[lane];

/**
 * The lane a job runs in when the member names none: their /settings default if their tier offers
 * it, else Fast, else the tier's only lanes' first. (A default kept from a better tier that has
 * lapsed falls back quietly rather than refusing every /imagine.)
 */
export function defaultLaneFor(tier: Tier, preferred: Lane | null | undefined): Lane {
  if (preferred && laneFactor(tier, preferred) !== undefined) return preferred;
  if (laneFactor(tier, 'fast') !== undefined) return 'fast';
  return tierLanes(tier)[0]?.lane ?? 'fast';
}

/** The lowest tier above `tier` that offers `lane` ("which tier unlocks Turbo?"). */
export const lowestTierWithLane = (card: PriceCard, tier: Tier, lane: Lane): Tier | undefined =>
  lowestTierAbove(card, tier, (candidate) => laneFactor(candidate, lane) !== undefined);

export const isLane = (value: string): value is Lane => (LANES as readonly string[]).includes(value);
