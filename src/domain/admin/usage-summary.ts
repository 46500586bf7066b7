/**
 * What /admin stats concludes from the raw figures: credits charged turned into dollars at the
 * card's rate, set against what the provider billed (the operator's margin).
 */
export interface ModelFigures {
  readonly model: string;
  readonly jobs: number;
  readonly images: number;
  readonly creditsCharged: number;
  readonly providerCostUsd: number;
}

export interface ModelUsage extends ModelFigures {
  readonly chargedUsd: number;
  readonly marginUsd: number;
}

export interface UsageSummary {
  readonly models: readonly ModelUsage[];
  readonly creditsCharged: number;
  readonly chargedUsd: number;
  readonly providerCostUsd: number;
  readonly marginUsd: number;
  /** Margin as a share of what was charged; null when nothing was charged. */
  readonly marginShare: number | null;
}

const cents = (usd: number): number => Math.round(usd * 100) / 100;

export function summariseUsage(byModel: readonly ModelFigures[], creditsPerDollar: number): UsageSummary {
  const models = byModel.map((row) => {
    const chargedUsd = row.creditsCharged / creditsPerDollar;
    return { ...row, chargedUsd: cents(chargedUsd), marginUsd: cents(chargedUsd - row.providerCostUsd) };
  });
  const creditsCharged = byModel.reduce((sum, row) => sum + row.creditsCharged, 0);
  const chargedUsd = creditsCharged / creditsPerDollar;
  const providerCostUsd = byModel.reduce((sum, row) => sum + row.providerCostUsd, 0);
  return {
    models,
    creditsCharged,
    chargedUsd: cents(chargedUsd),
    providerCostUsd: cents(providerCostUsd),
    marginUsd: cents(chargedUsd - providerCostUsd),
    marginShare: chargedUsd > 0 ? (chargedUsd - providerCostUsd) / chargedUsd : null,
  };
}
