import { describe, expect, it } from 'vitest';
import { checkoutMatchesPack } from '../../../../src/domain/payments/checkout-match.js';
import type { Pack } from '../../../../src/domain/pricing/price-card-schema.js';

const pack: Pack = { id: 'credits-1200', credits: 1200, priceUsd: 10 };
const paid = (amountTotal: number | null, currency: string | null = 'usd') => ({ amountTotal, currency });

describe('a paid checkout against the pack on the card', () => {
  it('matches only the pack’s price to the cent: one cent less or more is refused', () => {
    expect(checkoutMatchesPack(pack, paid(1000), 1200).ok).toBe(true);
    expect(checkoutMatchesPack(pack, paid(999), 1200)).toEqual({
      ok: false,
      error: { code: 'price_mismatch', expectedCents: 1000, expectedCurrency: 'usd', paidCents: 999, paidCurrency: 'usd' },
    });
    expect(checkoutMatchesPack(pack, paid(1001), 1200).ok).toBe(false);
  });

  it('refuses an unknown total and any other currency; the currency’s case does not matter', () => {
    expect(checkoutMatchesPack(pack, paid(null), 1200).ok).toBe(false);
    expect(checkoutMatchesPack(pack, paid(1000, 'eur'), 1200).ok).toBe(false);
    expect(checkoutMatchesPack(pack, paid(1000, null), 1200).ok).toBe(false);
    expect(checkoutMatchesPack(pack, paid(1000, 'USD'), 1200).ok).toBe(true);
  });

  it('refuses a session promising other credits than the pack gives, fewer or more', () => {
    expect(checkoutMatchesPack(pack, paid(1000), 1201)).toEqual({ ok: false, error: { code: 'credits_mismatch', promised: 1201, packCredits: 1200 } });
    expect(checkoutMatchesPack(pack, paid(1000), 1199).ok).toBe(false);
  });
});
