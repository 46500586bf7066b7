import { describe, expect, it } from 'vitest';
import { parsePriceCard } from '../../../../src/domain/pricing/parse-price-card.js';
import { problemsAfter, rawCard, setAt } from './card-fixture.js';

describe('parsePriceCard: shape of each field', () => {
  it('accepts a valid card and fills in optional defaults', () => {
    const result = parsePriceCard(rawCard(), 'test-card');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.tiers[0]?.rolloverPeriods).toBe(0);
  });

  it('returns a deeply frozen card', () => {
    const result = parsePriceCard(rawCard(), 'test-card');
    if (!result.ok) throw new Error(result.error.message);
    const card = result.value;
    expect([card, card.models, card.models['sdxl'], card.models['sdxl']?.sizes, card.tiers[0], card.batch].every(Object.isFrozen)).toBe(true);
  });

  it('names a missing required field', () => {
    expect(problemsAfter((raw) => setAt(raw, 'models.sdxl.baseCreditsPerMegapixel', undefined))).toEqual(['models.sdxl.baseCreditsPerMegapixel: is required']);
  });

  it('names a field of the wrong type and shows the value found', () => {
    expect(problemsAfter((raw) => setAt(raw, 'creditsPerDollar', 'lots'))).toEqual(['creditsPerDollar: must be a number, got "lots"']);
  });

  it('rejects a fractional value where a whole number is needed', () => {
    expect(problemsAfter((raw) => setAt(raw, 'models.sdxl.maxSteps', 49.5))).toEqual(['models.sdxl.maxSteps: must be a whole number, got 49.5']);
  });

  it('rejects an unknown key and suggests the field it is a typo of', () => {
    const problems = problemsAfter((raw) => {
      setAt(raw, 'models.sdxl.baseCreditsPerMegapxel', 4);
      setAt(raw, 'models.sdxl.baseCreditsPerMegapixel', undefined);
    });
    expect(problems).toContain('models.sdxl.baseCreditsPerMegapxel: unknown field (did you mean "baseCreditsPerMegapixel"?)');
    expect(problems).toContain('models.sdxl.baseCreditsPerMegapixel: is required');
  });

  it('lists the known fields when an unknown key resembles none of them', () => {
    const [problem] = problemsAfter((raw) => setAt(raw, 'operationFactors.sketch', 2));
    expect(problem).toBe('operationFactors.sketch: unknown field (known fields: txt2img, img2img, upscale, variation, inpaint, outpaint)');
  });

  it('rejects a negative price', () => {
    expect(problemsAfter((raw) => setAt(raw, 'models.dev.baseCreditsPerMegapixel', -12))).toEqual(['models.dev.baseCreditsPerMegapixel: must be more than 0']);
  });

  it('rejects a price with more than 6 decimal places', () => {
    expect(problemsAfter((raw) => setAt(raw, 'models.dev.baseCreditsPerMegapixel', 1.0000001))).toEqual([
      'models.dev.baseCreditsPerMegapixel: must have at most 6 decimal places',
    ]);
  });

  it('requires defaultSteps ≤ maxSteps, at n-1, n and n+1', () => {
    const withDefault = (steps: number) => problemsAfter((raw) => setAt(raw, 'models.dev.defaultSteps', steps));
    expect(withDefault(49)).toEqual([]);
    expect(withDefault(50)).toEqual([]);
    expect(withDefault(51)).toEqual(['models.dev.defaultSteps: must be ≤ maxSteps (50)']);
  });

  it.each([
    ['1024', '"1024" is not a size; write it as WIDTHxHEIGHT, e.g. "1024x1024"'],
    ['1020x1024', '"1020x1024": sides must be multiples of 8'],
    ['2056x1024', '"2056x1024": sides must be between 256 and 2048 pixels'],
    ['248x1024', '"248x1024": sides must be between 256 and 2048 pixels'],
  ])('rejects the size string %s', (size, reason) => {
    expect(problemsAfter((raw) => raw.models.sdxl.sizes.push(size))).toEqual([`models.sdxl.sizes[5]: ${reason}`]);
  });

  it('accepts sizes at the side limits 256 and 2048', () => {
    expect(problemsAfter((raw) => raw.models.sdxl.sizes.push('256x2048'))).toEqual([]);
  });

  it('rejects a size listed twice', () => {
    expect(problemsAfter((raw) => raw.models.sdxl.sizes.push('1024x1024'))).toEqual(['models.sdxl.sizes: lists "1024x1024" more than once']);
  });

  it('rejects an operation outside the fixed vocabulary', () => {
    expect(problemsAfter((raw) => raw.models.sdxl.operations.push('sketch'))).toEqual([
      'models.sdxl.operations[4]: must be one of txt2img, img2img, upscale, variation, inpaint, outpaint; got "sketch"',
    ]);
  });

  it('rejects a model name that is not a lowercase slug', () => {
    expect(problemsAfter((raw) => setAt(raw, 'models.My Model', raw.models.sdxl))).toEqual([
      'models["My Model"]: invalid name: must be 1–32 lowercase letters, digits, "-" or "_"',
    ]);
  });

  it('shows list items by their name so the operator can find them', () => {
    expect(problemsAfter((raw) => setAt(raw, 'tiers.2.queuePriority', 'urgent'))).toEqual([
      'tiers.pro.queuePriority: must be one of standard, priority, fastest, instant; got "urgent"',
    ]);
  });

  it('rejects a Discord SKU id that is not a snowflake', () => {
    expect(problemsAfter((raw) => setAt(raw, 'packs.1.discordSkuId', '12345'))).toEqual([
      'packs.medium.discordSkuId: must be a Discord snowflake: 17–20 digits, in quotes',
    ]);
  });

  it('rejects a pack price in fractions of a cent', () => {
    expect(problemsAfter((raw) => setAt(raw, 'packs.0.priceUsd', 4.999))).toEqual(['packs.small.priceUsd: must be in whole cents (at most 2 decimal places)']);
  });

  it('reports every problem at once, not only the first', () => {
    const problems = problemsAfter((raw) => {
      setAt(raw, 'creditsPerDollar', 0);
      setAt(raw, 'freeDailyCredits', -1);
      setAt(raw, 'models.schnell.label', '');
    });
    expect(problems).toEqual(['creditsPerDollar: must be more than 0', 'freeDailyCredits: must be ≥ 0', 'models.schnell.label: must not be empty']);
  });

  it('explains a card that is not a mapping at all', () => {
    const result = parsePriceCard(null, 'empty.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toBe('Price card empty.yaml has 1 problem:\n  - (whole card): must be a mapping (key: value lines), got an empty value');
    }
  });

  it('puts the source and one line per problem in the message', () => {
    const raw = rawCard();
    setAt(raw, 'models.dev.defaultSteps', 60);
    setAt(raw, 'tiers.1.maxBatch', 0);
    const result = parsePriceCard(raw, 'cards/price-card.yaml');
    expect(result.ok ? '' : result.error.message).toBe(
      [
        'Price card cards/price-card.yaml has 2 problems:',
        '  - models.dev.defaultSteps: must be ≤ maxSteps (50)',
        '  - tiers.starter.maxBatch: must be more than 0',
      ].join('\n'),
    );
  });
});
