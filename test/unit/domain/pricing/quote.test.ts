import { describe, expect, it } from 'vitest';
import { formatBreakdown, formatUsd } from '../../../../src/domain/pricing/format-breakdown.js';
import { quote, type Quote, type QuoteRequest } from '../../../../src/domain/pricing/quote.js';
import { testCard, tierOf } from './card-fixture.js';

const card = testCard();

function quoted(request: QuoteRequest, tierName = 'ultra'): Quote {
  const result = quote(card, request, tierOf(card, tierName));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('quote: unit price = ceil(base × MP × steps/defaultSteps × operation factor)', () => {
  it('prices 1024x1024 at default steps as ceil(base × 1.048576)', () => {
    expect(quoted({ model: 'dev' }).unitPrice).toBe(Math.ceil(12 * 1.048576)); // 12.582912 → 13
    expect(quoted({ model: 'sdxl' }).unitPrice).toBe(5); // 4.194304 → 5
  });

  it('does not round up a price that is a whole number', () => {
    expect(quoted({ model: 'sdxl', size: '1000x1000' }).unitPrice).toBe(4);
  });

  it('is not bumped by floating-point noise: 110/MP × 1 MP × img2img 1.1 is exactly 121', () => {
    expect(110 * 1.1).not.toBe(121);
    expect(quoted({ model: 'pro', size: '1000x1000', operation: 'img2img' }).unitPrice).toBe(121);
  });

  it('scales with steps relative to the default', () => {
    expect(quoted({ model: 'sdxl', steps: 45 }).unitPrice).toBe(7); // 4 × 1.048576 × 1.5 = 6.29
    expect(quoted({ model: 'sdxl', steps: 15 }).unitPrice).toBe(3); // 2.10
    expect(quoted({ model: 'sdxl', size: '1000x1000', steps: 60 - 15 }).unitPrice).toBe(6);
  });

  it('applies the operation factor', () => {
    expect(quoted({ model: 'sdxl', operation: 'upscale' }).unitPrice).toBe(3); // 2.097152
    expect(quoted({ model: 'sdxl', size: '1000x1000', operation: 'upscale' }).unitPrice).toBe(2);
  });

  it('uses the model defaults: first size, default steps, one image, txt2img', () => {
    const q = quoted({ model: 'sdxl' });
    expect({ size: q.size, steps: q.steps, count: q.count, operation: q.operation }).toEqual({
      size: '1024x1024',
      steps: 30,
      count: 1,
      operation: 'txt2img',
    });
  });

  it('resolves an aspect ratio to the size it picks', () => {
    expect(quoted({ model: 'sdxl', size: '16:9' }).size).toBe('1344x768');
  });
});

describe('quote: total = ceil(exact unit × batch multiplier), rounded once', () => {
  it('prices 4 images of 12.582912 as 3 singles: ceil(37.748736) = 38 credits, $0.38, saving 14 against 4 × 13', () => {
    const q = quoted({ model: 'dev', count: 4 });
    expect(q).toMatchObject({ unitPrice: 13, count: 4, batchMultiplier: 3, total: 38, usd: 0.38, savings: 14 });
    expect(q.breakdown.batch).toEqual({ count: 4, multiplier: 3, fullPrice: 52, savings: 14 });
    expect(q.breakdown.unitExact).toBeCloseTo(12.582912, 9);
  });

  it('rounds an interpolated batch up once: 5 × 12.582912 at ×3.625 = 45.61 → 46', () => {
    expect(quoted({ model: 'dev', count: 5 })).toMatchObject({ batchMultiplier: 3.625, total: 46, savings: 19 });
  });

  it('charges a single image its unit price', () => {
    expect(quoted({ model: 'dev' })).toMatchObject({ total: 13, savings: 0, batchMultiplier: 1 });
  });

  it('does not round up a whole-number batch total bumped by floating point (121 × 1.1 rows)', () => {
    const table = testCard((raw) => {
      raw.batch = [
        { count: 1, multiplier: 1 },
        { count: 2, multiplier: 1.1 },
        { count: 16, multiplier: 8.8 },
      ];
    });
    const result = quote(table, { model: 'pro', size: '1000x1000', count: 2 }, tierOf(table, 'ultra'));
    expect(result.ok && result.value.total).toBe(121); // 110 × 1.1
  });

  it('carries what a job needs to run: provider model, resolved size and tier', () => {
    expect(quoted({ model: 'dev', size: '3:2' }, 'pro')).toMatchObject({
      model: 'dev',
      providerModelId: 'acme/premium',
      size: '1216x832',
      tier: 'pro',
    });
  });
});

describe('formatBreakdown', () => {
  it('prints every factor and the batch on one line', () => {
    expect(formatBreakdown(quoted({ model: 'dev', count: 4 }))).toBe(
      'dev 12/MP × 1.05 MP × 28/28 steps × txt2img 1 = 12.5829 per image × batch 4 (×3) = 38 credits ($0.38)',
    );
  });

  it('leaves out the batch for a single image', () => {
    expect(formatBreakdown(quoted({ model: 'sdxl', steps: 45, operation: 'upscale' }))).toBe(
      'sdxl 4/MP × 1.05 MP × 45/30 steps × upscale 0.5 = 4 credits ($0.04)',
    );
  });

  it('shows interpolated multipliers and singular credits', () => {
    expect(formatBreakdown(quoted({ model: 'dev', count: 5 }))).toContain('batch 5 (×3.625) = 46 credits ($0.46)');
    expect(formatUsd(0.005)).toBe('$0.005');
    expect(formatUsd(1200)).toBe('$1,200.00');
  });

  it('prices a request the same for every tier that may use the model', () => {
    const prices = ['none', 'starter', 'pro', 'ultra'].map((name) => quoted({ model: 'schnell' }, name).total);
    expect(new Set(prices)).toEqual(new Set([2]));
  });
});
