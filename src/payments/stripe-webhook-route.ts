// POST /stripe/webhook: Stripe tells us a checkout finished. Only a request signed with the
// endpoint's secret is believed. Stripe retries anything but a 2xx for days, so a 4xx/5xx is kept
// for "try again later makes sense" (bad signature: not from Stripe; 500: our database was down);
// an event we can never act on (unknown pack, missing metadata) answers 200 and is logged loudly.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { HttpRoute } from '../observability/health-server.js';
import type { Logger } from '../shared/logger.js';
import type { Ledger } from '../use-cases/ports/ledger.js';
import type { PurchaseNotifier } from '../use-cases/ports/purchase-notifier.js';
import { redeemCheckoutSession } from '../use-cases/redeem-checkout-session.js';
import { completedCheckout } from './stripe-checkout.js';

export const stripeWebhookPath = '/stripe/webhook';

export interface StripeWebhookRouteOptions {
  readonly webhookSecret: string;
  readonly ledger: Ledger;
  readonly card: PriceCard;
  readonly notifier: PurchaseNotifier;
  readonly log: Logger;
  /** Stripe's events are a few KiB; anything far larger is not one. @defaultValue 1 MiB */
  readonly maxBodyBytes?: number;
}

/** The events that mean "this checkout is paid" (the second for delayed methods such as bank debits). */
const paidEvents = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

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
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'webhook with a bad signature refused');
      return answer(response, 400, { error: 'bad signature' });
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
        // Paid, but we cannot tell for whom or what: an operator must look at it in the Stripe dashboard.
        log.error({ ...context, problem: redeemed.error, amountTotal: checkout.amountTotal, currency: checkout.currency }, 'paid checkout NOT granted: needs an operator');
      }
      return answer(response, 200, { received: true, granted: false, reason: redeemed.error.code });
    }
    const { pack, userId, granted, notice } = redeemed.value;
    log.info({ ...context, userId, pack: pack.id, credits: granted.amount, replayed: granted.replayed, notice: notice.status }, granted.replayed ? 'checkout already granted: nothing more' : 'checkout granted');
    if (notice.status === 'failed') {
      log.warn({ ...context, userId, err: notice.error instanceof Error ? notice.error.message : String(notice.error) }, 'could not tell the member about their purchase (DMs closed?); the credits are theirs');
    }
    return answer(response, 200, { received: true, granted: !granted.replayed });
  };
}
