import { describe, expect, it } from 'vitest';
import { quote, type QuoteRequest } from '../../../../src/domain/pricing/quote.js';
import type { QuoteRejection } from '../../../../src/domain/pricing/quote-rejection.js';
import { testCard, tierOf } from './card-fixture.js';

const card = testCard();

function rejection(request: QuoteRequest, tierName: string): QuoteRejection {
  const result = quote(card, request, tierOf(card, tierName));
  if (result.ok) throw new Error(`Expected a rejection, got a quote of ${result.value.total}`);
  return result.error;
}

describe('quote rejections', () => {
  it('rejects an unknown model, listing the models and guessing the intended one', () => {
    expect(rejection({ model: 'sdx1' }, 'ultra')).toEqual({
      code: 'unknown-model',
      model: 'sdx1',
      available: ['schnell', 'sdxl', 'dev', 'pro'],
      message: 'There is no model called "sdx1". Did you mean sdxl? Models: schnell, sdxl, dev, pro.',
    });
  });

  it('does not mistake inherited object keys for models', () => {
    expect(rejection({ model: 'constructor' }, 'ultra').code).toBe('unknown-model');
    expect(rejection({ model: '__proto__' }, 'ultra').code).toBe('unknown-model');
  });

  it('rejects a model outside the tier and names the lowest tier that unlocks it', () => {
    expect(rejection({ model: 'dev' }, 'starter')).toEqual({
      code: 'model-not-in-tier',
      model: 'dev',
      tier: 'starter',
      unlockedBy: 'pro',
      message: 'Model premium (dev) is not included in your tier (Starter). The Pro tier unlocks it.',
    });
    expect(rejection({ model: 'pro' }, 'none')).toMatchObject({ unlockedBy: 'ultra' });
  });

  it('rejects an operation the model does not support, listing those it does', () => {
    expect(rejection({ model: 'schnell', operation: 'upscale' }, 'none')).toEqual({
      code: 'operation-not-supported',
      model: 'schnell',
      operation: 'upscale',
      supported: ['txt2img', 'variation'],
      message: 'Model fast (schnell) does not do upscale; it does txt2img, variation.',
    });
  });

  it.each(['2048x2048', '21:9', 'huge'])('rejects the size %s, listing the allowed sizes', (size) => {
    expect(rejection({ model: 'sdxl', size }, 'ultra')).toMatchObject({
      code: 'size-not-allowed',
      size,
      allowed: ['1024x1024', '1000x1000', '1344x768', '768x1344', '1216x832'],
      message:
        `Model quality (sdxl) does not offer the size "${size}". Choose one of 1024x1024 (1:1), 1000x1000 (1:1), ` +
        '1344x768 (16:9), 768x1344 (9:16), 1216x832 (3:2), or one of those aspect ratios.',
    });
  });

  it('accepts steps from 1 to the model maximum and rejects 0 and max + 1', () => {
    const ultra = tierOf(card, 'ultra');
    expect(quote(card, { model: 'sdxl', steps: 1 }, ultra).ok).toBe(true);
    expect(quote(card, { model: 'sdxl', steps: 50 }, ultra).ok).toBe(true);
    expect(rejection({ model: 'sdxl', steps: 0 }, 'ultra')).toMatchObject({ code: 'steps-out-of-range', max: 50, unlockedBy: null });
    expect(rejection({ model: 'sdxl', steps: 51 }, 'ultra')).toEqual({
      code: 'steps-out-of-range',
      model: 'sdxl',
      steps: 51,
      max: 50,
      tier: 'ultra',
      unlockedBy: null,
      message: 'Steps for Model quality (sdxl) must be from 1 to 50 (you asked for 51).',
    });
  });

  it('caps steps at the tier maximum (40 for starter) and says which tier allows more', () => {
    const starter = tierOf(card, 'starter');
    expect(quote(card, { model: 'sdxl', steps: 40 }, starter).ok).toBe(true);
    expect(rejection({ model: 'sdxl', steps: 41 }, 'starter')).toMatchObject({
      code: 'steps-out-of-range',
      max: 40,
      unlockedBy: 'pro',
      message: 'Steps for Model quality (sdxl) must be from 1 to 40 in your tier (Starter) (you asked for 41). The Pro tier allows more.',
    });
    expect(rejection({ model: 'sdxl', steps: 51 }, 'starter')).toMatchObject({ max: 40, unlockedBy: null });
  });

  it('rejects a count below 1', () => {
    expect(rejection({ model: 'sdxl', count: 0 }, 'starter')).toEqual({
      code: 'count-out-of-range',
      count: 0,
      max: 4,
      message: 'Count must be from 1 to 4 (you asked for 0).',
    });
  });

  it("allows batches up to the tier's max (4 for starter) and names the tier that allows more", () => {
    const starter = tierOf(card, 'starter');
    expect(quote(card, { model: 'sdxl', count: 3 }, starter).ok).toBe(true);
    expect(quote(card, { model: 'sdxl', count: 4 }, starter).ok).toBe(true);
    expect(rejection({ model: 'sdxl', count: 5 }, 'starter')).toEqual({
      code: 'batch-over-tier-limit',
      count: 5,
      maxBatch: 4,
      tier: 'starter',
      unlockedBy: 'pro',
      message: 'Your tier (Starter) allows up to 4 images at once (you asked for 5). The Pro tier allows 8.',
    });
  });

  it('names no tier when even the best tier cannot batch that many', () => {
    expect(rejection({ model: 'sdxl', count: 17 }, 'ultra')).toMatchObject({ unlockedBy: null, maxBatch: 16 });
    expect(rejection({ model: 'schnell', count: 2 }, 'none').message).toBe(
      'Your tier (None) allows up to 1 image at once (you asked for 2). The Starter tier allows 4.',
    );
  });

  it.each([
    ['steps', 2.5, 'Steps must be a whole number (you asked for 2.5).'],
    ['count', 1.5, 'Count must be a whole number (you asked for 1.5).'],
    ['count', Number.NaN, 'Count must be a whole number (you asked for NaN).'],
  ] as const)('rejects a %s of %d as not a whole number', (field, value, message) => {
    expect(rejection({ model: 'sdxl', [field]: value }, 'ultra')).toEqual({ code: 'not-a-whole-number', field, value, message });
  });
});
