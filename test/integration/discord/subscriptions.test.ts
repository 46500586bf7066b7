// Plans sold as Discord app subscriptions (issue 15), through the local Discord speaking the
// protocol as Discord does since its 2024 entitlement migration: SUBSCRIPTION_CREATE/UPDATE carry
// the paid period and status, the entitlement carries the server of a guild plan and is deleted
// on a refund. Each paid period is granted exactly once whatever arrives twice or out of order,
// a refund takes back what the period left unspent, and what happened while the bot was down is
// found at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createBot } from '../../../src/discord/bot.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { resolvedOptions } from '../../../src/playground/local-discord/resolved-options.js';
import { captureLog, type CapturedLog } from '../../support/captured-log.js';
import { createTestLedger, expectLedgerConsistent, mapRoleToTier } from '../../support/ledger-fixture.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '250000000000000001';
const OTHER_GUILD = '250000000000000003';
const CHANNEL = '250000000000000002';
const PRO_WEEK = '250000000000000011';
const ULTRA_WEEK = '250000000000000012';
const PRO_YEAR = '250000000000000013';
const SERVER_PRO = '250000000000000014';
const HOUR = 3_600_000;

const f = usePipeline(3);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
let card: PriceCard;
let captured: CapturedLog;
let memberSequence = 0;
const member = () => `35000000000000${String(++memberSequence).padStart(4, '0')}`;
/** A paid period that started half an hour ago and renews in half an hour (Discord's are weeks; the rules are the same). */
const currentPeriod = () => ({ startsAt: new Date(Date.now() - HOUR / 2), periodMs: HOUR });

async function start(): Promise<void> {
  // One log across restarts: a test waits on lines a bot before the restart may have written.
  captured ??= captureLog('debug');
  bot = await startTestBot(f, fake, card, { log: captured.log });
}
const tierLots = async (userId: string) =>
  (
    await f.database.sql.query<{ amount: number; remaining: number; guild_id: string | null; expires_at: Date }>(
      `SELECT amount, remaining, guild_id, expires_at FROM credit_lot WHERE user_id = $1 AND kind = 'tier' ORDER BY id`,
      [userId],
    )
  ).rows;
/** Waits until the bot has synced this subscription `times` times in all (logged once per event handled). */
const synced = async (subscriptionId: unknown, times: number) => {
  const syncs = () => captured.lines().filter((line) => line['subscriptionId'] === subscriptionId && line['msg'] === 'plan subscription synced');
  try {
    await waitFor(async () => syncs().length >= times, 5000, `subscription ${String(subscriptionId)} to be synced ${times} times`);
  } catch (error) {
    // What the bot did say meanwhile: warnings and errors, and the syncs it did log.
    const said = captured.lines().filter((line) => (line['level'] as number) >= 40 || line['subscriptionId'] === subscriptionId);
    throw new Error(`${String(error)}; the bot logged: ${JSON.stringify(said.slice(-10))}`);
  }
};
const balanceText = async (userId: string, guildId = GUILD, roles: string[] = []) =>
  JSON.stringify(
    (await fake.slashCommand({ guildId, channelId: CHANNEL, user: { id: userId, username: `m${userId.slice(-4)}` }, roles, name: 'balance' }).answer()).data,
  );

const MISSED_BUYER = member();
beforeAll(async () => {
  const defaults = await loadPriceCardOrThrow();
  const withSku = (tierName: string, interval: string, skuId: string) => (tier: PriceCard['tiers'][number]) =>
    tier.name === tierName ? { ...tier, plans: tier.plans.map((plan) => (plan.interval === interval ? { ...plan, discordSkuId: skuId } : plan)) } : tier;
  card = {
    ...defaults,
    tiers: defaults.tiers
      .map(withSku('pro', 'week', PRO_WEEK))
      .map(withSku('ultra', 'week', ULTRA_WEEK))
      .map(withSku('pro', 'year', PRO_YEAR)),
  };
  // The server plan sells Starter's weekly plan as a guild subscription SKU.
  card = { ...card, tiers: card.tiers.map(withSku('starter', 'week', SERVER_PRO)) };
  fake = await FakeDiscord.start();
  fake.subscriptions.addSku({ id: PRO_WEEK, name: 'Pro weekly', scope: 'user' });
  fake.subscriptions.addSku({ id: ULTRA_WEEK, name: 'Ultra weekly', scope: 'user' });
  fake.subscriptions.addSku({ id: PRO_YEAR, name: 'Pro yearly', scope: 'user' });
  fake.subscriptions.addSku({ id: SERVER_PRO, name: 'Starter for the server', scope: 'guild' });
  for (const id of [GUILD, OTHER_GUILD]) fake.addGuild({ id, name: `Shop ${id.slice(-1)}`, channels: [{ id: CHANNEL, name: 'general', type: 0 }] });
  // Bought while the bot was down: Discord never sends those events again.
  fake.subscriptions.subscribe({ userId: MISSED_BUYER, skuId: PRO_WEEK, ...currentPeriod(), dispatch: false });
  await start();
});
afterAll(async () => {
  if (process.env['DEBUG_LOG']) for (const line of captured.lines()) if ((line['level'] as number) >= 40) console.log(JSON.stringify(line));
  await bot?.stop();
  await fake?.close();
});

describe('Discord plans', () => {
  it('grants at start a plan bought while the bot was down, and /balance says where the tier comes from', async () => {
    expect(await tierLots(MISSED_BUYER)).toEqual([expect.objectContaining({ amount: 450, guild_id: null })]);
    const shown = await balanceText(MISSED_BUYER);
    expect(shown).toContain('Your tier: **Pro** — your Discord plan (weekly), renews <t:');
    expect(shown).toContain('450');
  });

  it('grants a purchase once, whatever order its two events come in and however often they are replayed', async () => {
    const buyer = member();
    const { subscription } = fake.subscriptions.subscribe({ userId: buyer, skuId: PRO_WEEK, ...currentPeriod(), firstEvent: 'subscription' });
    await synced(subscription['id'], 2);
    fake.subscriptions.replay('SUBSCRIPTION_CREATE', subscription['id'] as string);
    fake.subscriptions.replay('ENTITLEMENT_CREATE', subscription['id'] as string);
    await synced(subscription['id'], 4);
    expect(await tierLots(buyer)).toEqual([expect.objectContaining({ amount: 450, remaining: 450, guild_id: null })]);
    // In every server: a user plan follows its buyer.
    expect((await f.ledger.balance(buyer, OTHER_GUILD)).buckets.tier.available).toBe(450);
    await expectLedgerConsistent(f.database);
  });

  it("a server admin looking at a plan buyer's credits sees only what their server gave, not the plan", async () => {
    const buyer = { id: member(), username: 'buyer' };
    const { subscription } = fake.subscriptions.subscribe({ userId: buyer.id, skuId: PRO_WEEK, ...currentPeriod() });
    await synced(subscription['id'], 2);
    const admin = { id: member(), username: 'admin' };
    const MANAGE_GUILD = 1n << 5n;
    const looked = await fake
      .slashCommand({
        guildId: GUILD,
        channelId: CHANNEL,
        user: admin,
        permissions: MANAGE_GUILD.toString(),
        name: 'balance',
        options: [{ name: 'member', type: 6, value: buyer.id }],
        resolved: resolvedOptions({ users: [buyer] }),
      })
      .answer();
    const text = JSON.stringify(looked.data);
    expect(text).toContain('buyer: 0 credits from this server');
    expect(text).not.toContain('450');
  });

  it('grants each renewal once, expiring at the next one; a replayed renewal grants nothing', async () => {
    const buyer = member();
    const { subscription } = fake.subscriptions.subscribe({ userId: buyer, skuId: PRO_WEEK, ...currentPeriod() });
    const id = subscription['id'] as string;
    await synced(id, 2);
    for (let renewal = 1; renewal <= 2; renewal++) {
      fake.subscriptions.renew(id);
      await synced(id, 2 + renewal);
    }
    fake.subscriptions.replay('SUBSCRIPTION_UPDATE', id);
    await synced(id, 5);
    const periods = fake.subscriptions.subscriptions.find((s) => s['id'] === id)!;
    const lots = await tierLots(buyer);
    expect(lots.map((lot) => lot.amount)).toEqual([450, 450, 450]);
    expect(lots.at(-1)!.expires_at).toEqual(new Date(periods['current_period_end'] as string));
    await expectLedgerConsistent(f.database);
  });

  it('an upgrade grants the difference at once; a downgrade waits for the renewal', async () => {
    const buyer = member();
    const { subscription } = fake.subscriptions.subscribe({ userId: buyer, skuId: PRO_WEEK, ...currentPeriod() });
    const id = subscription['id'] as string;
    await synced(id, 2);
    fake.subscriptions.changePlan(id, ULTRA_WEEK, 'now');
    await synced(id, 3);
    expect((await tierLots(buyer)).map((lot) => lot.amount)).toEqual([450, 550]);
    expect(await balanceText(buyer)).toContain('Your tier: **Ultra**');

    fake.subscriptions.changePlan(id, PRO_WEEK, 'renewal');
    await synced(id, 4);
    const waiting = await balanceText(buyer);
    expect(waiting).toContain('Your tier: **Ultra**');
    expect(waiting).toContain('as Pro');
    fake.subscriptions.renew(id);
    await synced(id, 5);
    expect((await tierLots(buyer)).map((lot) => lot.amount)).toEqual([450, 550, 450]);
  });

  it('a cancelled plan lasts to the end of its period, then ends without taking anything back', async () => {
    const buyer = member();
    const { subscription } = fake.subscriptions.subscribe({ userId: buyer, skuId: PRO_WEEK, ...currentPeriod() });
    const id = subscription['id'] as string;
    await synced(id, 2);
    fake.subscriptions.cancel(id);
    await synced(id, 3);
    expect(await balanceText(buyer)).toContain('cancelled, ends <t:');
    fake.subscriptions.expire(id);
    // ENTITLEMENT_UPDATE (its ends_at) and SUBSCRIPTION_UPDATE (INACTIVE): both end it, once.
    await synced(id, 5);
    const after = await balanceText(buyer);
    expect(after).toContain('Your tier: **No tier**');
    expect((await tierLots(buyer)).map((lot) => lot.remaining)).toEqual([450]);
  });

  it('a refund ends the tier now and takes back what the period left unspent, once', async () => {
    const buyer = member();
    const { subscription } = fake.subscriptions.subscribe({ userId: buyer, skuId: PRO_YEAR, startsAt: new Date(Date.now() - HOUR), periodMs: 365 * 24 * HOUR });
    const id = subscription['id'] as string;
    await synced(id, 2);
    expect((await tierLots(buyer)).map((lot) => lot.amount)).toEqual([23_400]);
    // Spend 400 of the year's credits first: spent credits stay spent.
    const held = await f.ledger.hold({ key: `job-${buyer}`, userId: buyer, guildId: GUILD, amount: 400, actorId: buyer, reason: 'a job' });
    if (!held.ok) throw new Error('hold failed');
    await f.ledger.settle({ holdId: held.value.holdId, capture: 400, actorId: 'system', reason: 'delivered' });

    fake.subscriptions.refund(id);
    await synced(id, 3);
    fake.dispatch(
      'ENTITLEMENT_DELETE',
      fake.entitlements.find((e) => e['subscription_id'] === id),
    );
    await synced(id, 4);
    expect((await tierLots(buyer)).map((lot) => lot.remaining)).toEqual([0]);
    const refundLog = captured.lines().find((line) => line['subscriptionId'] === id && line['refunded'] === true && line['kind'] === 'ended');
    expect(refundLog).toMatchObject({ taken: 23_000, shortfall: 400 });
    expect(await balanceText(buyer)).toContain('Your tier: **No tier**');
    await expectLedgerConsistent(f.database);
  });

  it('a role and a plan of the same tier never double a period', async () => {
    const buyer = member();
    await mapRoleToTier(f.database, GUILD, 'pro');
    const { subscription } = fake.subscriptions.subscribe({ userId: buyer, skuId: PRO_WEEK, ...currentPeriod() });
    await synced(subscription['id'], 2);
    await balanceText(buyer, GUILD, ['role-pro']);
    const lots = await tierLots(buyer);
    expect(lots.reduce((sum, lot) => sum + lot.amount, 0)).toBe(450);
  });
});

describe("the plans' SKUs, checked at start", () => {
  it('says nothing when each plan SKU is a subscription, and warns of one that is a consumable or missing', async () => {
    expect(captured.lines().filter((line) => line['level'] === 40 && /SKU/.test(String(line['msg'])))).toEqual([]);
    const other = await FakeDiscord.start();
    other.addGuild({ id: GUILD, name: 'Shop', channels: [{ id: CHANNEL, name: 'general', type: 0 }] });
    other.addSku({ id: PRO_WEEK, name: 'Pro weekly, made as a consumable by mistake', type: 3 });
    const log = captureLog('info');
    const checked = await startTestBot(f, other, card, { log: log.log });
    try {
      const warnings = log.lines().filter((line) => line['level'] === 40 && /SKU/.test(String(line['msg'])));
      expect(warnings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ planId: 'pro-week', skuId: PRO_WEEK, skuType: 'Consumable', msg: expect.stringMatching(/not a subscription/) }),
          expect.objectContaining({ planId: 'ultra-week', skuId: ULTRA_WEEK, msg: expect.stringMatching(/not a SKU of this application/) }),
        ]),
      );
    } finally {
      await checked.stop();
      await other.close();
    }
  });
});

describe('/subscribe and /pricing', () => {
  it('/subscribe lists every plan with its credits and price, and a premium button for each plan sold in Discord', async () => {
    const answer = await fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user: { id: member(), username: 'shopper' }, name: 'subscribe' }).answer();
    const text = JSON.stringify(answer.data);
    expect(answer.data?.['flags']).toBe(64);
    expect(text).toContain('Pro: 450 credits / week');
    expect(text).toContain('$3.99 / week');
    expect(text).toContain('$179.99 / year, 23,400 credits up front');
    expect(text).toContain('Max: 2,000 credits / week');
    const buttons = (answer.data?.['components'] as { components: { style: number; sku_id?: string }[] }[]).flatMap((row) => row.components);
    expect(buttons.map((button) => [button.style, button.sku_id])).toEqual([
      [6, SERVER_PRO],
      [6, PRO_WEEK],
      [6, PRO_YEAR],
      [6, ULTRA_WEEK],
    ]);
    expect(text).toContain('User Settings → Subscriptions');
  });

  it('/pricing lists the plans beside each tier, and the welcome credits', async () => {
    const answer = await fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user: { id: member(), username: 'reader' }, name: 'pricing' }).answer();
    const text = JSON.stringify(answer.data);
    expect(text).toContain('Plans: $7.99 / week · $349.99 / year, 52,000 credits up front');
    expect(text).toContain('50 welcome credits once');
  });
});

describe('the welcome credits', () => {
  it('a member new to the bot gets the card’s welcome credits once, in the first server they use it in, and keeps them everywhere', async () => {
    const welcoming = await FakeDiscord.start();
    for (const id of [GUILD, OTHER_GUILD]) welcoming.addGuild({ id, name: `Shop ${id.slice(-1)}`, channels: [{ id: CHANNEL, name: 'general', type: 0 }] });
    const welcomingBot = await startTestBot(f, welcoming, card, { ledger: createTestLedger(f.database, card, undefined, { welcome: true }) });
    try {
      const newcomer = { id: member(), username: 'newcomer' };
      const look = async (guildId: string) =>
        JSON.stringify((await welcoming.slashCommand({ guildId, channelId: CHANNEL, user: newcomer, name: 'balance' }).answer()).data);
      expect(await look(GUILD)).toContain(`newcomer: ${card.welcomeCredits + card.freeDailyCredits} credits`);
      // Free daily credits are each server's own; the welcome credits come along.
      expect(await look(OTHER_GUILD)).toContain(`newcomer: ${card.welcomeCredits + card.freeDailyCredits} credits`);
      const { rows } = await f.database.sql.query(
        `SELECT amount, guild_id, expires_at FROM credit_lot WHERE user_id = $1 AND source_key LIKE 'grant:welcome:%'`,
        [newcomer.id],
      );
      expect(rows).toEqual([{ amount: card.welcomeCredits, guild_id: null, expires_at: null }]);
    } finally {
      await welcomingBot.stop();
      await welcoming.close();
    }
  });
});

describe('a server plan (Discord guild subscription)', () => {
  it('gives every member of that server the tier and its credits, once each, and no one elsewhere', async () => {
    const owner = member();
    const { subscription } = fake.subscriptions.subscribe({ userId: owner, skuId: SERVER_PRO, guildId: GUILD, ...currentPeriod() });
    await synced(subscription['id'], 2);
    for (const someone of [owner, member(), member()]) {
      const shown = await balanceText(someone);
      expect(shown).toContain("Your tier: **Starter** — this server's plan (weekly), renews <t:");
      await balanceText(someone);
      expect(await tierLots(someone)).toEqual([expect.objectContaining({ amount: 200, guild_id: GUILD })]);
      expect(await balanceText(someone, OTHER_GUILD)).toContain('Your tier: **No tier**');
    }
    await expectLedgerConsistent(f.database);
  });
});

describe('while the bot was down', () => {
  it('finds a renewal and a refund made meanwhile at the next start', async () => {
    const renewing = member();
    const refunded = member();
    const a = fake.subscriptions.subscribe({ userId: renewing, skuId: PRO_WEEK, ...currentPeriod() }).subscription['id'] as string;
    const b = fake.subscriptions.subscribe({ userId: refunded, skuId: PRO_WEEK, ...currentPeriod() }).subscription['id'] as string;
    await synced(a, 2);
    await synced(b, 2);
    await bot.stop();
    fake.subscriptions.renew(a, { dispatch: false });
    fake.subscriptions.refund(b, { dispatch: false });
    await start();
    expect((await tierLots(renewing)).map((lot) => lot.amount)).toEqual([450, 450]);
    expect((await tierLots(refunded)).map((lot) => lot.remaining)).toEqual([0]);
    // Another start finds the same facts and changes nothing.
    await bot.stop();
    await start();
    expect((await tierLots(renewing)).map((lot) => lot.amount)).toEqual([450, 450]);
    await expectLedgerConsistent(f.database);
  });
});
