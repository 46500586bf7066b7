// The Stripe wiring of a real `npm run start:bot` process: with STRIPE_* set, /topup offers card
// buttons whose sessions go to STRIPE_API_URL, and the process's public port (PUBLIC_HTTP_PORT)
// serves POST /stripe/webhook, which grants a signed paid session once and DMs the member. The
// public port serves nothing else but a bare health answer; metrics, health details and the
// webhook are not on each other's ports. A card plan (Stripe subscription) sells on the same wiring.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { FakeStripe } from '../../fakes/fake-stripe.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { dropPrefix, redisUrl, uniquePrefix } from '../../support/redis.js';
import { spawnEntry, type SpawnedProcess } from '../../support/spawned-process.js';

const GUILD = '270000000000000001';
const CHANNEL = '270000000000000002';
const BUYER = { id: '370000000000000001', username: 'buyer' };
const WEBHOOK_SECRET = 'whsec_process_test_secret';
let database: TestDatabase;
let fake: FakeDiscord;
let stripe: FakeStripe;
let bot: SpawnedProcess;
const prefix = uniquePrefix();

beforeAll(async () => {
  database = await createTestDatabase(4);
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Card shop', channels: [{ id: CHANNEL, name: 'shop', type: 0 }] });
  stripe = await FakeStripe.start();
});
afterAll(async () => {
  if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
  await stripe?.close();
  await fake?.close();
  await dropPrefix(prefix);
  await database?.drop();
});

describe('start:bot with Stripe configured', () => {
  it('sells a pack by card: session on click, signed webhook on its public port grants once and DMs; the private port serves no webhook, the public one no metrics or health details', async () => {
    bot = await spawnEntry(
      'bot.ts',
      {
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: stripe.apiUrl,
      },
      'bot started',
    );

    const topup = await fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user: BUYER, name: 'topup' }).answer();
    const cardButton = (topup.data as { components: { components: { custom_id?: string }[] }[] }).components
      .flatMap((row) => row.components)
      .find((button) => button.custom_id === 'topup:stripe:credits-500');
    expect(cardButton).toBeDefined();
    const click = fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: BUYER, customId: cardButton!.custom_id! });
    await click.waitForWebhookCall('edit-original', 10_000);
    const [sessionId] = [...stripe.sessions.keys()];
    expect(stripe.sessions.get(sessionId!)!.metadata).toMatchObject({ userId: BUYER.id, guildId: GUILD, packId: 'credits-500' });

    const body = FakeStripe.event('checkout.session.completed', stripe.completed(sessionId!));
    const publicUrl = bot.publicBaseUrl!;
    expect(publicUrl).toBeDefined();
    expect(publicUrl).not.toBe(bot.baseUrl);
    const post = (signature: string, base = publicUrl) => fetch(`${base}/stripe/webhook`, { method: 'POST', body, headers: { 'stripe-signature': signature } });
    expect((await post(Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_wrong' }))).status).toBe(400);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
    // The private port (metrics, health details) takes no webhook.
    expect((await post(signature, bot.baseUrl)).status).toBe(404);
    expect(await (await post(signature)).json()).toEqual({ received: true, granted: true });
    expect(await (await post(signature)).json()).toEqual({ received: true, granted: false });

    const { rows } = await database.sql.query<{ kind: string; amount: number; expires_at: Date | null; guild_id: string | null }>(
      `SELECT kind, amount, expires_at, guild_id FROM credit_lot WHERE user_id = $1`,
      [BUYER.id],
    );
    expect(rows).toEqual([{ kind: 'topup', amount: 500, expires_at: null, guild_id: null }]);
    // The webhook answers after the DM went out, and the replay sent none.
    expect(fake.directMessages(BUYER.id).map((m) => String(m.payload?.['content']))).toEqual([expect.stringContaining('**500 credits** are in your balance')]);
    await expectLedgerConsistent(database);

    // A card plan on the same wiring: the subscribe button makes a subscription-mode session, the
    // events Stripe sends after payment grant the week once on the public port, and the member is told.
    const subscriber = { id: '370000000000000002', username: 'subscriber' };
    await fake
      .buttonClick({ guildId: GUILD, channelId: CHANNEL, user: subscriber, customId: 'subscribe:card:pro-week' })
      .waitForWebhookCall('edit-original', 10_000);
    const planSessionId = [...stripe.sessions.keys()].at(-1)!;
    expect(stripe.sessions.get(planSessionId)).toMatchObject({ mode: 'subscription', metadata: { userId: subscriber.id, planId: 'pro-week' } });
    stripe.paySubscription(planSessionId);
    for (const event of [...stripe.billing.takeEvents(), ...stripe.billing.takeEvents()].reverse()) {
      const eventBody = FakeStripe.event(event.type, event.object, event.id);
      const delivered = await fetch(`${publicUrl}/stripe/webhook`, {
        method: 'POST',
        body: eventBody,
        headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: eventBody, secret: WEBHOOK_SECRET }) },
      });
      expect(delivered.status, event.type).toBe(200);
    }
    const { rows: planLots } = await database.sql.query(`SELECT kind, amount, guild_id FROM credit_lot WHERE user_id = $1`, [subscriber.id]);
    expect(planLots).toEqual([{ kind: 'tier', amount: 450, guild_id: null }]);
    expect(fake.directMessages(subscriber.id).map((m) => String(m.payload?.['content']))).toEqual([
      expect.stringContaining('**450 credits** are in your balance'),
    ]);
    await expectLedgerConsistent(database);

    // The public port tells a load balancer the process is up, and nothing more.
    const health = await fetch(`${publicUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    for (const path of ['/metrics', '/admin/queues', '/', '/healthz/details']) {
      const response = await fetch(`${publicUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toMatch(/metrics|healthz|postgres|discord/i);
    }
    // The private port still has both.
    expect(await (await fetch(`${bot.baseUrl}/healthz`)).json()).toEqual({ status: 'ok', checks: { postgres: 'ok', discord: 'ok' } });
    expect((await fetch(`${bot.baseUrl}/metrics`)).status).toBe(200);

    expect((await bot.terminate()).code).toBe(0);
  });
});
