import { describe, expect, it } from 'vitest';
import { refundTarget } from '../../../../src/domain/payments/payment-reversal.js';

describe('how much a refund takes back', () => {
  it.each([
    [1200, 1000, 1000, 1200, 'a full refund: all of it'],
    [1200, 1000, 300, 360, '30% refunded: 30%'],
    [1200, 1000, 1, 1, 'a cent: rounded down'],
    [100, 999, 500, 50, 'rounded down, never up'],
    [1200, 1000, 0, 0, 'nothing refunded: nothing'],
    [1200, 1000, 5000, 1200, 'more than paid: all of it, not more'],
    [1200, 0, 10, 1200, 'an unknown paid amount: all of it'],
  ])('%i credits, %i paid, %i refunded → %i (%s)', (credits, paid, refunded, expected) => {
    expect(refundTarget(credits, paid, refunded)).toBe(expected);
  });
});
