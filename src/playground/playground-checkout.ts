// /topup's "Buy with card" in the playground: the bot's Checkout port, answered with a page of the
// playground instead of Stripe's hosted one. The page shows what the member is buying and a
// "Pay (simulated)" button that sends the bot's webhook the signed event Stripe would send for
// that very session (same metadata, same amount), so the whole card path runs except the card.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { err, ok } from '../domain/result.js';
import type { Pack } from '../domain/pricing/price-card-schema.js';
import type { HttpRoute } from '../observability/health-server.js';
import { checkoutMetadata, priceInCents } from '../domain/payments/checkout-metadata.js';
import type { Checkout, CheckoutRequest, CompletedCheckout } from '../use-cases/ports/checkout.js';
import { PERSONAS } from './playground-world.js';
import type { SimulatedPurchases } from './simulated-purchases.js';

interface OpenSession {
  readonly id: string;
  readonly paymentId: string;
  readonly request: CheckoutRequest;
  paid: boolean;
}

const PATH = /^\/checkout\/(cs_test_playground_[0-9a-f]{24})(\/pay)?$/;

export class PlaygroundCheckout implements Checkout {
  private readonly sessions = new Map<string, OpenSession>();

  constructor(
    private readonly pageUrl: () => string,
    private readonly purchases: SimulatedPurchases,
  ) {}

  createSession(request: CheckoutRequest) {
    // As with Stripe's idempotency keys, a retried click gets the same session.
    const digest = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24);
    const id = `cs_test_playground_${digest}`;
    if (!this.sessions.has(id)) this.sessions.set(id, { id, paymentId: `pi_playground_${digest}`, request, paid: false });
    const base = this.pageUrl();
    if (!base) return Promise.resolve(err({ code: 'checkout_unavailable' as const, detail: 'the playground page is not listening yet' }));
    return Promise.resolve(ok({ id, url: new URL(`/checkout/${id}`, base).toString() }));
  }

  sessionForPayment(paymentId: string): Promise<CompletedCheckout | null> {
    const session = [...this.sessions.values()].find((candidate) => candidate.paymentId === paymentId && candidate.paid);
    if (!session) return Promise.resolve(null);
    const { pack, userId, guildId } = session.request;
    return Promise.resolve({
      sessionId: session.id,
      paid: true,
      metadata: checkoutMetadata({ userId, guildId, pack }),
      clientReferenceId: userId,
      amountTotal: priceInCents(pack),
      currency: 'usd',
    });
  }

  /** GET /checkout/<session>: the payment page; POST /checkout/<session>/pay: pay it (simulated). */
  readonly route: HttpRoute = async (request, response) => {
    const match = PATH.exec(new URL(request.url ?? '/', 'http://playground.local').pathname);
    if (!match) return false;
    const session = this.sessions.get(match[1]!);
    if (!session)
      return page(response, 404, 'No such checkout', '<p>This checkout is not open (the playground forgets them when it restarts). Run /topup again.</p>');
    const buyer = PERSONAS.find((persona) => persona.userId === session.request.userId);
    const back = `/?as=${encodeURIComponent(buyer?.key ?? 'member')}`;
    if (request.method === 'POST' && match[2]) {
      if (!session.paid) {
        session.paid = true;
        await this.purchases.payCheckout({ sessionId: session.id, paymentId: session.paymentId, pack: session.request.pack, userId: session.request.userId });
      }
      response.writeHead(303, { location: back }).end();
      return true;
    }
    if (request.method !== 'GET') return page(response, 405, 'Use the button', '<p>Use the page’s button to pay.</p>');
    return page(response, 200, 'Playground checkout', checkoutBody(session.request.pack, buyer?.username ?? 'a member', session, back));
  };
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function checkoutBody(pack: Pack, buyer: string, session: OpenSession, back: string): string {
  const price = `$${(priceInCents(pack) / 100).toFixed(2)}`;
  const done = session.paid
    ? `<p role="status">Already paid: the bot granted it once; paying again changes nothing.</p>`
    : `<form method="post" action="/checkout/${session.id}/pay"><button type="submit">Pay ${price} (simulated)</button></form>`;
  return `<p class="badge">Playground: no card, no money. This page stands in for Stripe Checkout.</p>
<h1>${escape(`${pack.credits} credits${pack.label ? ` (${pack.label})` : ''}`)}</h1>
<p>For <strong>${escape(buyer)}</strong>: ${price}. Top-up credits never expire and work in every server with the bot.</p>
${done}
<p><a href="${escape(back)}">Back to the playground</a></p>`;
}

function page(response: ServerResponse, status: number, title: string, body: string): true {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · imagine-credits playground</title><link rel="stylesheet" href="/playground/app.css"></head>
<body class="checkout-page"><main class="checkout">${body}</main></body></html>`);
  return true;
}
