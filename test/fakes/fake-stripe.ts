// A local Stripe API for the real `stripe` client: one HTTP server on 127.0.0.1 speaking Stripe's
// form-encoded POST /v1/checkout/sessions and GET /v1/checkout/sessions?payment_intent= (the calls
// the bot makes for packs) and, through FakeStripeBilling (fake-stripe-billing.ts), subscriptions:
// customers, subscription-mode Checkout, subscriptions, invoices, refunds and the billing portal;
// checking the Bearer key,
// honouring Idempotency-Key, and recording every request. It also builds the signed-webhook
// payloads Stripe would send when a session completes.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeStripeBilling } from './fake-stripe-billing.js';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export interface RecordedStripeRequest {
  readonly method: string;
  readonly path: string;
  readonly authorized: boolean;
  readonly idempotencyKey: string | undefined;
  /** The form body decoded into nested objects (`line_items[0][price_data][currency]`). */
  readonly params: FormObject;
  readonly status: number;
}

export type FakeCheckoutSession = Record<string, unknown> & { readonly id: string; readonly metadata: Record<string, string> };

/** Decodes Stripe's bracketed form encoding: `a[b][0][c]=x` → `{ a: { b: [{ c: 'x' }] } }`. */
export function decodeStripeForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: FormObject | FormValue[] = root;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]!);
      const slot = node as Record<string, FormValue>;
      if (last) slot[segment] = value;
      else node = (slot[segment] ??= nextIsIndex ? [] : {}) as FormObject | FormValue[];
    });
  }
  return root;
}

const stripeError = (status: number, type: string, message: string, param?: string) => ({
  status,
  body: { error: { type, message, ...(param ? { param } : {}) } },
});

export class FakeStripe {
  readonly requests: RecordedStripeRequest[] = [];
  readonly sessions = new Map<string, FakeCheckoutSession>();
  /** Subscriptions, invoices, the test clock and the events Stripe sends about them. */
  readonly billing = new FakeStripeBilling();
  /** While true, every call answers 500 as if Stripe were having an outage. */
  down = false;
  private readonly byIdempotencyKey = new Map<string, { status: number; body: unknown }>();

  private constructor(
    private readonly server: Server,
    readonly secretKey: string,
  ) {}

  static async start(secretKey = `sk_test_${randomBytes(12).toString('hex')}`): Promise<FakeStripe> {
    const server = createServer();
    const fake = new FakeStripe(server, secretKey);
    server.on('request', (request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `STRIPE_API_URL` for this fake. */
  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * The session as Stripe sends it in `checkout.session.completed` once the member has paid (or
   * not), now carrying its payment intent (also in what the API lists from then on).
   */
  completed(sessionId: string, paymentStatus: 'paid' | 'unpaid' = 'paid'): FakeCheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`fake-stripe: no session ${sessionId}`);
    const completed = {
      ...session,
      status: 'complete',
      payment_status: paymentStatus,
      customer_details: { email: 'buyer@example.com' },
      payment_intent: session['payment_intent'] ?? `pi_${randomBytes(12).toString('hex')}`,
    };
    this.sessions.set(sessionId, completed);
    return completed;
  }

  /** The charge of a completed session's payment, as `charge.refunded` carries it after `refundedCents` in all were refunded. */
  refundedCharge(sessionId: string, refundedCents: number, chargeId = `ch_${sessionId.slice(-12)}`): Record<string, unknown> {
    const session = this.sessions.get(sessionId);
    if (!session?.['payment_intent']) throw new Error(`fake-stripe: session ${sessionId} has no payment yet`);
    const amount = session['amount_total'] as number;
    return {
      id: chargeId,
      object: 'charge',
      amount,
      amount_captured: amount,
      amount_refunded: refundedCents,
      currency: session['currency'],
      payment_intent: session['payment_intent'],
      paid: true,
      refunded: refundedCents >= amount,
      status: 'succeeded',
      metadata: session.metadata,
    };
  }

  /** A dispute of a completed session's payment, as `charge.dispute.created` / `.closed` carry it. */
  dispute(sessionId: string, disputeId: string, status: 'needs_response' | 'won' | 'lost'): Record<string, unknown> {
    const session = this.sessions.get(sessionId);
    if (!session?.['payment_intent']) throw new Error(`fake-stripe: session ${sessionId} has no payment yet`);
    return {
      id: disputeId,
      object: 'dispute',
      amount: session['amount_total'],
      currency: session['currency'],
      charge: `ch_${sessionId.slice(-12)}`,
      payment_intent: session['payment_intent'],
      reason: 'fraudulent',
      status,
    };
  }

  /** A webhook event body, shaped like Stripe's. */
  static event(type: string, object: Record<string, unknown>, id = `evt_test_${randomBytes(12).toString('hex')}`): string {
    return JSON.stringify({
      id,
      object: 'event',
      api_version: '2026-01-28.clover',
      created: Math.floor(Date.now() / 1000),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const params = decodeStripeForm(Buffer.concat(chunks).toString('utf8'));
    const url = new URL(request.url ?? '/', 'http://fake.local');
    const path = url.pathname;
    const query = decodeStripeForm(url.search.slice(1));
    const authorized = request.headers.authorization === `Bearer ${this.secretKey}`;
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;

    let reply: { status: number; body: unknown };
    if (this.down) reply = stripeError(500, 'api_error', 'fake-stripe is down');
    else if (!authorized) reply = stripeError(401, 'invalid_request_error', 'Invalid API Key provided');
    else if (request.method === 'GET' && path === '/v1/checkout/sessions') {
      // The list, filtered by payment_intent as Stripe's `payment_intent` parameter does.
      const paymentIntent = new URL(request.url ?? '/', 'http://fake.local').searchParams.get('payment_intent');
      const data = [...this.sessions.values()].filter((session) => paymentIntent === null || session['payment_intent'] === paymentIntent);
      reply = { status: 200, body: { object: 'list', url: '/v1/checkout/sessions', has_more: false, data } };
    } else {
      // Stripe replays a POST's first answer for the same Idempotency-Key.
      const replay = request.method === 'POST' && idempotencyKey ? this.byIdempotencyKey.get(idempotencyKey) : undefined;
      reply =
        replay ??
        (request.method === 'POST' && path === '/v1/checkout/sessions' ? this.createSession(params) : undefined) ??
        this.billing.handle(request.method ?? '', path, query, params) ??
        stripeError(404, 'invalid_request_error', `Unrecognized request URL (${request.method} ${path})`);
      if (request.method === 'POST' && idempotencyKey && !replay) this.byIdempotencyKey.set(idempotencyKey, reply);
    }

    this.requests.push({ method: request.method ?? '', path, authorized, idempotencyKey, params, status: reply.status });
    response.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(8).toString('hex')}` });
    response.end(JSON.stringify(reply.body));
  }

  /** The member pays a subscription-mode session: its subscription starts and its first invoice is paid (events queued in fake.billing). */
  paySubscription(sessionId: string) {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`fake-stripe: no session ${sessionId}`);
    const paid = this.billing.paySubscriptionCheckout(session);
    this.sessions.set(sessionId, paid.session as FakeCheckoutSession);
    return paid.subscription;
  }

  private createSession(params: FormObject): { status: number; body: unknown } {
    if (params['mode'] === 'subscription') {
      const reply = this.billing.createSubscriptionSession(params);
      if (reply.status === 200) {
        const session = reply.body as FakeCheckoutSession;
        this.sessions.set(session.id, session);
        this.billing.rememberSession(session.id, params);
      }
      return reply;
    }
    if (params['mode'] !== 'payment') return stripeError(400, 'invalid_request_error', 'mode must be payment or subscription here', 'mode');
    if (typeof params['success_url'] !== 'string') return stripeError(400, 'invalid_request_error', 'Missing required param: success_url.', 'success_url');
    const items = params['line_items'];
    if (!Array.isArray(items) || items.length === 0) return stripeError(400, 'invalid_request_error', 'Missing required param: line_items.', 'line_items');
    let amountTotal = 0;
    let currency: string | undefined;
    for (const item of items as FormObject[]) {
      const price = item['price_data'] as FormObject | undefined;
      const unitAmount = Number(price?.['unit_amount']);
      if (!price || !Number.isInteger(unitAmount) || unitAmount < 1)
        return stripeError(400, 'invalid_request_error', 'Invalid integer: unit_amount', 'line_items[0][price_data][unit_amount]');
      amountTotal += unitAmount * Number(item['quantity'] ?? 1);
      currency = price['currency'] as string;
    }
    const id = `cs_test_${randomBytes(24).toString('hex')}`;
    const session: FakeCheckoutSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: amountTotal,
      amount_total: amountTotal,
      currency: currency ?? 'usd',
      client_reference_id: (params['client_reference_id'] as string | undefined) ?? null,
      metadata: (params['metadata'] ?? {}) as Record<string, string>,
      success_url: params['success_url'],
      cancel_url: params['cancel_url'] ?? null,
      url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
      livemode: false,
      created: Math.floor(Date.now() / 1000),
      expires_at: Math.floor(Date.now() / 1000) + 86_400,
      customer: null,
      customer_details: null,
      payment_intent: null,
    };
    this.sessions.set(id, session);
    return { status: 200, body: session };
  }
}
