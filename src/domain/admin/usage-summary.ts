/**
 * What /admin stats concludes from the raw figures: credits charged turned into dollars at the
 * card's rate, less what admins gave back with /admin refund, set against what the provider
 * billed (the operator's margin).
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
  /** Credits admins gave back (/admin refund) during the period. */
  readonly creditsRefundedByAdmins: number;
  /** Charged less what admins gave back: what the guild's members really paid. */
  readonly netCredits: number;
  readonly netUsd: number;
  readonly providerCostUsd: number;
  /** Net less provider cost. */
  readonly marginUsd: number;
  /** Margin as a share of the net; null when nothing was paid. */
  readonly marginShare: number | null;
}

const cents = (usd: number): number => Math.round(usd * 100) / 100;

export function summariseUsage(byModel: readonly ModelFigures[], creditsPerDollar: number, creditsRefundedByAdmins = 0): UsageSummary {
  const models = byModel.map((row) => {
    const chargedUsd = row.creditsCharged / creditsPerDollar;
    return { ...row, chargedUsd: cents(chargedUsd), marginUsd: cents(chargedUsd - row.providerCostUsd) };
  });
  const creditsCharged = byModel.reduce((sum, row) => sum + row.creditsCharged, 0);
  const chargedUsd = creditsCharged / creditsPerDollar;
  const providerCostUsd = byModel.reduce((sum, row) => sum + row.providerCostUsd, 0);
  const netCredits = creditsCharged - creditsRefundedByAdmins;
  const netUsd = netCredits / creditsPerDollar;
  return {
    models,
    creditsCharged,
    chargedUsd: cents(chargedUsd),
    creditsRefundedByAdmins,
    netCredits,
    netUsd: cents(netUsd),
    providerCostUsd: cents(providerCostUsd),
    marginUsd: cents(netUsd - providerCostUsd),
    marginShare: netUsd > 0 ? (netUsd - providerCostUsd) / netUsd : null,
  };
}
