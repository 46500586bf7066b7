import { estimate, type Estimate, type EstimateRejection, type EstimateRequest } from '../domain/pricing/estimate.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { Result } from '../domain/result.js';

export type EstimatedPlan = Estimate & { readonly creditsPerDollar: number };

/** /estimate: what a plan of images per day costs on the card, with a buffer, and which tier or pack covers it. */
export function estimatePlan(deps: { readonly card: PriceCard }, request: EstimateRequest): Result<EstimatedPlan, EstimateRejection> {
  const plan = estimate(deps.card, request);
  return plan.ok ? { ok: true, value: { ...plan.value, creditsPerDollar: deps.card.creditsPerDollar } } : plan;
}
