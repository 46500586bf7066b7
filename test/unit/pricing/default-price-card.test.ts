import { describe, expect, it } from 'vitest';
import { formatBreakdown } from '../../../src/domain/pricing/format-breakdown.js';
import { packOffers } from '../../../src/domain/pricing/packs.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { quote } from '../../../src/domain/pricing/quote.js';
import { bestTier, modelsForTier } from '../../../src/domain/tiers.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';

const card: PriceCard = await loadPriceCardOrThrow();

describe('the default price card (price-card.yaml)', () => {
  it('states 100 credits per dollar and 20 free credits a day', () => {
    expect({ rate: card.creditsPerDollar, free: card.freeDailyCredits }).toEqual({ rate: 100, free: 20 });
  });

  it('has the tiers of the design: allowance, models, max batch and queue priority', () => {
    const summary = card.tiers.map((t) => [t.name, t.allowance, t.period, t.maxBatch, t.queuePriority, t.rolloverPeriods]);
    expect(summary).toEqual([
      ['none', 0, 'daily', 1, 'standard', 0],
      ['starter', 200, 'weekly', 4, 'standard', 0],
      ['pro', 450, 'weekly', 8, 'priority', 0],
      ['ultra', 1000, 'weekly', 16, 'fastest', 0],
      ['max', 2000, 'weekly', 16, 'instant', 0],
    ]);
    expect(modelsForTier(card, bestTier(card, []))).toEqual(['flux-schnell', 'real-esrgan']);
    expect(modelsForTier(card, bestTier(card, ['ultra']))).toContain('flux-pro');
    expect(modelsForTier(card, bestTier(card, ['pro']))).not.toContain('flux-pro');
  });

  it('prices 4 flux-dev images at 1024x1024 as 38 credits, as its comment says', () => {
    const result = quote(card, { model: 'flux-dev', count: 4 }, bestTier(card, ['pro']));
    expect(result.ok && formatBreakdown(result.value)).toBe(
      'flux-dev 12/MP × 1.05 MP × 28/28 steps × txt2img 1 = 12.5829 per image × batch 4 (×3) = 38 credits ($0.38)',
    );
  });

  it('lets a member without a tier make one fast image with the free daily credits', () => {
    const result = quote(card, { model: 'flux-schnell' }, bestTier(card, []));
    expect(result.ok && result.value.total).toBe(2);
  });

  it('gives bigger packs a bigger discount', () => {
    expect(packOffers(card).map((o) => o.discountPercent)).toEqual([0, 16.7, 33.3, 37.5]);
  });
});
