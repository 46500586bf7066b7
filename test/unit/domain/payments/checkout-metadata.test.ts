import { describe, expect, it } from 'vitest';
import { checkoutMetadata, parseCheckoutMetadata, priceInCents } from '../../../../src/domain/payments/checkout-metadata.js';

const pack = { id: 'credits-1200', credits: 1200, priceUsd: 10 };
const user = '350000000000000001';
const guild = '250000000000000001';

describe('checkout metadata', () => {
  it('round-trips who buys, where, which pack and the credits shown', () => {
    const metadata = checkoutMetadata({ userId: user, guildId: guild, pack });
    expect(metadata).toEqual({ userId: user, guildId: guild, packId: 'credits-1200', credits: '1200' });
    expect(parseCheckoutMetadata(metadata)).toEqual({ ok: true, value: { userId: user, guildId: guild, packId: 'credits-1200', credits: 1200 } });
  });

  it.each([
    [{ guildId: guild, packId: 'p', credits: '5' }, 'userId'],
    [{ userId: 'not-a-snowflake', guildId: guild, packId: 'p', credits: '5' }, 'userId'],
    [{ userId: user, packId: 'p', credits: '5' }, 'guildId'],
    [{ userId: user, guildId: guild, credits: '5' }, 'packId'],
    [{ userId: user, guildId: guild, packId: 'p' }, 'credits'],
    [{ userId: user, guildId: guild, packId: 'p', credits: '-3' }, 'credits'],
    [{ userId: user, guildId: guild, packId: 'p', credits: '1.5' }, 'credits'],
  ])('refuses %j, naming %s', (metadata, field) => {
    expect(parseCheckoutMetadata(metadata as Record<string, string>)).toEqual({ ok: false, error: { code: 'missing_metadata', field } });
  });

  it('prices in whole cents without float noise', () => {
    expect(priceInCents({ ...pack, priceUsd: 19.99 })).toBe(1999);
    expect(priceInCents({ ...pack, priceUsd: 0.29 })).toBe(29);
  });
});
