// The subscription half of the fake Stripe (test/fakes/fake-stripe.ts routes to it): customers,
// Checkout in subscription mode, subscriptions with their items and periods, invoices with lines,
// invoice payments, charges and refunds, the billing portal, and a test clock that renews plans
// the way Stripe does — a new period and invoice at each period's end, a declined card retried on a
// schedule (past_due meanwhile) and the subscription cancelled when the retries run out, a plan
// cancelled at the period's end deleted then.
//
// Every change queues the events Stripe would send, each carrying a snapshot of its object as it
// was then (so a late event is stale, as Stripe's are). Tests take them with takeEvents() and
// deliver them as they like: in order, shuffled, twice, or failing first.
import { randomBytes } from 'node:crypto';
import type { FormObject } from './fake-stripe.js';

type Json = Record<string, unknown>;
export interface FakeStripeEvent {
  readonly id: string;
  readonly type: string;
  readonly object: Json;
}

export type FakeReply = { status: number; body: unknown };
type Interval = 'week' | 'month' | 'year';

const rid = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const unix = (date: Date) => Math.floor(date.getTime() / 1000);
const error = (status: number, message: string, param?: string, code?: string): FakeReply => ({
  status,
  body: { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}), ...(code ? { code } : {}) } },
});
const missing = (what: string, id: string): FakeReply => error(404, `No such ${what}: '${id}'`, 'id', 'resource_missing');

/** Stripe renews on the calendar: a month or a year later at the same time of day. */
export function addInterval(from: Date, interval: Interval): Date {
  const next = new Date(from);
  if (interval === 'week') next.setUTCDate(next.getUTCDate() + 7);
  if (interval === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  if (interval === 'year') next.setUTCFullYear(next.getUTCFullYear() + 1);
  return next;
}

interface Price {
  id: string;
  object: 'price';
  unit_amount: number;
  currency: string;
  recurring: { interval: Interval; interval_count: 1 };
  product: string;
  type: 'recurring';
}

interface Subscription {
  id: string;
  object: 'subscription';
  customer: string;
  status: string;
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  created: number;
  start_date: number;
  currency: string;
  metadata: Record<string, string>;
  latest_invoice: string | null;
  items: {
    object: 'list';
    data: { id: string; object: 'subscription_item'; quantity: 1; current_period_start: number; current_period_end: number; price: Price }[];
  };
}

interface Invoice {
  id: string;
  object: 'invoice';
  customer: string;
  status: 'draft' | 'open' | 'paid' | 'void';
  billing_reason: string;
  currency: string;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  next_payment_attempt: number | null;
  created: number;
  parent: { type: 'subscription_details'; quote_details: null; subscription_details: { subscription: string; metadata: Record<string, string> } };
  lines: { object: 'list'; has_more: false; url: string; data: Json[] };
  status_transitions: { paid_at: number | null };
}

/** How Stripe's Smart Retries are set (Billing → Revenue recovery): days after the first failure, and what happens after the last. */
export interface RetryPolicy {
  readonly retryDays: readonly number[];
  readonly afterLastFailure: 'cancel' | 'unpaid';
}

export class FakeStripeBilling {
  /** The test clock: what "now" is at this fake Stripe. */
  now = new Date(Math.floor(Date.now() / 1000) * 1000);
  readonly customers = new Map<string, Json>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly invoices = new Map<string, Invoice>();
  readonly charges = new Map<
    string,
    { id: string; object: 'charge'; amount: number; amount_refunded: number; payment_intent: string; currency: string; customer: string; invoice: string }
  >();
  readonly invoicePayments = new Map<string, Json>();
  readonly portalSessions: Json[] = [];
  /** Customers whose card is declined from now on (a renewal fails and is retried). */
  readonly decliningCustomers = new Set<string>();
  retryPolicy: RetryPolicy = { retryDays: [1, 3, 5], afterLastFailure: 'cancel' };
  private pending: FakeStripeEvent[] = [];
  /** Proration lines of plan changes billed at the next renewal (Stripe's pending invoice items). */
  private readonly pendingLines = new Map<string, Json[]>();
  private readonly sessionPlans = new Map<string, { priceData: FormObject; interval: Interval; unitAmount: number; metadata: Record<string, string> }>();

  /**
   * The events Stripe has sent since the last call, oldest first (each a snapshot of its object
   * then); with a customer, only those about that customer (the others stay to be taken).
   */
  takeEvents(customerId?: string): FakeStripeEvent[] {
    const about = (event: FakeStripeEvent) =>
      customerId === undefined || (event.object['object'] === 'customer' ? event.object['id'] : event.object['customer']) === customerId;
    const taken = this.pending.filter(about);
    this.pending = this.pending.filter((event) => !about(event));
    return taken;
  }

  private emit(type: string, object: object): void {
    this.pending.push({ id: rid('evt_test'), type, object: structuredClone(object) as Json });
  }

  // ---- the API -------------------------------------------------------------------------------

  /** Answers the subscription half of the API; undefined for a path it does not know. */
  handle(method: string, path: string, query: FormObject, params: FormObject): FakeReply | undefined {
    const [, , resource, id, action] = path.split('/');
    if (method === 'POST' && path === '/v1/customers') return this.createCustomer(params);
    if (method === 'POST' && path === '/v1/billing_portal/sessions') return this.createPortalSession(params);
    if (resource === 'subscriptions' && id && !action) {
      const subscription = this.subscriptions.get(id);
      if (!subscription) return missing('subscription', id);
      if (method === 'GET') return { status: 200, body: subscription };
      if (method === 'POST') return this.updateSubscription(subscription, params);
      if (method === 'DELETE') return this.cancelNow(subscription);
    }
    if (method === 'GET' && resource === 'invoices' && id) {
      const invoice = this.invoices.get(id);
      return invoice ? { status: 200, body: invoice } : missing('invoice', id);
    }
    if (method === 'GET' && path === '/v1/invoice_payments') {
      const payment = query['payment'] as FormObject | undefined;
      const data = [...this.invoicePayments.values()].filter(
        (p) =>
          (query['invoice'] === undefined || p['invoice'] === query['invoice']) &&
          (payment === undefined || (p['payment'] as Json)['payment_intent'] === payment['payment_intent']),
      );
      return { status: 200, body: { object: 'list', url: '/v1/invoice_payments', has_more: false, data } };
    }
    return undefined;
  }

  private createCustomer(params: FormObject): FakeReply {
    const customer = {
      id: rid('cus'),
      object: 'customer',
      created: unix(this.now),
      metadata: params['metadata'] ?? {},
      description: params['description'] ?? null,
    };
    this.customers.set(customer.id, customer);
    this.emit('customer.created', customer);
    return { status: 200, body: customer };
  }

  private createPortalSession(params: FormObject): FakeReply {
    const customer = params['customer'];
    if (typeof customer !== 'string') return error(400, 'Missing required param: customer.', 'customer');
    if (!this.customers.has(customer)) return error(400, `No such customer: '${customer}'`, 'customer', 'resource_missing');
    const session = {
      id: rid('bps'),
      object: 'billing_portal.session',
      customer,
      return_url: params['return_url'] ?? null,
      created: unix(this.now),
      url: `https://billing.stripe.com/p/session/test_${randomBytes(16).toString('hex')}`,
    };
    this.portalSessions.push(session);
    return { status: 200, body: session };
  }

  /** POST /v1/checkout/sessions in subscription mode (fake-stripe.ts hands it over). */
  createSubscriptionSession(params: FormObject): FakeReply {
    const customer = params['customer'];
    if (customer !== undefined && (typeof customer !== 'string' || !this.customers.has(customer)))
      return error(400, `No such customer: '${String(customer)}'`, 'customer', 'resource_missing');
    if (params['payment_intent_data'] !== undefined) return error(400, 'You can not pass `payment_intent_data` in `subscription` mode.', 'payment_intent_data');
    const items = params['line_items'] as FormObject[] | undefined;
    const priceData = items?.[0]?.['price_data'] as FormObject | undefined;
    const recurring = priceData?.['recurring'] as FormObject | undefined;
    if (!priceData || !recurring || !['week', 'month', 'year'].includes(recurring['interval'] as string))
      return error(400, 'You must provide at least one recurring price in `subscription` mode when using prices.', 'line_items');
    const unitAmount = Number(priceData['unit_amount']);
    if (!Number.isInteger(unitAmount) || unitAmount < 1) return error(400, 'Invalid integer: unit_amount', 'line_items[0][price_data][unit_amount]');
    const id = `cs_test_${randomBytes(24).toString('hex')}`;
    return {
      status: 200,
      body: {
        id,
        object: 'checkout.session',
        mode: 'subscription',
        status: 'open',
        payment_status: 'unpaid',
        amount_subtotal: unitAmount,
        amount_total: unitAmount,
        currency: priceData['currency'] ?? 'usd',
        customer: customer ?? null,
        client_reference_id: params['client_reference_id'] ?? null,
        metadata: params['metadata'] ?? {},
        subscription: null,
        payment_intent: null,
        success_url: params['success_url'],
        cancel_url: params['cancel_url'] ?? null,
        url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
        livemode: false,
        created: unix(this.now),
        expires_at: Number(params['expires_at'] ?? unix(this.now) + 86_400),
      },
    };
  }

  /** What Stripe keeps from a subscription-mode session's request, to build the subscription when the member pays. */
  rememberSession(sessionId: string, params: FormObject): void {
    const item = (params['line_items'] as FormObject[])[0]!;
    const priceData = item['price_data'] as FormObject;
    this.sessionPlans.set(sessionId, {
      priceData,
      interval: (priceData['recurring'] as FormObject)['interval'] as Interval,
      unitAmount: Number(priceData['unit_amount']),
      metadata: ((params['subscription_data'] as FormObject | undefined)?.['metadata'] ?? {}) as Record<string, string>,
    });
  }

  /**
   * The member pays on the Checkout page: the subscription starts now, its first invoice is paid,
   * and Stripe sends what it sends for that, in its order. Returns the completed session.
   */
  paySubscriptionCheckout(session: Json): { session: Json; subscription: Subscription } {
    const line = this.sessionPlans.get(session['id'] as string);
    if (!line) throw new Error(`fake-stripe: ${String(session['id'])} is not a subscription-mode session`);
    let customer = session['customer'] as string | null;
    if (!customer) customer = (this.createCustomer({ metadata: {} }).body as { id: string }).id;
    const product = rid('prod');
    const price: Price = {
      id: rid('price'),
      object: 'price',
      unit_amount: line.unitAmount,
      currency: String(line.priceData['currency'] ?? 'usd'),
      recurring: { interval: line.interval, interval_count: 1 },
      product,
      type: 'recurring',
    };
    const start = this.now;
    const subscription: Subscription = {
      id: rid('sub'),
      object: 'subscription',
      customer,
      status: 'incomplete',
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      created: unix(start),
      start_date: unix(start),
      currency: price.currency,
      metadata: { ...line.metadata },
      latest_invoice: null,
      items: {
        object: 'list',
        data: [
          {
            id: rid('si'),
            object: 'subscription_item',
            quantity: 1,
            current_period_start: unix(start),
            current_period_end: unix(addInterval(start, line.interval)),
            price,
          },
        ],
      },
    };
    this.subscriptions.set(subscription.id, subscription);
    this.emit('customer.subscription.created', subscription);
    const invoice = this.invoice(subscription, 'subscription_create', [this.planLine(subscription, price.unit_amount, false)]);
    this.charge(invoice);
    subscription.status = 'active';
    this.emit('customer.subscription.updated', subscription);
    const completed = { ...session, status: 'complete', payment_status: 'paid', customer, subscription: subscription.id };
    this.emit('checkout.session.completed', completed);
    return { session: completed, subscription };
  }

  private planLine(subscription: Subscription, amount: number, proration: boolean, start?: Date): Json {
    const item = subscription.items.data[0]!;
    return {
      id: rid('il'),
      object: 'line_item',
      amount,
      currency: subscription.currency,
      description: proration ? 'Remaining time on plan' : `1 × plan (at $${(item.price.unit_amount / 100).toFixed(2)} / ${item.price.recurring.interval})`,
      metadata: {},
      period: { start: start ? unix(start) : item.current_period_start, end: item.current_period_end },
      parent: {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: { subscription: subscription.id, subscription_item: item.id, proration, proration_details: null, invoice_item: null },
      },
      pricing: {
        type: 'price_details',
        price_details: { price: item.price.id, product: item.price.product },
        unit_amount_decimal: String(item.price.unit_amount),
      },
      quantity: 1,
    };
  }

  /** A finalized invoice for the subscription (the metadata snapshot taken now, as Stripe does at finalization). */
  private invoice(subscription: Subscription, billingReason: string, lines: Json[]): Invoice {
    const amount = lines.reduce((sum, line) => sum + (line['amount'] as number), 0);
    const invoice: Invoice = {
      id: rid('in'),
      object: 'invoice',
      customer: subscription.customer,
      status: 'draft',
      billing_reason: billingReason,
      currency: subscription.currency,
      amount_due: Math.max(amount, 0),
      amount_paid: 0,
      amount_remaining: Math.max(amount, 0),
      attempt_count: 0,
      next_payment_attempt: null,
      created: unix(this.now),
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { subscription: subscription.id, metadata: { ...subscription.metadata } },
      },
      lines: { object: 'list', has_more: false, url: '/v1/invoices/lines', data: lines },
      status_transitions: { paid_at: null },
    };
    this.invoices.set(invoice.id, invoice);
    subscription.latest_invoice = invoice.id;
    this.emit('invoice.created', invoice);
    invoice.status = 'open';
    this.emit('invoice.finalized', invoice);
    return invoice;
  }

  /** Tries to charge an open invoice: paid (with its charge and invoice payment), or declined. */
  private charge(invoice: Invoice): boolean {
    invoice.attempt_count += 1;
    if (invoice.amount_due === 0) {
      invoice.status = 'paid';
      invoice.status_transitions.paid_at = unix(this.now);
      this.emit('invoice.paid', invoice);
      return true;
    }
    if (this.decliningCustomers.has(invoice.customer)) {
      // Retries are scheduled from the invoice's first attempt (its creation): day 1, 3, 5…
      const retryDay = this.retryPolicy.retryDays[invoice.attempt_count - 1];
      invoice.next_payment_attempt = retryDay === undefined ? null : invoice.created + retryDay * 86_400;
      this.emit('invoice.payment_failed', invoice);
      return false;
    }
    const paymentIntent = rid('pi');
    const charge = {
      id: rid('ch'),
      object: 'charge' as const,
      amount: invoice.amount_due,
      amount_refunded: 0,
      payment_intent: paymentIntent,
      currency: invoice.currency,
      customer: invoice.customer,
      invoice: invoice.id,
    };
    this.charges.set(charge.id, charge);
    const payment = {
      id: rid('inpay'),
      object: 'invoice_payment',
      invoice: invoice.id,
      amount_paid: invoice.amount_due,
      amount_requested: invoice.amount_due,
      currency: invoice.currency,
      is_default: true,
      status: 'paid',
      payment: { type: 'payment_intent', payment_intent: paymentIntent },
      created: unix(this.now),
    };
    this.invoicePayments.set(payment.id, payment);
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.next_payment_attempt = null;
    invoice.status_transitions.paid_at = unix(this.now);
    this.emit('invoice.paid', invoice);
    this.emit('invoice.payment_succeeded', invoice);
    return true;
  }

  private updateSubscription(subscription: Subscription, params: FormObject): FakeReply {
    if (subscription.status === 'canceled') return error(400, 'A canceled subscription can only update its cancellation_details and metadata.');
    if (params['cancel_at_period_end'] !== undefined) {
      subscription.cancel_at_period_end = params['cancel_at_period_end'] === 'true';
      subscription.canceled_at = subscription.cancel_at_period_end ? unix(this.now) : null;
    }
    if (params['metadata'] !== undefined) subscription.metadata = { ...subscription.metadata, ...(params['metadata'] as Record<string, string>) };
    const [changed] = (params['items'] as FormObject[] | undefined) ?? [];
    const priceData = changed?.['price_data'] as FormObject | undefined;
    if (priceData) {
      const item = subscription.items.data[0]!;
      if (changed!['id'] !== item.id) return error(400, `Invalid subscription item: ${String(changed!['id'])}`, 'items[0][id]');
      const recurring = priceData['recurring'] as FormObject;
      if (recurring['interval'] !== item.price.recurring.interval) return error(400, 'The fake changes plans of the same interval only.', 'items');
      const old = item.price;
      item.price = { ...old, id: rid('price'), product: String(priceData['product'] ?? old.product), unit_amount: Number(priceData['unit_amount']) };
      const behaviour = params['proration_behavior'] ?? 'create_prorations';
      if (behaviour !== 'none') {
        // The unused share of the old price back, the new price for the rest of the period:
        // invoiced now (always_invoice) or with the next renewal (create_prorations, Stripe's default).
        const share = (item.current_period_end - unix(this.now)) / (item.current_period_end - item.current_period_start);
        const lines = [
          this.planLine(subscription, -Math.round(old.unit_amount * share), true, this.now),
          this.planLine(subscription, Math.round(item.price.unit_amount * share), true, this.now),
        ];
        this.emit('customer.subscription.updated', subscription);
        if (behaviour === 'always_invoice') this.charge(this.invoice(subscription, 'subscription_update', lines));
        else this.pendingLines.set(subscription.id, [...(this.pendingLines.get(subscription.id) ?? []), ...lines]);
        return { status: 200, body: subscription };
      }
    }
    this.emit('customer.subscription.updated', subscription);
    return { status: 200, body: subscription };
  }

  private cancelNow(subscription: Subscription): FakeReply {
    if (subscription.status === 'canceled') return missing('subscription', subscription.id);
    this.end(subscription, this.now);
    return { status: 200, body: subscription };
  }

  private end(subscription: Subscription, at: Date): void {
    subscription.status = 'canceled';
    subscription.ended_at = unix(at);
    subscription.canceled_at ??= unix(at);
    this.emit('customer.subscription.deleted', subscription);
  }

  // ---- what happens at Stripe as time passes, and in its dashboard ----------------------------

  /** Moves the test clock to `to`, renewing, retrying and ending subscriptions on the way, in time order. */
  advanceTo(to: Date): void {
    for (;;) {
      const next = this.nextDue();
      if (!next || next.at > to) break;
      this.now = next.at;
      next.run();
    }
    this.now = to;
  }

  private nextDue(): { at: Date; run: () => void } | undefined {
    let best: { at: Date; run: () => void } | undefined;
    const consider = (at: Date, run: () => void) => {
      if (!best || at < best.at) best = { at, run };
    };
    for (const subscription of this.subscriptions.values()) {
      if (subscription.status === 'canceled' || subscription.status === 'unpaid' || subscription.status === 'incomplete') continue;
      const item = subscription.items.data[0]!;
      const open = subscription.latest_invoice ? this.invoices.get(subscription.latest_invoice) : undefined;
      if (subscription.status === 'past_due' && open?.status === 'open') {
        if (open.next_payment_attempt !== null) consider(new Date(open.next_payment_attempt * 1000), () => this.retry(subscription, open));
        continue;
      }
      consider(new Date(item.current_period_end * 1000), () => this.renew(subscription));
    }
    return best;
  }

  private renew(subscription: Subscription): void {
    const item = subscription.items.data[0]!;
    if (subscription.cancel_at_period_end) return this.end(subscription, new Date(item.current_period_end * 1000));
    const start = new Date(item.current_period_end * 1000);
    item.current_period_start = unix(start);
    item.current_period_end = unix(addInterval(start, item.price.recurring.interval));
    const pending = this.pendingLines.get(subscription.id) ?? [];
    this.pendingLines.delete(subscription.id);
    const invoice = this.invoice(subscription, 'subscription_cycle', [...pending, this.planLine(subscription, item.price.unit_amount, false)]);
    const paid = this.charge(invoice);
    subscription.status = paid ? 'active' : 'past_due';
    this.emit('customer.subscription.updated', subscription);
  }

  private retry(subscription: Subscription, invoice: Invoice): void {
    if (this.charge(invoice)) {
      subscription.status = 'active';
      this.emit('customer.subscription.updated', subscription);
      return;
    }
    if (invoice.next_payment_attempt !== null) return;
    // The last retry failed: Stripe gives up as the account's settings say.
    if (this.retryPolicy.afterLastFailure === 'cancel') return this.end(subscription, this.now);
    subscription.status = 'unpaid';
    this.emit('customer.subscription.updated', subscription);
  }

  /** A refund from the dashboard: `cents` more of the invoice's charge; Stripe sends the charge with its refunded total. */
  refund(invoiceId: string, cents: number): Json {
    const charge = [...this.charges.values()].find((c) => c.invoice === invoiceId);
    if (!charge) throw new Error(`fake-stripe: invoice ${invoiceId} has no charge`);
    charge.amount_refunded = Math.min(charge.amount, charge.amount_refunded + cents);
    const object = { ...charge, refunded: charge.amount_refunded >= charge.amount, paid: true, status: 'succeeded', amount_captured: charge.amount };
    this.emit('charge.refunded', object);
    return object;
  }

  /** The buyer's bank disputes the invoice's charge (a chargeback); as Stripe's disputes, it names the charge and payment, not the customer. */
  dispute(invoiceId: string): FakeStripeEvent {
    const charge = [...this.charges.values()].find((c) => c.invoice === invoiceId);
    if (!charge) throw new Error(`fake-stripe: invoice ${invoiceId} has no charge`);
    const dispute = {
      id: rid('dp'),
      object: 'dispute',
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      reason: 'fraudulent',
      status: 'needs_response',
    };
    this.emit('charge.dispute.created', dispute);
    return this.pending.at(-1)!;
  }

  /** The member's subscriptions' invoices, oldest first. */
  invoicesOf(subscriptionId: string): Invoice[] {
    return [...this.invoices.values()].filter((invoice) => invoice.parent.subscription_details.subscription === subscriptionId);
  }
}
