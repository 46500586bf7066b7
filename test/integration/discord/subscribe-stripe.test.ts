// Card plans (Stripe subscriptions), end to end: the real discord.js client on the fake Discord,
// the real `stripe` client on the fake Stripe (which renews, retries and refunds on a test clock
// as Stripe does), the webhook route on a real HTTP server, the real ledger in PostgreSQL (its
// clock moved with Stripe's). Events are delivered signed, in order, out of order, twice and
// after failures, as Stripe delivers them; in every case each paid period is granted exactly
// once, ends when it should, and the ledger balances.
import { Registry } from 'prom-client';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlanNotifier } from '../../../src/discord/plan-notifier.js';
import { createDiscordPurchaseNotifier } from '../../../src/discord/purchase-notifier.js';
import type { createBot } from '../../../src/discord/bot.js';
import { createPgStripeCustomers } from '../../../src/db/stripe-customers.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { createSqlTierSubscriptions } from '../../../src/ledger/sql-tier-subscriptions.js';
import { startHealthServer } from '../../../src/observability/health-server.js';
import { createStripeCheckout } from '../../../src/payments/stripe-checkout.js';
import { createStripeClient } from '../../../src/payments/stripe-client.js';
import { createStripePlanBilling } from '../../../src/payments/stripe-plan-billing.js';
import { createStripePlanEvents } from '../../../src/payments/stripe-plan-events.js';
import { createStripeWebhookRoute } from '../../../src/payments/stripe-webhook-route.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import type { TierSubscriptions } from '../../../src/use-cases/ports/tier-subscriptions.js';
import type { FakeStripeEvent } from '../../fakes/fake-stripe-billing.js';
import { FakeStripe, type FormObject } from '../../fakes/fake-stripe.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { captureLog } from '../../support/captured-log.js';
import { setDatabaseClock } from '../../support/database.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '260000000000000001';
const CHANNEL = '260000000000000002';
const WEBHOOK_SECRET = 'whsec_test_plans_secret';
const day = 86_400_000;
let sequence = 0;
const aMember = () => ({ id: `36000000000000${String(++sequence).padStart(4, '0')}`, username: `subscriber${sequence}` });
type Member = ReturnType<typeof aMember>;

const f = usePipeline(3);
let fake: FakeDiscord;
let stripe: FakeStripe;
let operator: Stripe;
let bot: ReturnType<typeof createBot>;
let webhook: Awaited<ReturnType<typeof startHealthServer>>;
let card: PriceCard;
let subscriptions: TierSubscriptions;
const webhookLog = captureLog('info');

beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Plans', channels: [{ id: CHANNEL, name: 'general', type: 0 }] });
  stripe = await FakeStripe.start();
  await setDatabaseClock(f.database, stripe.billing.now);
  const client = createStripeClient({ secretKey: stripe.secretKey, apiUrl: stripe.apiUrl, timeoutMs: 2000 });
  // The operator's own tooling (the dashboard) on the same account: plan changes, as Stripe's API takes them.
  operator = client;
  const checkout = createStripeCheckout(client);
  const cardPlans = { billing: createStripePlanBilling(client), customers: createPgStripeCustomers(f.database.db.pool) };
  subscriptions = createSqlTierSubscriptions(f.database.db.pool);
  const now = () => stripe.billing.now;
  bot = await startTestBot(f, fake, card, { checkout, cardPlans, now });
  webhook = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    registry: new Registry(),
    checks: {},
    routes: [
      createStripeWebhookRoute({
        webhookSecret: WEBHOOK_SECRET,
        ledger: f.ledger,
        checkout,
        card,
        log: webhookLog.log,
        notifier: createDiscordPurchaseNotifier({ token: fake.token, apiUrl: fake.apiUrl }),
        plans: createStripePlanEvents({
          card,
          cardPlans: { ...cardPlans, notifier: createDiscordPlanNotifier({ token: fake.token, apiUrl: fake.apiUrl }) },
          tierSubscriptions: subscriptions,
          log: webhookLog.log,
          now,
        }),
      }),
    ],
  });
});
afterAll(async () => {
  await webhook?.close();
  await bot?.stop();
  await stripe?.close();
  await fake?.close();
});

type Components = { components?: { components: { custom_id?: string; url?: string; style: number; label?: string }[] }[] };
const buttons = (data: unknown) => ((data as Components).components ?? []).flatMap((row) => row.components);

async function click(user: Member, customId: string) {
  const handle = fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId });
  const callback = await handle.answer();
  const reply = callback.type === 5 ? (await handle.waitForWebhookCall('edit-original')).payload : callback.data;
  return reply as Record<string, unknown>;
}

/** Moves Stripe's test clock and the ledger's clock together. */
async function advance(ms: number) {
  stripe.billing.advanceTo(new Date(stripe.billing.now.getTime() + ms));
  await setDatabaseClock(f.database, stripe.billing.now);
}

const sign = (body: string) => Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
async function post(event: FakeStripeEvent) {
  const body = FakeStripe.event(event.type, event.object, event.id);
  const response = await fetch(`http://127.0.0.1:${webhook.port}/stripe/webhook`, { method: 'POST', body, headers: { 'stripe-signature': sign(body) } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Delivers events as Stripe does: each until it is answered 2xx (Stripe retries for days), in the
 * order given. Returns every answer.
 */
async function deliver(events: FakeStripeEvent[]) {
  const answers: { type: string; status: number; body: Record<string, unknown> }[] = [];
  let waiting = events;
  for (let round = 0; waiting.length > 0 && round < 5; round++) {
    const failed: FakeStripeEvent[] = [];
    for (const event of waiting) {
      const answer = await post(event);
      answers.push({ type: event.type, ...answer });
      if (answer.status >= 300) failed.push(event);
    }
    waiting = failed;
  }
  expect(waiting.map((e) => e.type)).toEqual([]);
  return answers;
}
/** Each test's member has their own Stripe customer; the test clock renews everyone's plans, so each test takes only its member's events. */
const customerOf = (subscriptionId: string) => stripe.billing.subscriptions.get(subscriptionId)!.customer;
const eventsOf = (subscriptionId: string) => stripe.billing.takeEvents(customerOf(subscriptionId));
const deliverAll = (subscriptionId: string) => deliver(eventsOf(subscriptionId));

/** A member subscribes through the button and pays on Stripe's page; returns their subscription id (events not delivered yet). */
async function subscribe(user: Member, planId: string) {
  const reply = await click(user, `subscribe:card:${planId}`);
  const [link] = buttons(reply);
  const sessionId = [...stripe.sessions.keys()].at(-1)!;
  expect(link?.url).toBe(stripe.sessions.get(sessionId)!['url']);
  return stripe.paySubscription(sessionId).id;
}

const tierLots = async (userId: string) =>
  (
    await f.database.sql.query<{ amount: number; remaining: number; expires_at: Date; subscription_period_id: string | null; guild_id: string | null }>(
      `SELECT amount, remaining, expires_at, subscription_period_id, guild_id FROM credit_lot WHERE user_id = $1 AND kind = 'tier' ORDER BY id`,
      [userId],
    )
  ).rows;
const tierCredits = async (userId: string) => (await f.ledger.balance(userId, GUILD)).buckets.tier.available;
const planDms = (userId: string) => fake.directMessages(userId).map((m) => String(m.payload?.['content']));

async function spend(userId: string, amount: number) {
  const held = await f.ledger.hold({ key: `spend-${userId}-${amount}-${Math.random()}`, userId, guildId: GUILD, amount, actorId: userId, reason: 'a job' });
  if (!held.ok) throw new Error(JSON.stringify(held.error));
  await f.ledger.settle({ holdId: held.value.holdId, capture: amount, actorId: 'system', reason: 'delivered' });
}

describe('the subscribe buttons', () => {
  it('a plan button makes a subscription-mode Checkout Session with the card’s price, for this member’s own Stripe customer', async () => {
    const member = aMember();
    const reply = await click(member, 'subscribe:card:pro-week');
    const request = stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(request.idempotencyKey).toMatch(/^plan-checkout:\d+$/);
    const params = request.params;
    const customer = stripe.requests.filter((r) => r.path === '/v1/customers').at(-1)!;
    expect(customer.idempotencyKey).toBe(`customer:${member.id}`);
    expect(params).toMatchObject({
      mode: 'subscription',
      customer: expect.stringMatching(/^cus_/),
      client_reference_id: member.id,
      metadata: { userId: member.id, guildId: GUILD, planId: 'pro-week', tier: 'pro' },
      subscription_data: { metadata: { userId: member.id, planId: 'pro-week' } },
    });
    const [item] = params['line_items'] as FormObject[];
    expect(item).toMatchObject({ quantity: '1', price_data: { currency: 'usd', unit_amount: '399', recurring: { interval: 'week' } } });
    expect(String(reply['content'])).toMatch(/450 credits a week for \$3\.99/);
    expect(buttons(reply)[0]).toMatchObject({ style: 5, label: 'Subscribe for $3.99 a week' });
    // A second plan click reuses the same customer: one portal shows every plan.
    await click(member, 'subscribe:card:ultra-year');
    const second = stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(second.params['customer']).toBe(params['customer']);
    expect(stripe.requests.filter((r) => r.path === '/v1/customers' && r.idempotencyKey === `customer:${member.id}`)).toHaveLength(1);
    expect(await tierCredits(member.id)).toBe(0);
  });

  it('a plan no longer on the card, or the portal before any plan, gets a friendly answer', async () => {
    const member = aMember();
    expect(String((await click(member, 'subscribe:card:gold-week'))['content'])).toMatch(/no longer sold/);
    expect(String((await click(member, 'subscribe:portal'))['content'])).toMatch(/no card plan to manage/);
  });

  it('when Stripe is down the member is told nothing was charged', async () => {
    stripe.down = true;
    try {
      expect(String((await click(aMember(), 'subscribe:card:pro-week'))['content'])).toMatch(/not answering.*nothing was charged/);
    } finally {
      stripe.down = false;
    }
  });
});

describe('a weekly plan', () => {
  it('grants the first week at checkout and each of three renewals once, each expiring at its renewal; replays grant nothing', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'pro-week');
    const answers = await deliverAll(subscriptionId);
    expect(answers.filter((a) => a.type === 'invoice.paid').map((a) => a.body)).toEqual([{ received: true, granted: 450 }]);
    expect(await tierCredits(member.id)).toBe(450);
    expect(planDms(member.id)).toEqual([expect.stringMatching(/\*\*Pro\*\* plan payment went through: \*\*450 credits\*\*/)]);
    const first = stripe.billing.invoicesOf(subscriptionId);
    const replayedFirst = eventsOf(subscriptionId);
    expect(replayedFirst).toEqual([]);

    for (let week = 1; week <= 3; week++) {
      await advance(7 * day + 60_000);
      const events = eventsOf(subscriptionId);
      expect(events.map((e) => e.type)).toEqual([
        'invoice.created',
        'invoice.finalized',
        'invoice.paid',
        'invoice.payment_succeeded',
        'customer.subscription.updated',
      ]);
      await deliver(events);
      // Stripe sends it again (a timeout on its side): nothing more.
      await deliver(events.filter((e) => e.type === 'invoice.paid'));
    }
    const lots = await tierLots(member.id);
    expect(lots.map((l) => l.amount)).toEqual([450, 450, 450, 450]);
    expect(lots.every((l) => l.guild_id === null)).toBe(true);
    const invoices = stripe.billing.invoicesOf(subscriptionId);
    expect(invoices).toHaveLength(4);
    expect(first).toHaveLength(1);
    expect(lots.map((l) => l.expires_at.getTime())).toEqual(invoices.map((i) => (i.lines.data[0]!['period'] as { end: number }).end * 1000));
    // Only the running week's credits are spendable; earlier weeks expired at their renewals.
    expect(await tierCredits(member.id)).toBe(450);
    const { rows } = await f.database.sql.query(`SELECT reference FROM tier_subscription_period WHERE subscription_id = $1 ORDER BY id`, [
      `stripe:${subscriptionId}`,
    ]);
    expect(rows).toEqual(invoices.map((i) => ({ reference: `stripe-invoice:${i.id}` })));
    expect(planDms(member.id)).toHaveLength(4);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ tierName: 'pro', status: 'active', ended: false });
    await expectLedgerConsistent(f.database);
  });

  it('events delivered backwards, shuffled, twice and concurrently, some failing first, grant the same once', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'starter-week');
    const checkoutEvents = eventsOf(subscriptionId);
    // Stripe is unreachable while the first deliveries come in: our side answers 500, Stripe retries.
    stripe.down = true;
    const whileDown = await Promise.all([...checkoutEvents].reverse().map(post));
    stripe.down = false;
    expect(whileDown.filter((a) => a.status === 500).length).toBeGreaterThan(0);
    expect(await tierCredits(member.id)).toBe(0);
    const paid = checkoutEvents.filter((e) => e.type === 'invoice.paid');
    const concurrent = await Promise.all([...paid, ...paid, ...paid, ...paid, ...paid, ...paid].map(post));
    expect(concurrent.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(concurrent.reduce((sum, a) => sum + Number(a.body['granted']), 0)).toBe(200);
    await deliver([...checkoutEvents].reverse());

    await advance(7 * day + 60_000);
    const renewal = eventsOf(subscriptionId);
    // The subscription's update first, the paid invoice last, then everything again.
    await deliver([...renewal].reverse());
    await deliver([...renewal, ...checkoutEvents].sort(() => Math.random() - 0.5));
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([200, 200]);
    expect(await tierCredits(member.id)).toBe(200);
    expect(planDms(member.id)).toHaveLength(2);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ tierName: 'starter', status: 'active' });
    await expectLedgerConsistent(f.database);
  });

  it('a period recorded just before a crash, its grant not made, is granted once when Stripe sends the event again', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'pro-week');
    const events = eventsOf(subscriptionId);
    await deliver(events.filter((e) => e.type !== 'invoice.paid'));
    // The process died between recording the invoice's period and granting it (two statements).
    const [invoice] = stripe.billing.invoicesOf(subscriptionId);
    const period = (invoice!.lines.data[0] as { period: { start: number; end: number } }).period;
    await f.database.sql.query(
      `INSERT INTO tier_subscription_period (subscription_id, reference, tier_name, credits, period_start, period_end, expires_at)
       VALUES ($1, $2, 'pro', 450, to_timestamp($3), to_timestamp($4), to_timestamp($4))`,
      [`stripe:${subscriptionId}`, `stripe-invoice:${invoice!.id}`, period.start, period.end],
    );
    expect(await tierLots(member.id)).toEqual([]);
    const paid = events.filter((e) => e.type === 'invoice.paid');
    const answers = await deliver([...paid, ...paid]);
    expect(answers.map((a) => a.body['granted'])).toEqual([450, 0]);
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([450]);
    expect(planDms(member.id)).toHaveLength(1);
    await expectLedgerConsistent(f.database);
  });

  it('cancelled in the portal: the tier lasts to the period’s end, then ends; nothing more is granted', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'pro-week');
    await deliverAll(subscriptionId);
    const portal = await click(member, 'subscribe:portal');
    expect(buttons(portal)[0]).toMatchObject({ style: 5, label: 'Manage card plan', url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\//) });
    expect(stripe.billing.portalSessions.at(-1)).toMatchObject({ customer: (await createPgStripeCustomers(f.database.db.pool).find(member.id))! });
    // What the member does in the portal (cancel at the period's end), as Stripe's API takes it.
    await operator.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await deliverAll(subscriptionId);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ status: 'ending', ended: false });
    expect((await subscriptions.live(member.id, GUILD, stripe.billing.now)).map((s) => s.status)).toEqual(['ending']);

    await advance(7 * day + 60_000);
    const ending = eventsOf(subscriptionId);
    expect(ending.map((e) => e.type)).toEqual(['customer.subscription.deleted']);
    await deliver([...ending, ...ending]);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ ended: true });
    expect(await subscriptions.live(member.id, GUILD, stripe.billing.now)).toEqual([]);
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([450]);
    expect(await tierCredits(member.id)).toBe(0);
    // A new plan is allowed once the old one is over.
    expect(String((await click(member, 'subscribe:card:pro-week'))['content'])).toMatch(/450 credits a week/);
    await expectLedgerConsistent(f.database);
  });

  it('a member with a live card plan is sent to the portal instead of paying twice', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'pro-week');
    await deliverAll(subscriptionId);
    const before = stripe.sessions.size;
    expect(String((await click(member, 'subscribe:card:ultra-week'))['content'])).toMatch(/already have a card plan \(\*\*pro\*\*/);
    expect(stripe.sessions.size).toBe(before);
  });
});

describe('a failed renewal', () => {
  it('keeps the tier (without new credits) while Stripe retries, and ends it when Stripe gives up', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'pro-week');
    await deliverAll(subscriptionId);
    stripe.billing.decliningCustomers.add(stripe.billing.subscriptions.get(subscriptionId)!.customer);
    await advance(7 * day + 60_000);
    const failed = eventsOf(subscriptionId);
    expect(failed.map((e) => e.type)).toContain('invoice.payment_failed');
    await deliver(failed);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ tierName: 'pro', status: 'active', ended: false });
    expect(await subscriptions.live(member.id, GUILD, stripe.billing.now)).toHaveLength(1);
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([450]);
    // Two retries fail; the third (day 5) is the last, and Stripe cancels the subscription.
    await advance(3 * day);
    await deliverAll(subscriptionId);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ ended: false });
    await advance(3 * day);
    const givenUp = eventsOf(subscriptionId);
    expect(givenUp.map((e) => e.type)).toEqual(['invoice.payment_failed', 'customer.subscription.deleted']);
    await deliver(givenUp);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ ended: true });
    expect(await subscriptions.live(member.id, GUILD, stripe.billing.now)).toEqual([]);
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([450]);
    await expectLedgerConsistent(f.database);
  });

  it('a retry that succeeds grants the period once; `unpaid` (Stripe set to keep it open) ends the tier too', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'ultra-week');
    await deliverAll(subscriptionId);
    const customer = stripe.billing.subscriptions.get(subscriptionId)!.customer;
    stripe.billing.decliningCustomers.add(customer);
    await advance(7 * day + 60_000);
    await deliverAll(subscriptionId);
    stripe.billing.decliningCustomers.delete(customer);
    await advance(1 * day);
    const recovered = eventsOf(subscriptionId);
    expect(recovered.map((e) => e.type)).toEqual(['invoice.paid', 'invoice.payment_succeeded', 'customer.subscription.updated']);
    await deliver([...recovered, ...recovered]);
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([1000, 1000]);

    stripe.billing.retryPolicy = { retryDays: [1], afterLastFailure: 'unpaid' };
    try {
      stripe.billing.decliningCustomers.add(customer);
      await advance(6 * day);
      await deliverAll(subscriptionId);
      await advance(1 * day + 60_000);
      await deliverAll(subscriptionId);
      expect(stripe.billing.subscriptions.get(subscriptionId)!.status).toBe('unpaid');
      expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ ended: true });
      expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([1000, 1000]);
    } finally {
      stripe.billing.retryPolicy = { retryDays: [1, 3, 5], afterLastFailure: 'cancel' };
    }
    await expectLedgerConsistent(f.database);
  });
});

describe('plan changes', () => {
  const priceData = (cents: number) => ({ currency: 'usd', unit_amount: cents, recurring: { interval: 'week' as const }, product: 'prod_plan' });

  it('an upgrade mid-period grants the difference once, when it is paid; a downgrade waits for the renewal', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'pro-week');
    await deliverAll(subscriptionId);
    await spend(member.id, 100);
    await advance(2 * day);
    const item = stripe.billing.subscriptions.get(subscriptionId)!.items.data[0]!;
    await operator.subscriptions.update(subscriptionId, {
      items: [{ id: item.id, price_data: priceData(799) }],
      metadata: { planId: 'ultra-week', tier: 'ultra' },
      proration_behavior: 'always_invoice',
    });
    const upgrade = eventsOf(subscriptionId);
    await deliver([...upgrade].reverse());
    await deliver(upgrade);
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([450, 550]);
    expect(await tierCredits(member.id)).toBe(900);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ tierName: 'ultra', renewalTierName: null });

    // Back to Pro, without a refund: Ultra lasts to the renewal, then Pro's 450.
    await operator.subscriptions.update(subscriptionId, {
      items: [{ id: item.id, price_data: priceData(399) }],
      metadata: { planId: 'pro-week', tier: 'pro' },
      proration_behavior: 'none',
    });
    await deliverAll(subscriptionId);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ tierName: 'ultra', renewalTierName: 'pro' });
    await advance(5 * day + 60_000);
    await deliverAll(subscriptionId);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ tierName: 'pro', renewalTierName: null });
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([450, 550, 450]);
    await expectLedgerConsistent(f.database);
  });
  it('an upgrade billed with the next renewal (Stripe’s default) grants when paid: the new tier’s full week, not a difference', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'starter-week');
    await deliverAll(subscriptionId);
    await advance(3 * day);
    const item = stripe.billing.subscriptions.get(subscriptionId)!.items.data[0]!;
    await operator.subscriptions.update(subscriptionId, {
      items: [{ id: item.id, price_data: priceData(399) }],
      metadata: { planId: 'pro-week', tier: 'pro' },
    });
    await deliverAll(subscriptionId);
    // Nothing is paid yet, so nothing more is granted; the tier is Pro from now.
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([200]);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ tierName: 'pro' });
    await advance(4 * day + 60_000);
    const renewal = eventsOf(subscriptionId);
    const paid = renewal.find((e) => e.type === 'invoice.paid')!;
    expect((paid.object['lines'] as { data: unknown[] }).data).toHaveLength(3);
    await deliver([...renewal].reverse());
    expect((await tierLots(member.id)).map((l) => l.amount)).toEqual([200, 450]);
    await expectLedgerConsistent(f.database);
  });
});

describe('refunds', () => {
  it('a full refund of the running week ends the plan now, takes back what is unspent, and stops Stripe billing', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'pro-week');
    await deliverAll(subscriptionId);
    await spend(member.id, 120);
    const [invoice] = stripe.billing.invoicesOf(subscriptionId);
    stripe.billing.refund(invoice!.id, 399);
    const refund = eventsOf(subscriptionId);
    const answers = await deliver([...refund, ...refund]);
    expect(answers.map((a) => a.body['changed'])).toEqual([true, false]);
    expect(await tierCredits(member.id)).toBe(0);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ ended: true });
    expect(stripe.billing.subscriptions.get(subscriptionId)!.status).toBe('canceled');
    expect(planDms(member.id).at(-1)).toMatch(/refunded.*\*\*330 credits\*\* from it were taken back\. You had already used 120/);
    // Stripe's own events about the cancellation change nothing more, and a renewal never comes.
    await deliverAll(subscriptionId);
    await advance(8 * day);
    expect(eventsOf(subscriptionId)).toEqual([]);
    expect((await tierLots(member.id)).map((l) => [l.amount, l.remaining])).toEqual([[450, 0]]);
    await expectLedgerConsistent(f.database);
  });

  it('a yearly plan refunded in two parts takes back the refunded share of the year’s credits, capped at what is unspent', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'pro-year');
    await deliverAll(subscriptionId);
    const yearCredits = 450 * 52;
    expect(await tierCredits(member.id)).toBe(yearCredits);
    await advance(90 * day);
    await spend(member.id, 2_000);
    const [invoice] = stripe.billing.invoicesOf(subscriptionId);
    // A quarter of the $179.99 back ($45.00): that share of the year's credits, rounded up by the ledger.
    stripe.billing.refund(invoice!.id, 4_500);
    await deliverAll(subscriptionId);
    const quarter = Math.ceil((yearCredits * 4_500) / 17_999);
    expect(quarter).toBe(5_851);
    expect(await tierCredits(member.id)).toBe(yearCredits - 2_000 - quarter);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ ended: true });
    expect(stripe.billing.subscriptions.get(subscriptionId)!.status).toBe('canceled');
    // The member spends most of what is left; then the rest of the price is refunded: everything
    // still unspent goes, what was spent stays spent (and is reported).
    await spend(member.id, 15_000);
    stripe.billing.refund(invoice!.id, 17_999);
    const rest = eventsOf(subscriptionId);
    const answers = await deliver([...rest, ...rest]);
    expect(answers.filter((a) => a.type === 'charge.refunded').map((a) => a.body['changed'])).toEqual([true, false]);
    expect(await tierCredits(member.id)).toBe(0);
    expect(planDms(member.id).at(-1)).toMatch(
      new RegExp(`\\*\\*${yearCredits - 2_000 - quarter - 15_000} credits\\*\\* from it were taken back\\. You had already used 17000`),
    );
    const [lot] = await tierLots(member.id);
    expect(lot).toMatchObject({ amount: yearCredits, remaining: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('a chargeback (dispute) of the running period takes back all that is unspent and ends the plan, once', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'starter-week');
    await deliverAll(subscriptionId);
    await spend(member.id, 50);
    const [invoice] = stripe.billing.invoicesOf(subscriptionId);
    const dispute = stripe.billing.dispute(invoice!.id);
    const answers = await deliver([dispute, dispute]);
    expect(answers.map((a) => a.body['changed'])).toEqual([true, false]);
    expect(await tierCredits(member.id)).toBe(0);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ ended: true });
    expect(stripe.billing.subscriptions.get(subscriptionId)!.status).toBe('canceled');
    await deliverAll(subscriptionId);
    await expectLedgerConsistent(f.database);
  });

  it('a refund that arrives before its invoice was recorded still ends the plan, and the late invoice grants nothing', async () => {
    const member = aMember();
    const subscriptionId = await subscribe(member, 'max-week');
    const checkoutEvents = eventsOf(subscriptionId);
    const [invoice] = stripe.billing.invoicesOf(subscriptionId);
    stripe.billing.refund(invoice!.id, 1499);
    await deliver(eventsOf(subscriptionId));
    await deliver([...checkoutEvents, ...eventsOf(subscriptionId)]);
    expect(await tierCredits(member.id)).toBe(0);
    expect(await tierLots(member.id)).toEqual([]);
    expect(await subscriptions.find('stripe', subscriptionId)).toMatchObject({ ended: true });
    await expectLedgerConsistent(f.database);
  });
});
