/**
 * What a finished job charges and refunds, as finish_job settles it (prisma/migrations/*_ledger_clock):
 * each image that could not be made refunds its share of the price, rounded up in the member's
 * favour. Computed here too so the job message can say what it cost before the settlement lands.
 */
export function jobSettlement(price: number, count: number, delivered: number): { readonly charged: number; readonly refunded: number } {
  const missing = Math.max(0, count - delivered);
  const refunded = Math.min(price, Math.floor((price * missing + count - 1) / count));
  return { charged: price - refunded, refunded };
}
