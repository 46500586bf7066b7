import type { PriceCard } from '../domain/pricing/price-card-schema.js';

/** /pricing: the whole price card, as the operator configured it. */
export const showPricing = (deps: { readonly card: PriceCard }): PriceCard => deps.card;
