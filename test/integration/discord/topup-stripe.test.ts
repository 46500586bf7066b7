// The Stripe path of /topup, end to end on real processes' parts: the real discord.js client on
// the fake Discord, the real `stripe` client on the fake Stripe API, the webhook route on a real
// HTTP server, the real ledger. A card button makes a Checkout Session for the member who clicked;
// only a correctly signed, paid `checkout.session.completed` grants the pack, once per session,
// however often or concurrently Stripe sends it, and the member gets a DM.
import { request as httpRequest } from 'node:http';
import { Registry } from 'prom-client';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPurchaseNotifier } from '../../../src/discord/purchase-notifier.js';
import type { createBot } from '../../../src/discord/bot.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { startHealthServer } from '../../../src/observability/health-server.js';
import { createStripeCheckout } from '../../../src/payments/stripe-checkout.js';
import { createStripeClient } from '../../../src/payments/stripe-client.js';
import { createStripeWebhookRoute } from '../../../src/payments/stripe-webhook-route.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { FakeStripe, type FormObject } from '../../fakes/fake-stripe.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { captureLog } from '../../support/captured-log.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '250000000000000001';
const CHANNEL = '250000000000000002';
const WEBHOOK_SECRET = 'whsec_test_local_secret_for_tests';
let sequence = 0;
const aMember = () => ({ id: `35000000000000${String(++sequence).padStart(4, '0')}`, username: `buyer${sequence}` });

const f = usePipeline(3);
let fake: FakeDiscord;
let stripe: FakeStripe;
let bot: ReturnType<typeof createBot>;
let webhook: Awaited<ReturnType<typeof startHealthServer>>;
let card: PriceCard;
const webhookLog = captureLog('warn');

beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Shop', channels: [{ id: CHANNEL, name: 'general', type: 0 }] });
  stripe = await FakeStripe.start();
  const checkout = createStripeCheckout(createStripeClient({ secretKey: stripe.secretKey, apiUrl: stripe.apiUrl, timeoutMs: 2000 }));
  bot = await startTestBot(f, fake, card, { checkout });
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
const topups = async (userId: string) => (await f.ledger.balance(userId, GUILD)).buckets.topup.available;
const pack = (id: string) => card.packs.find((p) => p.id === id)!;

/** Clicks "Buy with card" for a pack; returns the deferral and the edited private reply. */
async function clickBuy(user: { id: string; username: string }, packId: string) {
  const handle = fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: `topup:stripe:${packId}` });
  const callback = await handle.answer();
  const reply = callback.type === 5 ? (await handle.waitForWebhookCall('edit-original')).payload : callback.data;
  return { callback, reply: reply as Record<string, unknown> };
}

/** A session the bot made for this member through the fake Stripe. */
async function sessionFor(user: { id: string; username: string }, packId: string): Promise<string> {
  const before = stripe.sessions.size;
  await clickBuy(user, packId);
  expect(stripe.sessions.size).toBe(before + 1);
  return [...stripe.sessions.keys()].at(-1)!;
}

const sign = (body: string, secret = WEBHOOK_SECRET) => Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
/** Posts an event as Stripe does; `signature: null` sends none. */
async function postWebhook(body: string, signature: string | null = sign(body)) {
  const response = await fetch(`http://127.0.0.1:${webhook.port}/stripe/webhook`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'stripe-signature': signature }) },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const completedEvent = (sessionId: string, paymentStatus: 'paid' | 'unpaid' = 'paid', type = 'checkout.session.completed') =>
  FakeStripe.event(type, stripe.completed(sessionId, paymentStatus));

describe('/topup with Stripe configured', () => {
  it('offers a "Buy with card" button for every pack and makes no session yet', async () => {
    const callback = await fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user: aMember(), name: 'topup' }).answer();
    expect(callback.type).toBe(5);
    expect((callback.data as { flags: number }).flags).toBe(64);
    expect(buttons(callback.data).map((b) => b.custom_id)).toEqual(card.packs.map((p) => `topup:stripe:${p.id}`));
    expect(buttons(callback.data)[1]!.label).toContain('$10');
    expect(stripe.requests).toHaveLength(0);
  });

  it('a click makes a Checkout Session for this member, guild and pack, and replies privately with its link', async () => {
    const buyer = aMember();
    const { callback, reply } = await clickBuy(buyer, 'credits-1200');
    expect(callback).toMatchObject({ type: 5, data: { flags: 64 } });
    const request = stripe.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions', authorized: true, status: 200 });
    expect(request.idempotencyKey).toMatch(/^topup-checkout:\d+$/);
    const params = request.params;
    expect(params).toMatchObject({
      mode: 'payment',
      client_reference_id: buyer.id,
      metadata: { userId: buyer.id, guildId: GUILD, packId: 'credits-1200', credits: '1200' },
      success_url: `https://discord.com/channels/${GUILD}/${CHANNEL}`,
      cancel_url: `https://discord.com/channels/${GUILD}/${CHANNEL}`,
    });
    // Open for an hour, not Stripe's default day: a price change on the card refuses what was made before it.
    expect(Number(params['expires_at']) - Date.now() / 1000).toBeGreaterThan(59 * 60);
    expect(Number(params['expires_at']) - Date.now() / 1000).toBeLessThanOrEqual(60 * 60);
    const [item] = params['line_items'] as FormObject[];
    expect(item).toMatchObject({ quantity: '1', price_data: { currency: 'usd', unit_amount: '1000', product_data: { name: '1200 credits' } } });
    const session = stripe.sessions.get([...stripe.sessions.keys()].at(-1)!)!;
    expect(session['amount_total']).toBe(1000);
    const [link] = buttons(reply);
    expect(link).toMatchObject({ style: 5, url: session['url'] });
    expect(String(reply['content'])).toMatch(/1200 credits for \$10/);
    // Nothing is granted until Stripe says the session is paid.
    expect(await topups(buyer.id)).toBe(0);
  });

  it('when Stripe is down the member gets a friendly message and nothing changes', async () => {
    const buyer = aMember();
    stripe.down = true;
    try {
      const { reply } = await clickBuy(buyer, 'credits-500');
      expect(String(reply['content'])).toMatch(/not answering right now.*nothing was charged/i);
      expect(buttons(reply)).toEqual([]);
    } finally {
      stripe.down = false;
    }
    expect(await topups(buyer.id)).toBe(0);
  });

  it('a button for a pack no longer on the card says so and calls nothing', async () => {
    const requests = stripe.requests.length;
    const { callback } = await clickBuy(aMember(), 'credits-999999');
    expect(callback).toMatchObject({ type: 5, data: { flags: 64, content: expect.stringMatching(/no longer sold/) } });
    expect(stripe.requests).toHaveLength(requests);
  });
});

describe('POST /stripe/webhook', () => {
  it('refuses a missing, wrong or tampered signature with 400 and grants nothing', async () => {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-500');
    const body = completedEvent(sessionId);
    expect((await postWebhook(body, null)).status).toBe(400);
    expect((await postWebhook(body, sign(body, 'whsec_someone_else'))).status).toBe(400);
    expect((await postWebhook(body, 't=1,v1=deadbeef')).status).toBe(400);
    // Signed for one body, sent with another: the credits asked for were changed in transit.
    const tampered = body.replace('"credits":"500"', '"credits":"50000"');
    expect(tampered).not.toBe(body);
    expect((await postWebhook(tampered, sign(body))).status).toBe(400);
    expect(await topups(buyer.id)).toBe(0);
    expect(fake.directMessages(buyer.id)).toEqual([]);
  });

  it('a paid session grants its pack as never-expiring top-up credits and DMs the member', async () => {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-1200');
    const answer = await postWebhook(completedEvent(sessionId));
    expect(answer).toEqual({ status: 200, body: { received: true, granted: true } });
    expect(await topups(buyer.id)).toBe(1200);
    const balance = await f.ledger.balance(buyer.id, 'any-other-guild');
    expect(balance.buckets.topup).toEqual({ available: 1200, nextExpiry: null });
    const [dm] = fake.directMessages(buyer.id);
    expect(String(dm?.payload?.['content'])).toMatch(/\*\*1200 credits\*\* are in your balance/);
    expect(String(dm?.payload?.['content'])).toContain('(top-up credits now: **1200**)');
    await expectLedgerConsistent(f.database);
  });

  it('a replayed event, a second event for the same session and concurrent deliveries grant once', async () => {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-3000');
    const body = completedEvent(sessionId);
    const signature = sign(body);
    const concurrent = await Promise.all(Array.from({ length: 6 }, () => postWebhook(body, signature)));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(concurrent.filter((r) => r.body['granted'] === true)).toHaveLength(1);
    expect((await postWebhook(body, signature)).body).toEqual({ received: true, granted: false });
    expect((await postWebhook(completedEvent(sessionId, 'paid', 'checkout.session.async_payment_succeeded'))).body).toEqual({ received: true, granted: false });
    expect(await topups(buyer.id)).toBe(pack('credits-3000').credits);
    expect(fake.directMessages(buyer.id)).toHaveLength(1);
    const { rows } = await f.database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM credit_lot WHERE user_id = $1`, [buyer.id]);
    expect(rows[0]!.n).toBe(1);
    await expectLedgerConsistent(f.database);
  });

  it('an unpaid completed session grants nothing; its async_payment_succeeded later grants it', async () => {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-500');
    expect((await postWebhook(completedEvent(sessionId, 'unpaid'))).body).toEqual({ received: true, granted: false, reason: 'not_paid' });
    expect(await topups(buyer.id)).toBe(0);
    expect(fake.directMessages(buyer.id)).toEqual([]);
    expect((await postWebhook(completedEvent(sessionId, 'paid', 'checkout.session.async_payment_succeeded'))).body).toEqual({ received: true, granted: true });
    expect(await topups(buyer.id)).toBe(500);
  });

  it('answers 200 but grants nothing for an unknown pack or missing metadata (a retry could never fix them)', async () => {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-500');
    const session = stripe.completed(sessionId);
    const unknownPack = FakeStripe.event('checkout.session.completed', { ...session, id: `${sessionId}_a`, metadata: { ...session.metadata, packId: 'gone' } });
    expect((await postWebhook(unknownPack)).body).toEqual({ received: true, granted: false, reason: 'unknown_pack' });
    const noUser = FakeStripe.event('checkout.session.completed', {
      ...session,
      id: `${sessionId}_b`,
      metadata: { packId: 'credits-500', credits: '500', guildId: GUILD },
    });
    expect((await postWebhook(noUser)).body).toEqual({ received: true, granted: false, reason: 'missing_metadata' });
    expect(await topups(buyer.id)).toBe(0);
  });

  it('a paid session whose amount, currency or credits differ from the pack on the card grants nothing, answers 200 and is logged for the operator', async () => {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-1200');
    const session = stripe.completed(sessionId);
    // Each signed by Stripe, so believed; none is what the card sells for $10.00.
    const wrong = [
      { id: `${sessionId}_cheap`, amount_total: 100 },
      { id: `${sessionId}_yen`, currency: 'jpy' },
      { id: `${sessionId}_free`, amount_total: 0 },
      { id: `${sessionId}_none`, amount_total: null },
      { id: `${sessionId}_more`, metadata: { ...session.metadata, credits: '120000' } },
    ];
    for (const change of wrong) {
      const answer = await postWebhook(FakeStripe.event('checkout.session.completed', { ...session, ...change }));
      expect(answer.status, change.id).toBe(200);
      expect(answer.body, change.id).toMatchObject({ received: true, granted: false, reason: expect.stringMatching(/^(price|credits)_mismatch$/) });
    }
    expect(await topups(buyer.id)).toBe(0);
    expect(fake.directMessages(buyer.id)).toEqual([]);
    const loud = webhookLog
      .lines()
      .filter((line) => line['msg'] === 'paid checkout NOT granted: needs an operator' && String(line['sessionId']).startsWith(sessionId));
    expect(loud).toHaveLength(wrong.length);
    expect(loud[0]).toMatchObject({
      level: 50,
      problem: { code: 'price_mismatch', expectedCents: 1000, expectedCurrency: 'usd', paidCents: 100, paidCurrency: 'usd' },
    });
    expect(loud[4]).toMatchObject({ problem: { code: 'credits_mismatch', promised: 120000, packCredits: 1200 } });
    // The real session, as Stripe sends it, still grants.
    expect((await postWebhook(completedEvent(sessionId))).body).toEqual({ received: true, granted: true });
    expect(await topups(buyer.id)).toBe(1200);
  });

  it('a session Stripe localised to the buyer’s currency (Adaptive Pricing) is checked in the currency it was made in', async () => {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-500');
    const localised = {
      ...stripe.completed(sessionId),
      currency: 'eur',
      amount_total: 465,
      currency_conversion: { amount_subtotal: 500, amount_total: 500, fx_rate: '0.93', source_currency: 'usd' },
    };
    expect((await postWebhook(FakeStripe.event('checkout.session.completed', localised))).body).toEqual({ received: true, granted: true });
    expect(await topups(buyer.id)).toBe(500);
    const underpaid = { ...localised, id: `${sessionId}_under`, currency_conversion: { ...localised.currency_conversion, amount_total: 50 } };
    expect((await postWebhook(FakeStripe.event('checkout.session.completed', underpaid))).body).toEqual({
      received: true,
      granted: false,
      reason: 'price_mismatch',
    });
    expect(await topups(buyer.id)).toBe(500);
  });

  it('ignores other event types with 200', async () => {
    const body = FakeStripe.event('payment_intent.created', { id: 'pi_test_1', object: 'payment_intent' });
    expect(await postWebhook(body)).toEqual({ status: 200, body: { received: true, ignored: 'payment_intent.created' } });
  });

  it('still grants and answers 200 when the member does not accept DMs', async () => {
    const buyer = aMember();
    fake.closedDms.add(buyer.id);
    const sessionId = await sessionFor(buyer, 'credits-8000');
    expect((await postWebhook(completedEvent(sessionId))).body).toEqual({ received: true, granted: true });
    expect(await topups(buyer.id)).toBe(8000);
    expect(fake.requests.some((r) => r.path.endsWith('/messages') && r.status === 403)).toBe(true);
  });

  it('answers 405 to other methods and 413 to an oversized body', async () => {
    expect((await fetch(`http://127.0.0.1:${webhook.port}/stripe/webhook`)).status).toBe(405);
    // Announced as 2 MiB: refused from the header, before a byte of it is read.
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: webhook.port,
          path: '/stripe/webhook',
          method: 'POST',
          headers: { 'content-length': 2 * 1024 * 1024, 'stripe-signature': 't=1,v1=0' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
          request.destroy();
        },
      );
      request.on('error', reject);
      request.write('{');
    });
    expect(status).toBe(413);
    await expectLedgerConsistent(f.database);
  });
});

describe('refunds and disputes (charge.refunded, charge.dispute.created / .closed)', () => {
  /** A member who bought credits-1200 ($10) by card: the session, granted. */
  async function bought(): Promise<{ buyer: { id: string; username: string }; sessionId: string }> {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-1200');
    expect((await postWebhook(completedEvent(sessionId))).body).toEqual({ received: true, granted: true });
    expect(await topups(buyer.id)).toBe(1200);
    return { buyer, sessionId };
  }
  const refunded = (sessionId: string, cents: number) => FakeStripe.event('charge.refunded', stripe.refundedCharge(sessionId, cents));
  const disputeEvent = (
    sessionId: string,
    disputeId: string,
    type: 'charge.dispute.created' | 'charge.dispute.closed',
    status: 'needs_response' | 'won' | 'lost',
  ) => FakeStripe.event(type, stripe.dispute(sessionId, disputeId, status));
  const dmsOf = (userId: string) => fake.directMessages(userId).map((m) => String(m.payload?.['content']));

  it('a full refund takes the unspent pack back once, however often or concurrently Stripe sends it, and tells the member', async () => {
    const { buyer, sessionId } = await bought();
    const body = refunded(sessionId, 1000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => postWebhook(body)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body['changed'] === true)).toHaveLength(1);
    expect((await postWebhook(body)).body).toEqual({ received: true, changed: false });
    expect(await topups(buyer.id)).toBe(0);
    const dms = dmsOf(buyer.id);
    expect(dms).toHaveLength(2); // the purchase, then the refund
    expect(dms[1]).toMatch(/Your card payment was refunded, so \*\*1200 credits\*\* bought with it were taken back \(top-up credits now: \*\*0\*\*\)/);
    await expectLedgerConsistent(f.database);
  });

  it('partial refunds take back in proportion, in total, whatever order the events arrive in', async () => {
    const { buyer, sessionId } = await bought();
    // $3 of $10 refunded: 360 of 1,200 credits.
    expect((await postWebhook(refunded(sessionId, 300))).body).toEqual({ received: true, changed: true });
    expect(await topups(buyer.id)).toBe(840);
    // Then the rest ($10 in all): the other 840. A late copy of the first event changes nothing.
    expect((await postWebhook(refunded(sessionId, 1000))).body).toEqual({ received: true, changed: true });
    expect((await postWebhook(refunded(sessionId, 300))).body).toEqual({ received: true, changed: false });
    expect(await topups(buyer.id)).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('after the member spent some, takes only what is left, tells them, and drives nothing negative', async () => {
    const { buyer, sessionId } = await bought();
    const hold = await f.ledger.hold({ key: `spend-${buyer.id}`, userId: buyer.id, guildId: GUILD, amount: 1000, actorId: buyer.id, reason: 'images' });
    expect(hold.ok).toBe(true);
    if (hold.ok) expect((await f.ledger.settle({ holdId: hold.value.holdId, capture: 1000, actorId: 'worker', reason: 'delivered' })).ok).toBe(true);
    expect((await postWebhook(refunded(sessionId, 1000))).body).toEqual({ received: true, changed: true });
    expect(await f.ledger.balance(buyer.id, GUILD)).toMatchObject({ available: 0, held: 0 });
    expect(dmsOf(buyer.id).at(-1)).toMatch(/\*\*200 credits\*\* bought with it were taken back.*You had already used 1000 of them: what you spent stays spent/);
    await expectLedgerConsistent(f.database);
  });

  it('a dispute takes the pack back; won, it is given back once; a lost one changes nothing more', async () => {
    const { buyer, sessionId } = await bought();
    expect((await postWebhook(disputeEvent(sessionId, 'dp_test_won', 'charge.dispute.created', 'needs_response'))).body).toEqual({
      received: true,
      changed: true,
    });
    expect(await topups(buyer.id)).toBe(0);
    expect(dmsOf(buyer.id).at(-1)).toMatch(/disputed with your bank, so \*\*1200 credits\*\*/);
    const won = disputeEvent(sessionId, 'dp_test_won', 'charge.dispute.closed', 'won');
    expect((await postWebhook(won)).body).toEqual({ received: true, changed: true });
    expect((await postWebhook(won)).body).toEqual({ received: true, changed: false });
    expect(await topups(buyer.id)).toBe(1200);
    expect(dmsOf(buyer.id).at(-1)).toMatch(/settled in the seller's favour, so the \*\*1200 credits\*\* it took back are in your balance again/);
    // /history tells the story, newest first.
    const history = await fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user: buyer, name: 'history' }).answer();
    const rows = (history.data as { embeds: { fields: { name: string; value: string }[] }[] }).embeds[0]!.fields.map(
      (field) => `${field.name} | ${field.value}`,
    );
    expect(rows).toEqual([
      expect.stringMatching(/^\+1200 · Given back: card dispute settled for the seller \| .* · top-ups\ndispute dp_test_won won: credits given back$/),
      expect.stringMatching(/^−1200 · Taken back: payment reversed \| .* · top-ups\ncard payment disputed \(dispute dp_test_won\)$/),
      expect.stringMatching(/^\+1200 · Top-up: credits-1200 by card \| .* · top-ups\nbought credits-1200 by card \(Stripe Checkout cs_test_\w+\)$/),
    ]);

    const other = await bought();
    await postWebhook(disputeEvent(other.sessionId, 'dp_test_lost', 'charge.dispute.created', 'needs_response'));
    expect((await postWebhook(disputeEvent(other.sessionId, 'dp_test_lost', 'charge.dispute.closed', 'lost'))).body).toEqual({
      received: true,
      changed: false,
    });
    expect(await topups(other.buyer.id)).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('a refund that arrives before its purchase was granted is answered 500, so Stripe sends it again after the grant', async () => {
    const buyer = aMember();
    const sessionId = await sessionFor(buyer, 'credits-1200');
    const completed = completedEvent(sessionId);
    const early = refunded(sessionId, 1000);
    expect((await postWebhook(early)).status).toBe(500);
    expect((await postWebhook(completed)).body).toEqual({ received: true, granted: true });
    expect((await postWebhook(early)).body).toEqual({ received: true, changed: true });
    expect(await topups(buyer.id)).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('a refund of a payment that bought nothing here answers 200 and moves nothing; a bad signature is refused', async () => {
    const stranger = FakeStripe.event('charge.refunded', {
      id: 'ch_not_ours',
      object: 'charge',
      amount: 500,
      amount_refunded: 500,
      payment_intent: 'pi_not_ours',
    });
    expect(await postWebhook(stranger)).toEqual({ status: 200, body: { received: true, changed: false, reason: 'not_our_payment' } });
    const { buyer, sessionId } = await bought();
    const body = refunded(sessionId, 1000);
    expect((await postWebhook(body, sign(body, 'whsec_wrong'))).status).toBe(400);
    expect(await topups(buyer.id)).toBe(1200);
    await expectLedgerConsistent(f.database);
  });
});
