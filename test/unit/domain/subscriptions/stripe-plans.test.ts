// How Stripe's account of a card plan becomes the bot's tier and paid periods (pure rules).
import { describe, expect, it } from 'vitest';
import type { PriceCard } from '../../../../src/domain/pricing/price-card-schema.js';
import {
  paidInvoicePeriod,
  parsePlanMetadata,
  planMetadata,
  refundedShare,
  subscriptionChange,
  type PaidInvoice,
  type StripeSubscriptionState,
} from '../../../../src/domain/subscriptions/stripe-plans.js';
import { findPlan } from '../../../../src/domain/subscriptions/plans.js';
import { loadPriceCardOrThrow } from '../../../../src/pricing/load-price-card.js';

const card: PriceCard = await loadPriceCardOrThrow();
const USER = '380000000000000001';
const start = new Date('2026-11-20T09:00:00Z');
const end = new Date('2026-11-27T09:00:00Z');
const now = new Date('2026-11-22T12:00:00Z');

const state = (overrides: Partial<StripeSubscriptionState> = {}): StripeSubscriptionState => ({
  id: 'sub_1',
  customerId: 'cus_1',
  status: 'active',
  cancelAtPeriodEnd: false,
  cancelAt: null,
  endedAt: null,
  periodStart: start,
  periodEnd: end,
  metadata: { userId: USER, planId: 'pro-week' },
  ...overrides,
});

describe('plan metadata', () => {
  it('names the member and the plan, and is refused without either', () => {
    const metadata = planMetadata({ userId: USER, guildId: '380000000000000002', plan: findPlan(card, 'ultra-year')! });
    expect(metadata).toEqual({ userId: USER, guildId: '380000000000000002', planId: 'ultra-year', tier: 'ultra' });
    expect(parsePlanMetadata(metadata)).toEqual({ ok: true, value: { userId: USER, planId: 'ultra-year' } });
    expect(parsePlanMetadata({ planId: 'pro-week' })).toMatchObject({ ok: false, error: { field: 'userId' } });
    expect(parsePlanMetadata({ userId: 'not-a-snowflake', planId: 'pro-week' })).toMatchObject({ ok: false, error: { field: 'userId' } });
    expect(parsePlanMetadata({ userId: USER })).toMatchObject({ ok: false, error: { field: 'planId' } });
    expect(parsePlanMetadata(null)).toMatchObject({ ok: false });
  });
});

describe('subscriptionChange', () => {
  it('records a live plan with its period; cancelled at the period end it is ending', () => {
    expect(subscriptionChange(card, state(), null, now)).toMatchObject({
      ok: true,
      value: {
        kind: 'record',
        record: { userId: USER, tierName: 'pro', renewalTierName: null, interval: 'week', periodStart: start, periodEnd: end, status: 'active' },
      },
    });
    expect(subscriptionChange(card, state({ cancelAtPeriodEnd: true }), null, now)).toMatchObject({ value: { record: { status: 'ending' } } });
    // Stripe is retrying a failed renewal: the tier lasts.
    expect(subscriptionChange(card, state({ status: 'past_due' }), null, now)).toMatchObject({ value: { kind: 'record' } });
  });

  it('an upgrade in the paid period takes the new tier; a downgrade keeps the paid tier until the renewal', () => {
    const previous = { tierName: 'pro', periodStart: start, ended: false };
    expect(subscriptionChange(card, state({ metadata: { userId: USER, planId: 'ultra-week' } }), previous, now)).toMatchObject({
      value: { record: { tierName: 'ultra', renewalTierName: null } },
    });
    expect(subscriptionChange(card, state({ metadata: { userId: USER, planId: 'starter-week' } }), previous, now)).toMatchObject({
      value: { record: { tierName: 'pro', renewalTierName: 'starter' } },
    });
    // At the renewal (a new period) the lower tier applies.
    const renewed = state({ metadata: { userId: USER, planId: 'starter-week' }, periodStart: end, periodEnd: new Date(end.getTime() + 7 * 86_400_000) });
    expect(subscriptionChange(card, renewed, previous, now)).toMatchObject({ value: { record: { tierName: 'starter', renewalTierName: null } } });
  });

  it('ends the tier when Stripe has: cancelled (at its end), unpaid after the last retry (now), or never paid', () => {
    const endedAt = new Date('2026-11-27T09:00:00Z');
    expect(subscriptionChange(card, state({ status: 'canceled', endedAt }), null, now)).toMatchObject({
      value: { kind: 'end', userId: USER, endsAt: endedAt },
    });
    expect(subscriptionChange(card, state({ status: 'unpaid' }), null, now)).toMatchObject({ value: { kind: 'end', endsAt: now } });
    expect(subscriptionChange(card, state({ status: 'incomplete_expired' }), null, now)).toMatchObject({ value: { kind: 'end' } });
  });

  it('stores nothing for a plan not paid yet, and refuses a plan the card does not sell', () => {
    expect(subscriptionChange(card, state({ status: 'incomplete' }), null, now)).toMatchObject({ value: { kind: 'wait' } });
    expect(subscriptionChange(card, state({ metadata: { userId: USER, planId: 'gold-week' } }), null, now)).toMatchObject({
      ok: false,
      error: { code: 'unknown_plan', planId: 'gold-week' },
    });
  });
});

describe('paidInvoicePeriod', () => {
  const invoice = (overrides: Partial<PaidInvoice> = {}): PaidInvoice => ({
    id: 'in_1',
    subscriptionId: 'sub_1',
    status: 'paid',
    metadata: { userId: USER, planId: 'pro-week' },
    lines: [{ amountCents: 399, periodStart: start, periodEnd: end, proration: false }],
    ...overrides,
  });

  it('a renewal: the plan’s credits for the invoiced period, expiring at the renewal, named by the invoice', () => {
    expect(paidInvoicePeriod(card, invoice(), { start, end })).toMatchObject({
      ok: true,
      value: { userId: USER, reference: 'stripe-invoice:in_1', credits: 450, periodStart: start, periodEnd: end, expiresAt: end },
    });
    const year = new Date('2027-11-20T09:00:00Z');
    expect(
      paidInvoicePeriod(
        card,
        invoice({ metadata: { userId: USER, planId: 'max-year' }, lines: [{ amountCents: 64_999, periodStart: start, periodEnd: year, proration: false }] }),
        null,
      ),
    ).toMatchObject({ value: { credits: 104_000, expiresAt: year } });
  });

  it('an upgrade’s invoice covers the whole current period (the ledger grants the difference), ignoring the old plan’s credit line', () => {
    const change = new Date('2026-11-22T09:00:00Z');
    const upgrade = invoice({
      metadata: { userId: USER, planId: 'ultra-week' },
      lines: [
        { amountCents: -285, periodStart: change, periodEnd: end, proration: true },
        { amountCents: 571, periodStart: change, periodEnd: end, proration: true },
      ],
    });
    expect(paidInvoicePeriod(card, upgrade, { start, end })).toMatchObject({ value: { credits: 1000, periodStart: start, periodEnd: end } });
  });

  it('a renewal that also bills a plan change made in the period before grants the new period only, in full', () => {
    const change = new Date('2026-11-22T09:00:00Z');
    const next = new Date('2026-12-04T09:00:00Z');
    const renewal = invoice({
      metadata: { userId: USER, planId: 'ultra-week' },
      lines: [
        { amountCents: -285, periodStart: change, periodEnd: end, proration: true },
        { amountCents: 571, periodStart: change, periodEnd: end, proration: true },
        { amountCents: 799, periodStart: end, periodEnd: next, proration: false },
      ],
    });
    expect(paidInvoicePeriod(card, renewal, { start: end, end: next })).toMatchObject({ value: { credits: 1000, periodStart: end, periodEnd: next } });
  });

  it('grants nothing for an unpaid invoice, one that charged nothing, or an unknown plan', () => {
    expect(paidInvoicePeriod(card, invoice({ status: 'open' }), null)).toMatchObject({ ok: false, error: { code: 'not_paid' } });
    expect(paidInvoicePeriod(card, invoice({ lines: [{ amountCents: -100, periodStart: start, periodEnd: end, proration: true }] }), null)).toMatchObject({
      error: { code: 'nothing_charged' },
    });
    expect(paidInvoicePeriod(card, invoice({ metadata: { userId: USER, planId: 'nope-week' } }), null)).toMatchObject({ error: { code: 'unknown_plan' } });
  });
});

describe('refundedShare', () => {
  it('is the refunded part of the payment, all of it when fully refunded or unknown', () => {
    expect(refundedShare(17_999, 4_500)).toBeCloseTo(0.25, 3);
    expect(refundedShare(399, 399)).toBe(1);
    expect(refundedShare(399, 500)).toBe(1);
    expect(refundedShare(0, 0)).toBe(1);
    expect(refundedShare(399, 0)).toBe(0);
  });
});
