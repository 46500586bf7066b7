// Wires the Stripe path of /topup when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set: the
// Checkout adapter the "Buy with card" buttons use, and POST /stripe/webhook, which grants the pack
// once per paid session and DMs the member; and card plans (subscriptions): their Checkout and
// billing portal for /subscribe, and their events on the same webhook. The Stripe SDK is loaded only then: it costs about
// 15 MiB of memory that a bot without Stripe should not carry (bench: bot.rss.idleMiB).
import type pg from 'pg';
import type { Config } from '../config.js';
import { createPgStripeCustomers } from '../db/stripe-customers.js';
import { createDiscordPlanNotifier } from '../discord/plan-notifier.js';
import { createSqlTierSubscriptions } from '../ledger/sql-tier-subscriptions.js';
import type { CardPlans } from '../use-cases/card-plans.js';
import { createDiscordPurchaseNotifier } from '../discord/purchase-notifier.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { HttpRoute } from '../observability/health-server.js';
import type { Logger } from '../shared/logger.js';
import type { Checkout } from '../use-cases/ports/checkout.js';
import type { Ledger } from '../use-cases/ports/ledger.js';

export interface StripeParts {
  readonly checkout: Checkout;
  /** Card plans for /subscribe; none in the playground. */
  readonly cardPlans?: CardPlans | undefined;
  readonly routes: readonly HttpRoute[];
}

export async function composeStripe(
  config: Config,
  // `checkout`: the playground's own checkout pages in place of Stripe's; the playground sells no
  // card plans (its stand-in checkout knows packs only), so /subscribe offers none there.
  deps: { ledger: Ledger; pool: pg.Pool; card: PriceCard; token: string; log: Logger; checkout?: Checkout },
): Promise<StripeParts | undefined> {
  if (!config.stripe) {
    deps.log.info('Stripe is not configured: /topup offers no card payments');
    return undefined;
  }
  const [
    { createStripeCheckout },
    { createStripeClient },
    { createStripeWebhookRoute, stripeWebhookPath },
    { createStripePlanBilling },
    { createStripePlanEvents },
  ] = await Promise.all([
    import('../payments/stripe-checkout.js'),
    import('../payments/stripe-client.js'),
    import('../payments/stripe-webhook-route.js'),
    import('../payments/stripe-plan-billing.js'),
    import('../payments/stripe-plan-events.js'),
  ]);
  const stripe = createStripeClient({ secretKey: config.stripe.secretKey, apiUrl: config.stripe.apiUrl });
  const notifier = createDiscordPurchaseNotifier({ token: deps.token, apiUrl: config.discord.apiUrl });
  if (deps.checkout)
    deps.log.info({ webhookPath: stripeWebhookPath }, 'card payments through the playground’s checkout pages (simulated, signed like Stripe’s)');
  else
    deps.log.info({ webhookPath: stripeWebhookPath, testMode: config.stripe.secretKey.includes('_test_') }, 'Stripe Checkout on: /topup offers card payments');
  const checkout = deps.checkout ?? createStripeCheckout(stripe);
  const cardPlans: CardPlans | undefined = deps.checkout
    ? undefined
    : { billing: createStripePlanBilling(stripe), customers: createPgStripeCustomers(deps.pool) };
  const plans =
    cardPlans &&
    createStripePlanEvents({
      card: deps.card,
      cardPlans: { ...cardPlans, notifier: createDiscordPlanNotifier({ token: deps.token, apiUrl: config.discord.apiUrl }) },
      tierSubscriptions: createSqlTierSubscriptions(deps.pool),
      log: deps.log,
    });
  return {
    checkout,
    cardPlans,
    routes: [
      createStripeWebhookRoute({
        webhookSecret: config.stripe.webhookSecret,
        ledger: deps.ledger,
        checkout,
        card: deps.card,
        notifier,
        ...(plans ? { plans } : {}),
        log: deps.log,
      }),
    ],
  };
}
