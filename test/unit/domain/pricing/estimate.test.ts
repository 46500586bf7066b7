import { describe, expect, it } from 'vitest';
import { estimate } from '../../../../src/domain/pricing/estimate.js';
import { testCard } from './card-fixture.js';

const card = testCard();

describe('estimate', () => {
  it('is images per day × days × unit price plus a 25% buffer, with tiers and packs that cover it', () => {
    // sdxl 1024x1024: ceil(4 × 1.048576) = 5 credits; 10 a day for 30 days = 1500, +25% = 1875.
    const plan = estimate(card, { imagesPerDay: 10, days: 30, model: 'sdxl', size: '1024x1024' });
    expect(plan.ok && plan.value).toMatchObject({ unitPrice: 5, images: 300, baseCredits: 1500, bufferCredits: 375, totalCredits: 1875, totalUsd: 18.75 });
    if (!plan.ok) return;
    // Free credits: 20 a day of the 63 needed daily → 600. Tiers (100/week → 428 over 30 days) fall short.
    expect(plan.value.freeCredits).toBe(600);
    expect(plan.value.tiers.map((t) => [t.tier.name, t.covers])).toEqual([
      ['starter', false],
      ['pro', false],
      ['ultra', false],
    ]);
    // 1275 short of free credits: medium + small (1700) for $15 — as cheap as 3 × small (1500) and more credits; 2 × medium is $20.
    expect(plan.value.packs).toMatchObject({ credits: 1700, priceUsd: 15 });
    expect(plan.value.packs?.items.map((p) => [p.pack.id, p.quantity])).toEqual([
      ['medium', 1],
      ['small', 1],
    ]);
    expect(plan.value.lowestTier.name).toBe('starter');
  });

  it('says a small plan is covered by free credits or a tier', () => {
    const plan = estimate(card, { imagesPerDay: 1, days: 7, model: 'schnell' });
    expect(plan.ok && plan.value.packs).toBeNull();
    // Free credits pay for all of it, and never for more than all of it.
    expect(plan.ok && plan.value.freeCredits).toBe(plan.ok ? plan.value.totalCredits : -1);
  });

  it('refuses out-of-range numbers, unknown models (with a suggestion) and sizes the model lacks', () => {
    expect(estimate(card, { imagesPerDay: 0, days: 30 })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/images-per-day must be a whole number from 1 to 1000/) },
    });
    expect(estimate(card, { imagesPerDay: 5, days: 400 })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/days must be .* 1 to 365/) } });
    expect(estimate(card, { imagesPerDay: 5, days: 30, model: 'sdxx' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Did you mean \*\*sdxl\*\*/) },
    });
    expect(estimate(card, { imagesPerDay: 5, days: 30, model: 'sdxl', size: '640x640' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/640x640/) },
    });
  });
});
