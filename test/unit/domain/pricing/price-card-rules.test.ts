import { describe, expect, it } from 'vitest';
import { problemsAfter, setAt } from './card-fixture.js';

describe('price card rules across fields', () => {
  it('requires a "none" tier', () => {
    expect(problemsAfter((raw) => setAt(raw, 'tiers.0.name', 'free'))).toEqual([
      'tiers.free.name: a tier named "none" is required (members without a tier role), listed first',
    ]);
  });

  it('requires the "none" tier to be listed first', () => {
    expect(problemsAfter((raw) => raw.tiers.reverse())).toContainEqual(
      'tiers.ultra.name: the "none" tier must come first (tiers are listed from lowest to best)',
    );
  });

  it('rejects two tiers with the same name', () => {
    expect(problemsAfter((raw) => setAt(raw, 'tiers.3.name', 'pro'))).toEqual(['tiers: tier name "pro" is used more than once']);
  });

  it('rejects a tier that lists a model class no model has', () => {
    expect(problemsAfter((raw) => setAt(raw, 'tiers.1.modelClasses', ['fast', 'qualty']))).toEqual([
      'tiers.starter.modelClasses[1]: no model has class "qualty" (model classes: fast, quality, premium, ultra)',
    ]);
  });

  it('rejects a model whose class no tier lists, since nobody could use it', () => {
    expect(problemsAfter((raw) => setAt(raw, 'models.pro.class', 'secret'))).toContainEqual(
      'models.pro.class: no tier lists class "secret" in its modelClasses, so no member could use this model',
    );
  });

  it('rejects a card without models', () => {
    expect(problemsAfter((raw) => setAt(raw, 'models', {}))).toContainEqual('models: at least one model is required');
  });

  it('limits a tier maxBatch to the batch table, at n-1, n and n+1', () => {
    const withMaxBatch = (n: number) => problemsAfter((raw) => setAt(raw, 'tiers.3.maxBatch', n));
    expect(withMaxBatch(15)).toEqual([]);
    expect(withMaxBatch(16)).toEqual([]);
    expect(withMaxBatch(17)).toEqual(["tiers.ultra.maxBatch: 17 is more than the batch table's largest count (16)"]);
  });

  it('rejects a tier maxSteps below the default steps of a model it may use', () => {
    expect(problemsAfter((raw) => setAt(raw, 'tiers.1.maxSteps', 29))).toEqual([
      'tiers.starter.maxSteps: 29 is below the default steps of sdxl (30), so its default could not run',
    ]);
    expect(problemsAfter((raw) => setAt(raw, 'tiers.1.maxSteps', 30))).toEqual([]);
  });

  it('requires the batch table to start with count 1 at multiplier 1', () => {
    const expected = 'batch[0]: must be { count: 1, multiplier: 1 } (one image costs its unit price)';
    expect(problemsAfter((raw) => raw.batch.shift())).toContainEqual(expected);
    expect(problemsAfter((raw) => setAt(raw, 'batch.0.multiplier', 0.9))).toContainEqual(expected);
  });

  it('requires batch counts to increase', () => {
    expect(problemsAfter((raw) => setAt(raw, 'batch.3.count', 3))).toEqual(['batch[3].count: must be more than the count before it (3)']);
  });

  it('rejects a bigger batch that costs less in total', () => {
    expect(problemsAfter((raw) => setAt(raw, 'batch.2.multiplier', 1.7))).toContainEqual(
      'batch[2].multiplier: must be ≥ the multiplier before it (1.8): a bigger batch never costs less in total',
    );
  });

  it('rejects a bigger batch that costs more per image, and accepts an equal per-image price', () => {
    expect(problemsAfter((raw) => setAt(raw, 'batch.1.multiplier', 2.01))).toContainEqual(
      'batch[1].multiplier: 2.01/2 per image is more than 1/1: a bigger batch never costs more per image',
    );
    // 1.5/2 = 3/4 exactly: no discount growth, but no negative discount either.
    expect(problemsAfter((raw) => raw.batch.splice(1, 3, { count: 2, multiplier: 1.5 }, { count: 4, multiplier: 3 }))).toEqual([]);
  });

  it('rejects two packs with the same id or the same Discord SKU', () => {
    const problems = problemsAfter((raw) => {
      setAt(raw, 'packs.1.id', 'small');
      setAt(raw, 'packs.1.discordSkuId', '1234567890123456789');
    });
    expect(problems).toEqual(['packs: pack id "small" is used more than once', 'packs: discordSkuId "1234567890123456789" is used by more than one pack']);
  });

  it('rejects a pack priced worse than the base rate, at the exact rate and one cent above', () => {
    expect(problemsAfter((raw) => setAt(raw, 'packs.0.priceUsd', 5))).toEqual([]);
    expect(problemsAfter((raw) => setAt(raw, 'packs.0.priceUsd', 5.01))).toEqual([
      'packs.small.priceUsd: $5.01 for 500 credits is worse than the base rate of 100 credits per $1',
    ]);
  });
});
