import { describe, expect, it } from 'vitest';
import { findPack, packForSku, packOffer, packOffers } from '../../../../src/domain/pricing/packs.js';
import { testCard } from './card-fixture.js';

const card = testCard();

describe('top-up packs', () => {
  it('computes the bulk discount from the base rate instead of storing it', () => {
    expect(packOffers(card).map(({ pack, nominalUsd, bonusCredits, discountPercent }) => [pack.id, nominalUsd, bonusCredits, discountPercent])).toEqual([
      ['small', 5, 0, 0],
      ['medium', 12, 200, 16.7],
    ]);
  });

  it('rounds fractional bonus credits down', () => {
    const odd = testCard((raw) => {
      raw.creditsPerDollar = 150;
      raw.packs = [{ id: 'odd', credits: 1000, priceUsd: 4.99 }];
    });
    const [pack] = odd.packs;
    if (!pack) throw new Error('fixture has a pack');
    // $4.99 buys 748.5 credits at the base rate; 251.5 are a bonus.
    expect(packOffer(odd, pack)).toMatchObject({ bonusCredits: 251, discountPercent: 25.2 });
  });

  it('finds packs by id and by Discord SKU', () => {
    expect(findPack(card, 'medium')?.credits).toBe(1200);
    expect(findPack(card, 'giant')).toBeUndefined();
    expect(packForSku(card, '1234567890123456789')?.id).toBe('small');
    expect(packForSku(card, '9999999999999999999')).toBeUndefined();
  });
});
