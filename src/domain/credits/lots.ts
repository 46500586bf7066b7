/**
 * Credit lots and the spending order, as pure rules. The ledger enforces the same order inside
 * PostgreSQL (prisma/migrations/*_ledger_functions); this module states it in TypeScript for the
 * code that explains or predicts it (quotes, /balance) and as the model the ledger is tested against.
 */
export const lotKinds = ['free', 'tier', 'topup', 'grant'] as const;
export type LotKind = (typeof lotKinds)[number];

/** Among lots that expire at the same moment: free first, then tier, gifts, and paid top-ups last. */
export const spendRank: Readonly<Record<LotKind, number>> = { free: 0, tier: 1, grant: 2, topup: 3 };

/**
 * A refund of credits whose lot expired while they were held restores them until that lot's expiry
 * plus this grace, given once (a share restored again keeps the restored lot's expiry): a failed
 * job may give them back to use just after, never carry them into another day.
 */
export const restoreGraceMs = 60 * 60 * 1000;

export interface SpendableLot {
  readonly id: bigint;
  readonly kind: LotKind;
  readonly remaining: number;
  /** null: never expires. */
  readonly expiresAt: Date | null;
}

/** Soonest expiry first, never-expiring last; then by kind rank; then oldest lot first. */
export function compareSpendOrder(a: SpendableLot, b: SpendableLot): number {
  const aExpiry = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bExpiry = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (aExpiry !== bExpiry) return aExpiry < bExpiry ? -1 : 1;
  if (spendRank[a.kind] !== spendRank[b.kind]) return spendRank[a.kind] - spendRank[b.kind];
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function isSpendable(lot: SpendableLot, now: Date): boolean {
  return lot.remaining > 0 && (lot.expiresAt === null || lot.expiresAt.getTime() > now.getTime());
}

export interface Allocation {
  readonly lotId: bigint;
  readonly kind: LotKind;
  readonly amount: number;
}

/**
 * Which lots pay for `amount` at `now`, in spending order; null when they cannot cover it
 * (a hold is all or nothing).
 */
export function allocateSpend(lots: readonly SpendableLot[], amount: number, now: Date): Allocation[] | null {
  const allocations: Allocation[] = [];
  let need = amount;
  for (const lot of lots.filter((l) => isSpendable(l, now)).sort(compareSpendOrder)) {
    if (need === 0) break;
    const take = Math.min(lot.remaining, need);
    allocations.push({ lotId: lot.id, kind: lot.kind, amount: take });
    need -= take;
  }
  return need === 0 ? allocations : null;
}
