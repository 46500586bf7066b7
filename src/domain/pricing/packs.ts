import { fraction, fractionOf, multiply, roundFraction, subtract, toNumber } from './decimal.js';
import type { Pack, PriceCard } from './price-card-schema.js';

/** A pack as /topup shows it; the discount is derived from the card's rate, never stored. */
export type PackOffer = {
  readonly pack: Pack;
  /** What the credits are worth at the base rate (credits / creditsPerDollar). */
  readonly nominalUsd: number;
  /** Credits beyond what the price buys at the base rate, rounded down. */
  readonly bonusCredits: number;
  /** 0–100, one decimal: 1200 credits for $10 at 100/$ → 16.7. */
  readonly discountPercent: number;
};

export function packOffer(card: PriceCard, pack: Pack): PackOffer {
  const atBaseRate = multiply(fractionOf(pack.priceUsd), fraction(BigInt(card.creditsPerDollar)));
  const bonus = subtract(fraction(BigInt(pack.credits)), atBaseRate);
  const discountPermille = roundFraction(multiply(bonus, fraction(1000n, BigInt(pack.credits))));
  return {
    pack,
    nominalUsd: pack.credits / card.creditsPerDollar,
    bonusCredits: Math.max(0, Math.floor(toNumber(bonus))),
    discountPercent: Math.max(0, discountPermille / 10),
  };
}

export const packOffers = (card: PriceCard): PackOffer[] => card.packs.map((pack) => packOffer(card, pack));

export const findPack = (card: PriceCard, id: string): Pack | undefined => card.packs.find((p) => p.id === id);

/** The pack a Discord entitlement's SKU buys, if any. */
export const packForSku = (card: PriceCard, skuId: string): Pack | undefined => card.packs.find((p) => p.discordSkuId === skuId);
