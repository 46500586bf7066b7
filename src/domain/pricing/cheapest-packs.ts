// The cheapest way to buy at least N credits from the card's packs, any pack any number of times:
// a small covering knapsack. Buying only the best-value pack is not always cheapest (10,285
// credits: 8000 + 3000 for $70 beats 2 × 8000 for $100 and 4 × 3000 for $80).
import type { Pack } from './price-card-schema.js';

export interface PackPurchase {
  /** Each pack used, with how many, largest first. */
  readonly items: readonly { readonly pack: Pack; readonly quantity: number }[];
  readonly credits: number;
  readonly priceUsd: number;
}

/** Above this many table cells the exact search gives way to the best single pack (a card no operator writes). */
const MAX_CELLS = 2_000_000;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const cents = (pack: Pack): number => Math.round(pack.priceUsd * 100);

/**
 * The cheapest purchase covering `credits` (on a tie in price, the one with the most credits); null
 * when the card sells no packs. Exact: by exchange, an optimal purchase holds fewer than
 * best.credits / gcd copies of any other pack (that many could be swapped for copies of the
 * best-value pack at no extra cost), so all but a bounded remainder is bought in the best-value
 * pack and the remainder is solved by dynamic programming in units of the packs' common divisor.
 */
export function cheapestPacks(packs: readonly Pack[], credits: number): PackPurchase | null {
  if (packs.length === 0) return null;
  if (credits <= 0) return { items: [], credits: 0, priceUsd: 0 };
  const best = [...packs].sort((a, b) => cents(a) * b.credits - cents(b) * a.credits || b.credits - a.credits)[0]!;
  // Credits the other packs can add in an optimal purchase, at most.
  const otherCredits = packs.reduce((sum, pack) => (pack === best ? sum : sum + (best.credits / gcd(best.credits, pack.credits) - 1) * pack.credits), 0);
  const bulk = Math.max(0, Math.floor((credits - otherCredits) / best.credits));
  const rest = credits - bulk * best.credits;
  const unit = packs.reduce((g, pack) => gcd(g, pack.credits), 0);
  const target = Math.ceil(rest / unit);
  const table = target + 1 > MAX_CELLS ? null : coverByTable(packs, unit, target);
  const counts = table ?? new Map([[best, Math.ceil(rest / best.credits)]]);
  counts.set(best, (counts.get(best) ?? 0) + bulk);
  const items = [...counts]
    .filter(([, quantity]) => quantity > 0)
    .map(([pack, quantity]) => ({ pack, quantity }))
    .sort((a, b) => b.pack.credits - a.pack.credits);
  return {
    items,
    credits: items.reduce((sum, { pack, quantity }) => sum + pack.credits * quantity, 0),
    priceUsd: items.reduce((sum, { pack, quantity }) => sum + cents(pack) * quantity, 0) / 100,
  };
}

/** cost[t]: the least cents buying at least t units; then the packs of that purchase. */
function coverByTable(packs: readonly Pack[], unit: number, target: number): Map<Pack, number> {
  const cost = new Float64Array(target + 1).fill(Infinity);
  const extra = new Float64Array(target + 1);
  const choice = new Int32Array(target + 1).fill(-1);
  cost[0] = 0;
  for (let t = 1; t <= target; t++) {
    packs.forEach((pack, i) => {
      const from = Math.max(0, t - pack.credits / unit);
      const total = cost[from]! + cents(pack);
      // Cheapest; for the same money, the most credits.
      const over = extra[from]! + Math.max(0, pack.credits / unit - (t - from));
      if (total < cost[t]! || (total === cost[t]! && over > extra[t]!)) {
        cost[t] = total;
        extra[t] = over;
        choice[t] = i;
      }
    });
  }
  const counts = new Map<Pack, number>();
  for (let t = target; t > 0;) {
    const pack = packs[choice[t]!]!;
    counts.set(pack, (counts.get(pack) ?? 0) + 1);
    t = Math.max(0, t - pack.credits / unit);
  }
  return counts;
}
