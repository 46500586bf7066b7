// POST /stripe/webhook: Stripe tells us a checkout finished, or that a payment was refunded or
// disputed (the credits it bought are taken back). Only a request signed with the
// endpoint's secret is believed. Stripe retries anything but a 2xx for days, so a 4xx/5xx is kept
// for "try again later makes sense" (bad signature: not from Stripe; 500: our database was down);
// an event we can never act on (unknown pack, missing metadata, a total or currency that is not
// the pack's price on the card) answers 200 and is logged loudly.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { HttpRoute } from '../observability/health-server.js';
import type { Logger } from '../shared/logger.js';
import type { Ledger } from '../use-cases/ports/ledger.js';
import type { PurchaseNotifier } from '../use-cases/ports/purchase-notifier.js';
import { redeemCheckoutSession } from '../use-cases/redeem-checkout-session.js';
import { reverseCardPayment, type CardPaymentReversal } from '../use-cases/reverse-card-payment.js';
import type { Checkout } from '../use-cases/ports/checkout.js';
import { completedCheckout } from './stripe-checkout.js';
import { isPlanEvent, type StripePlanEvents } from './stripe-plan-events.js';
import { errorMessage } from '../shared/error-message.js';

export const stripeWebhookPath = '/stripe/webhook';

export interface StripeWebhookRouteOptions {
  readonly webhookSecret: string;
  readonly ledger: Ledger;
  /** Finds the checkout a refunded or disputed payment paid for. */
  readonly checkout: Checkout;
  readonly card: PriceCard;
  readonly notifier: PurchaseNotifier;
  readonly log: Logger;
  /** Card plans (subscriptions): their events, and refunds of their invoices. @defaultValue none: subscription events are ignored */
  readonly plans?: StripePlanEvents | undefined;
  /** Stripe's events are a few KiB; anything far larger is not one. @defaultValue 1 MiB */
  readonly maxBodyBytes?: number;
}

/** The events that mean "this checkout is paid" (the second for delayed methods such as bank debits). */
const paidEvents = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

const idOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === 'string' ? value : (value?.id ?? null));

/** A refund or dispute event as the reversal it asks for; null for one that changes nothing (a lost dispute's close). */
function reversalOf(event: Stripe.Event): CardPaymentReversal | null {
  switch (event.type) {
    case 'charge.refunded': {
      const charge = event.data.object;
      const paymentId = idOf(charge.payment_intent);
      return paymentId === null ? null : { kind: 'refunded', chargeId: charge.id, paymentId, paidCents: charge.amount, refundedCents: charge.amount_refunded };
    }
    case 'charge.dispute.created': {
      const dispute = event.data.object;
      const paymentId = idOf(dispute.payment_intent);
      return paymentId === null ? null : { kind: 'disputed', disputeId: dispute.id, paymentId };
    }
    case 'charge.dispute.closed':
      // Lost (or warning_closed): what the dispute took stays taken.
      return event.data.object.status === 'won' ? { kind: 'dispute_won', disputeId: event.data.object.id } : null;
    default:
      return null;
  }
}

const reversalEvents = new Set(['charge.refunded', 'charge.dispute.created', 'charge.dispute.closed']);

class BodyTooLarge extends Error {}

/** The exact bytes Stripe signed: parsing or re-encoding them would break the signature. */
async function readRawBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const answer = (response: ServerResponse, status: number, body: Record<string, unknown>): true => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
  return true;
};

export function createStripeWebhookRoute(options: StripeWebhookRouteOptions): HttpRoute {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const log = options.log.child({ route: stripeWebhookPath });

  /** A refund or dispute: take back (or give back) the credits of the purchase it concerns. */
  async function reverse(event: Stripe.Event, response: ServerResponse): Promise<true> {
    const reversal = reversalOf(event);
    const context = { eventId: event.id, eventType: event.type };
    if (reversal === null) {
      log.info(context, 'payment event that changes no credits');
      return answer(response, 200, { received: true, changed: false });
    }
    let reversed: Awaited<ReturnType<typeof reverseCardPayment>>;
    try {
      reversed = await reverseCardPayment({ ledger: options.ledger, checkout: options.checkout, notifier: options.notifier, reversal });
    } catch (error) {
      // Nothing was taken (each ledger call is one transaction); Stripe sends the event again later.
      log.error({ ...context, err: error }, 'reversing a payment failed; Stripe will retry');
      return answer(response, 500, { error: 'could not record the reversal; retry later' });
    }
    if (!reversed.ok && reversed.error.code === 'not_our_payment' && reversal.kind !== 'dispute_won' && options.plans) {
      // Not a pack's checkout: perhaps a card plan's invoice. A dispute takes it back in full.
      const charge =
        reversal.kind === 'refunded'
          ? {
              kind: reversal.kind,
              chargeId: reversal.chargeId,
              paymentId: reversal.paymentId,
              paidCents: reversal.paidCents,
              refundedCents: reversal.refundedCents,
            }
          : { kind: reversal.kind, chargeId: reversal.disputeId, paymentId: reversal.paymentId, paidCents: 1, refundedCents: 1 };
      try {
        const planned = await options.plans.refund(charge, context);
        if (planned) return answer(response, planned.status, planned.body);
      } catch (error) {
        log.error({ ...context, err: error }, 'taking back a card plan failed; Stripe will retry');
        return answer(response, 500, { error: 'could not record the refund; retry later' });
      }
    }
    if (!reversed.ok && reversed.error.code === 'purchase_not_found') {
      // Our checkout, but its grant has not been recorded yet (events can arrive out of order):
      // Stripe sends this again later, by when the grant is there to take back from.
      log.warn({ ...context, reversal }, 'payment reversed before its purchase was granted; Stripe will retry');
      return answer(response, 500, { error: 'purchase not granted yet; retry later' });
    }
    if (!reversed.ok) {
      // Not one of our purchases, or one we cannot read: an operator should look at it.
      log.error({ ...context, reversal, problem: reversed.error }, 'payment reversal NOT applied: needs an operator');
      return answer(response, 200, { received: true, changed: false, reason: reversed.error.code });
    }
    const { userId, credits, alreadySpent, notice } = reversed.value;
    const what = reversal.kind === 'dispute_won' ? 'credits given back after a won dispute' : 'purchased credits taken back';
    log.warn({ ...context, userId, credits, alreadySpent, notice: notice.status }, credits > 0 ? what : 'payment reversal already applied: nothing more');
    if (alreadySpent > 0 && credits > 0) log.warn({ ...context, userId, alreadySpent }, 'the member had already spent part of the reversed purchase');
    if (notice.status === 'failed') log.warn({ ...context, userId, err: errorMessage(notice.error) }, 'could not tell the member about the reversal');
    return answer(response, 200, { received: true, changed: credits > 0 });
  }

  return async (request, response) => {
    if (new URL(request.url ?? '/', 'http://local').pathname !== stripeWebhookPath) return false;
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return answer(response, 405, { error: 'use POST' });
    }
    let raw: Buffer;
    try {
      raw = await readRawBody(request, limit);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      response.setHeader('connection', 'close');
      return answer(response, 413, { error: 'body too large' });
    }
    const signature = request.headers['stripe-signature'];
    if (typeof signature !== 'string' || signature === '') {
      log.warn('webhook without a Stripe-Signature header refused');
      return answer(response, 400, { error: 'missing Stripe-Signature header' });
    }
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(raw, signature, options.webhookSecret);
    } catch (error) {
      log.warn({ err: errorMessage(error) }, 'webhook with a bad signature refused');
      return answer(response, 400, { error: 'bad signature' });
    }
    if (reversalEvents.has(event.type)) return reverse(event, response);
    if (options.plans && isPlanEvent(event)) {
      try {
        const planned = await options.plans.handle(event);
        return answer(response, planned.status, planned.body);
      } catch (error) {
        // Each write is keyed and conditional: a retry finishes what this one did not.
        log.error({ eventId: event.id, eventType: event.type, err: error }, 'handling a card plan event failed; Stripe will retry');
        return answer(response, 500, { error: 'could not record the event; retry later' });
      }
    }
    if (!paidEvents.has(event.type)) return answer(response, 200, { received: true, ignored: event.type });

    const checkout = completedCheckout(event.data.object as Stripe.Checkout.Session);
    const context = { eventId: event.id, eventType: event.type, sessionId: checkout.sessionId };
    let redeemed: Awaited<ReturnType<typeof redeemCheckoutSession>>;
    try {
      redeemed = await redeemCheckoutSession({ ledger: options.ledger, card: options.card, notifier: options.notifier, checkout });
    } catch (error) {
      // Nothing was granted (the grant is one transaction); a 500 makes Stripe send it again later.
      log.error({ ...context, err: error }, 'granting a paid checkout failed; Stripe will retry');
      return answer(response, 500, { error: 'could not record the purchase; retry later' });
    }
    if (!redeemed.ok) {
      if (redeemed.error.code === 'not_paid') {
        log.info(context, 'checkout completed but not paid yet: nothing granted (async_payment_succeeded will follow)');
      } else {
        // Paid, but we cannot tell for whom or what, or not the pack's price: an operator must look
        // at it in the Stripe dashboard (refund it, or grant by hand what was meant).
        log.error(
          { ...context, problem: redeemed.error, amountTotal: checkout.amountTotal, currency: checkout.currency },
          'paid checkout NOT granted: needs an operator',
        );
      }
      return answer(response, 200, { received: true, granted: false, reason: redeemed.error.code });
    }
    const { pack, userId, granted, notice } = redeemed.value;
    log.info(
      { ...context, userId, pack: pack.id, credits: granted.amount, replayed: granted.replayed, notice: notice.status },
      granted.replayed ? 'checkout already granted: nothing more' : 'checkout granted',
    );
    if (notice.status === 'failed') {
      log.warn({ ...context, userId, err: errorMessage(notice.error) }, 'could not tell the member about their purchase (DMs closed?); the credits are theirs');
    }
    return answer(response, 200, { received: true, granted: !granted.replayed });
  };
}
