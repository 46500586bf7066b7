// What a quoted job should cost the provider, in dollars: stored with the quote so a server budget
// in dollars counts every job the same way at confirm (src/domain/spending/budget.ts).

/**
 * The model's dollars per image × images when the card states them (`usdPerImage`), else the job's
 * list price at the card's exchange rate (credits per dollar) — the best the card knows.
 */
export function estimateProviderUsd(input: { usdPerImage?: number | undefined; count: number; listPrice: number; creditsPerDollar: number }): number {
  const usd = input.usdPerImage !== undefined ? input.usdPerImage * input.count : input.listPrice / input.creditsPerDollar;
  // Six decimals: the column's scale; round up so an estimate never understates the cost.
  return Math.ceil(usd * 1e6 - 1e-6) / 1e6;
}
