import { describe, expect, it } from 'vitest';
import {
  bestTier,
  compareTiers,
  defaultModelFor,
  lowestTierAbove,
  maxStepsFor,
  modelsForTier,
  resolveMemberTier,
  tierRank,
} from '../../../src/domain/tiers.js';
import { testCard, tierOf } from './pricing/card-fixture.js';

const card = testCard();

describe('tier ranking', () => {
  it('ranks tiers by their order on the card, unknown names lowest', () => {
    expect(card.tiers.map((t) => tierRank(card, t.name))).toEqual([0, 1, 2, 3]);
    expect(tierRank(card, 'platinum')).toBe(-1);
    expect(['ultra', 'none', 'platinum', 'pro'].sort((a, b) => compareTiers(card, a, b))).toEqual(['platinum', 'none', 'pro', 'ultra']);
  });

  it('picks the best of several tiers', () => {
    expect(bestTier(card, ['starter', 'ultra', 'pro']).name).toBe('ultra');
    expect(bestTier(card, ['pro', 'starter']).name).toBe('pro');
  });

  it('falls back to "none" for no tiers or only unknown ones', () => {
    expect(bestTier(card, []).name).toBe('none');
    expect(bestTier(card, ['platinum']).name).toBe('none');
  });
});

describe('resolveMemberTier', () => {
  const mapping = new Map([
    ['role-starter', 'starter'],
    ['role-pro', 'pro'],
    ['role-retired', 'gold'],
  ]);

  it('gives a member with several tier roles the best', () => {
    expect(resolveMemberTier(card, ['role-x', 'role-starter', 'role-pro'], mapping).name).toBe('pro');
  });

  it('gives a member without tier roles the "none" tier', () => {
    expect(resolveMemberTier(card, ['role-x'], mapping).name).toBe('none');
    expect(resolveMemberTier(card, [], mapping).name).toBe('none');
  });

  it('ignores a role mapped to a tier the card no longer has', () => {
    expect(resolveMemberTier(card, ['role-retired', 'role-starter'], mapping).name).toBe('starter');
  });
});

describe('what a tier may use', () => {
  it('lists the models of the classes a tier unlocks', () => {
    expect(modelsForTier(card, tierOf(card, 'none'))).toEqual(['schnell']);
    expect(modelsForTier(card, tierOf(card, 'pro'))).toEqual(['schnell', 'sdxl', 'dev']);
    expect(modelsForTier(card, tierOf(card, 'ultra'))).toEqual(['schnell', 'sdxl', 'dev', 'pro']);
  });

  it('offers the first usable model for an operation as the default', () => {
    expect(defaultModelFor(card, tierOf(card, 'none'))).toBe('schnell');
    expect(defaultModelFor(card, tierOf(card, 'starter'), 'img2img')).toBe('sdxl');
    expect(defaultModelFor(card, tierOf(card, 'none'), 'upscale')).toBeUndefined();
  });

  it('finds the lowest better tier that satisfies a need', () => {
    expect(lowestTierAbove(card, tierOf(card, 'none'), (t) => t.maxBatch >= 5)?.name).toBe('pro');
    expect(lowestTierAbove(card, tierOf(card, 'ultra'), () => true)).toBeUndefined();
  });

  it("limits steps by the tier's cap below the model maximum", () => {
    const sdxl = card.models['sdxl'];
    if (!sdxl) throw new Error('fixture has sdxl');
    expect(maxStepsFor(tierOf(card, 'starter'), sdxl)).toBe(40);
    expect(maxStepsFor(tierOf(card, 'pro'), sdxl)).toBe(50);
  });
});
