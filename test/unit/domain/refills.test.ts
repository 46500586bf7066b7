import { describe, expect, it } from 'vitest';
import { nextRefills } from '../../../src/domain/credits/refills.js';
import { testCard, tierOf } from './pricing/card-fixture.js';

const card = testCard((raw) => {
  raw.tiers.forEach((tier, i) => (tier.allowance = [0, 200, 450, 1000][i]!));
});
// A Wednesday afternoon: free credits at the next UTC midnight, weekly allowances on Monday.
const now = new Date('2026-11-25T15:00:00Z');

describe('when a member short of credits gets more without paying', () => {
  it('a member without a tier: tomorrow’s free credits, and the lowest tier that gives an allowance', () => {
    expect(nextRefills(card, tierOf(card, 'none'), 20, now)).toEqual({
      free: { amount: 20, at: new Date('2026-11-26T00:00:00Z') },
      tier: null,
      better: { label: 'Starter', allowance: 200, period: 'weekly' },
    });
  });

  it('a tier member: their allowance’s renewal too; no free line where the server gives none; no better tier at the top', () => {
    const refills = nextRefills(card, tierOf(card, 'ultra'), 0, now);
    expect(refills.free).toBeNull();
    expect(refills.tier).toEqual({ label: 'Ultra', amount: 1000, at: new Date('2026-11-30T00:00:00Z') });
    expect(refills.better).toBeNull();
  });
});
