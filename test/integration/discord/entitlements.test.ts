// Discord premium purchases (consumable SKUs): the pack is granted once per entitlement id —
// a re-sent ENTITLEMENT_CREATE grants nothing — the member is told by DM (once), then it is
// consumed; purchases made while the bot was down are redeemed (and told) at start. A purchase
// Discord refunds or withdraws (ENTITLEMENT_DELETE, or ENTITLEMENT_UPDATE marking it deleted or
// ended) is taken back as a card refund is: what is left of it, once, with a DM. Test-mode
// purchases grant nothing unless the operator allows them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createBot } from '../../../src/discord/bot.js';
import { EntitlementType } from 'discord.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { captureLog, type CapturedLog } from '../../support/captured-log.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '240000000000000001';
const SKU = '240000000000000009';
const BUYER_EARLY = '340000000000000001';
const BUYER = '340000000000000002';
const f = usePipeline(3);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
let card: PriceCard;
let captured: CapturedLog;

async function topups(userId: string): Promise<number> {
  return (await f.ledger.balance(userId, GUILD)).buckets.topup.available;
}
/**
 * Waits until the bot has logged handling the entitlement `times` times in all (redeemed or
 * refused), so a test can assert what a replay did NOT do without guessing how long it takes.
 */
const handled = (entitlement: Record<string, unknown>, times: number) =>
  waitFor(
    async () =>
      captured
        .lines()
        .filter((line) => line['entitlementId'] === entitlement['id'] && (line['msg'] === 'entitlement redeemed' || line['msg'] === 'entitlement not redeemed'))
        .length >= times,
    5000,
    `the entitlement to be handled ${times} times`,
  );
/** Waits until the bot has logged handling a withdrawal of the entitlement `times` times in all. */
const withdrawalsHandled = (entitlement: Record<string, unknown>, times: number) =>
  waitFor(
    async () =>
      captured.lines().filter((line) => line['entitlementId'] === entitlement['id'] && line['msg'] === 'entitlement withdrawal handled').length >= times,
    5000,
    `the withdrawal to be handled ${times} times`,
  );
const dmTexts = (userId: string): string[] => fake.directMessages(userId).map((m) => String(m.payload?.['content']));
const consumed = (entitlement: Record<string, unknown>): boolean => fake.entitlements.find((e) => e['id'] === entitlement['id'])?.['consumed'] === true;
beforeAll(async () => {
  const defaults = await loadPriceCardOrThrow();
  // The first pack is sold as a Discord consumable SKU.
  card = { ...defaults, packs: defaults.packs.map((pack, i) => (i === 0 ? { ...pack, discordSkuId: SKU } : pack)) };
  fake = await FakeDiscord.start();
  fake.addSku({ id: SKU, name: 'credits-500' });
  fake.addGuild({ id: GUILD, name: 'Shop', channels: [{ id: '240000000000000002', name: 'general', type: 0 }] });
  // A full page (Discord lists at most 100) of purchases redeemed long ago, then one bought while
  // the bot was offline: the start must page on to find it.
  for (let i = 0; i < 100; i++) fake.addEntitlement({ userId: `3400000000000008${String(i).padStart(2, '0')}`, skuId: SKU, type: 1, consumed: true });
  fake.addEntitlement({ userId: BUYER_EARLY, skuId: SKU, type: 1 });
  captured = captureLog('debug');
  bot = await startTestBot(f, fake, card, { log: captured.log });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('Discord purchases', () => {
  it('redeems at start what was bought while the bot was down, past the first page of purchases, and consumes it', async () => {
    expect(await topups(BUYER_EARLY)).toBe(card.packs[0]!.credits);
    expect(fake.entitlements.find((e) => e['user_id'] === BUYER_EARLY)?.['consumed']).toBe(true);
    // …and the member is told, like a purchase made while the bot was up.
    const pack = card.packs[0]!;
    expect(dmTexts(BUYER_EARLY)).toEqual([
      expect.stringContaining(`Your Discord purchase of **${pack.label ?? pack.id}** went through: **${pack.credits} credits**`),
    ]);
  });

  it('grants the pack once per entitlement, however often the event arrives', async () => {
    const entitlement = fake.addEntitlement({ userId: BUYER, skuId: SKU, type: 1 });
    fake.dispatch('ENTITLEMENT_CREATE', entitlement);
    await waitFor(async () => (await topups(BUYER)) > 0, 5000, 'the pack to be granted');
    fake.dispatch('ENTITLEMENT_CREATE', { ...entitlement, consumed: false });
    fake.dispatch('ENTITLEMENT_CREATE', entitlement);
    await handled(entitlement, 3);
    expect(await topups(BUYER)).toBe(card.packs[0]!.credits);
    expect(
      fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/entitlements/${String(entitlement['id'])}/consume`)).length,
    ).toBeGreaterThanOrEqual(1);
    // Top-ups are global: the same credits show in any guild.
    expect((await f.ledger.balance(BUYER, 'another-guild')).buckets.topup.available).toBe(card.packs[0]!.credits);
    // Told once, for the grant that happened (the DM goes out before the consume): the replays
    // granted nothing and sent nothing.
    await waitFor(async () => consumed(entitlement), 5000, 'the entitlement to be consumed');
    expect(dmTexts(BUYER)).toHaveLength(1);
    await expectLedgerConsistent(f.database);
  });

  it('the DM names the pack, the credits added and the new top-up balance', async () => {
    const buyer = '340000000000000004';
    const pack = card.packs[0]!;
    const first = fake.addEntitlement({ userId: buyer, skuId: SKU, type: 1 });
    fake.dispatch('ENTITLEMENT_CREATE', first);
    await waitFor(async () => dmTexts(buyer).length === 1, 5000, 'the first purchase DM');
    const second = fake.addEntitlement({ userId: buyer, skuId: SKU, type: 1 });
    fake.dispatch('ENTITLEMENT_CREATE', second);
    await waitFor(async () => dmTexts(buyer).length === 2, 5000, 'the second purchase DM');
    const [one, two] = dmTexts(buyer);
    expect(one).toContain(`**${pack.label ?? pack.id}**`);
    expect(one).toContain(`**${pack.credits} credits** are in your balance (top-up credits now: **${pack.credits}**)`);
    expect(two).toContain(`**${pack.credits} credits** are in your balance (top-up credits now: **${2 * pack.credits}**)`);
    // A replay of the first one, after the second: nothing more.
    fake.dispatch('ENTITLEMENT_CREATE', first);
    await handled(first, 2);
    expect(dmTexts(buyer)).toHaveLength(2);
    expect(await topups(buyer)).toBe(2 * pack.credits);
  });

  it('a member whose DMs are closed still gets the pack, once, and the entitlement is consumed; the failed DM is logged', async () => {
    const buyer = '340000000000000005';
    fake.closedDms.add(buyer);
    const entitlement = fake.addEntitlement({ userId: buyer, skuId: SKU, type: 1 });
    fake.dispatch('ENTITLEMENT_CREATE', entitlement);
    await waitFor(async () => consumed(entitlement), 5000, 'the entitlement to be consumed');
    expect(await topups(buyer)).toBe(card.packs[0]!.credits);
    expect(dmTexts(buyer)).toEqual([]);
    const lines = captured.lines().filter((line) => line['entitlementId'] === entitlement['id']);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: 'purchase DM not delivered', userId: buyer }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'entitlement redeemed', replayed: false, notice: 'failed' }));
    // A replay does not try again (nor grant again).
    fake.closedDms.delete(buyer);
    fake.dispatch('ENTITLEMENT_CREATE', { ...entitlement, consumed: false });
    await handled(entitlement, 2);
    expect(dmTexts(buyer)).toEqual([]);
    expect(await topups(buyer)).toBe(card.packs[0]!.credits);
    await expectLedgerConsistent(f.database);
  });

  it('/topup lists every pack with its discount, with Discord’s premium button for SKU packs', async () => {
    const callback = await fake
      .slashCommand({ guildId: GUILD, channelId: '240000000000000002', user: { id: BUYER, username: 'buyer' }, name: 'topup' })
      .answer();
    const data = callback.data as {
      flags: number;
      embeds: { fields: { name: string; value: string }[] }[];
      components: { components: { style: number; sku_id: string }[] }[];
    };
    expect(data.flags).toBe(64);
    expect(data.embeds[0]!.fields).toHaveLength(card.packs.length);
    expect(data.embeds[0]!.fields[1]!.value).toMatch(/% off \(\+\d+ bonus credits\)/);
    // The SKU pack shows no price of the card's: Discord charges the SKU's own (issue 14.6).
    expect(data.embeds[0]!.fields[0]!.name).toMatch(/credits \(price shown by Discord\)$/);
    expect(data.components.flatMap((row) => row.components)).toEqual([expect.objectContaining({ style: 6, sku_id: SKU })]);
  });

  it('without Stripe, a stale "Buy with card" button says card payments are not set up', async () => {
    const callback = await fake
      .buttonClick({ guildId: GUILD, channelId: '240000000000000002', user: { id: BUYER, username: 'buyer' }, customId: `topup:stripe:${card.packs[0]!.id}` })
      .answer();
    expect(callback).toMatchObject({ type: 5, data: { flags: 64, content: expect.stringMatching(/Card payments are not set up/) } });
  });

  it('ignores an entitlement for a SKU that is not on the price card', async () => {
    const stranger = '340000000000000003';
    const unknown = fake.addEntitlement({ userId: stranger, skuId: '240000000000000099', type: 1 });
    fake.dispatch('ENTITLEMENT_CREATE', unknown);
    await handled(unknown, 1);
    expect(await topups(stranger)).toBe(0);
    expect(dmTexts(stranger)).toEqual([]);
  });
});

describe('Discord refunds and withdrawals', () => {
  const pack = () => card.packs[0]!;
  /** A member who bought the SKU pack through Discord: the entitlement, granted and told. */
  async function bought(buyer: string): Promise<Record<string, unknown>> {
    const entitlement = fake.addEntitlement({ userId: buyer, skuId: SKU, type: EntitlementType.Purchase });
    fake.dispatch('ENTITLEMENT_CREATE', entitlement);
    await waitFor(async () => consumed(entitlement) && dmTexts(buyer).length === 1, 5000, 'the purchase to be granted, told and consumed');
    expect(await topups(buyer)).toBe(pack().credits);
    return entitlement;
  }

  it('a refund (ENTITLEMENT_DELETE) takes the pack back once, however often Discord sends it, and tells the member', async () => {
    const buyer = '340000000000000101';
    const entitlement = await bought(buyer);
    fake.deleteEntitlement(String(entitlement['id']));
    await withdrawalsHandled(entitlement, 1);
    expect(await topups(buyer)).toBe(0);
    // Replays of the deletion, an update saying the same, and a stale copy of the purchase: nothing more.
    fake.dispatch('ENTITLEMENT_DELETE', { ...entitlement, deleted: true });
    fake.updateEntitlement(String(entitlement['id']), { deleted: true });
    fake.dispatch('ENTITLEMENT_CREATE', { ...entitlement, deleted: false, consumed: false });
    await withdrawalsHandled(entitlement, 3);
    await handled(entitlement, 2);
    expect(await topups(buyer)).toBe(0);
    const dms = dmTexts(buyer);
    expect(dms).toHaveLength(2);
    expect(dms[1]).toMatch(
      new RegExp(
        `^Discord refunded or withdrew your purchase of \\*\\*${pack().label ?? pack().id}\\*\\*, so \\*\\*${pack().credits} credits\\*\\* bought with it were taken back \\(top-up credits now: \\*\\*0\\*\\*\\)`,
      ),
    );
    const lines = captured.lines().filter((line) => line['entitlementId'] === entitlement['id'] && line['msg'] === 'entitlement withdrawal handled');
    expect(lines.map((line) => line['credits'])).toEqual([pack().credits, 0, 0]);
    await expectLedgerConsistent(f.database);
  });

  it('an update marking the purchase deleted takes back only what is left of it after the member spent some', async () => {
    const buyer = '340000000000000102';
    const entitlement = await bought(buyer);
    const spent = 150;
    const hold = await f.ledger.hold({ key: `spend-${buyer}`, userId: buyer, guildId: GUILD, amount: spent, actorId: buyer, reason: 'images' });
    if (!hold.ok) throw new Error(hold.error.code);
    expect((await f.ledger.settle({ holdId: hold.value.holdId, capture: spent, actorId: 'worker', reason: 'delivered' })).ok).toBe(true);
    fake.updateEntitlement(String(entitlement['id']), { deleted: true });
    await withdrawalsHandled(entitlement, 1);
    expect(await f.ledger.balance(buyer, GUILD)).toMatchObject({ available: 0, held: 0 });
    expect(dmTexts(buyer).at(-1)).toMatch(
      new RegExp(
        `\\*\\*${pack().credits - spent} credits\\*\\* bought with it were taken back.*You had already used ${spent} of them: what you spent stays spent`,
      ),
    );
    expect(captured.lines()).toContainEqual(
      expect.objectContaining({
        entitlementId: entitlement['id'],
        msg: 'entitlement withdrawal handled',
        credits: pack().credits - spent,
        alreadySpent: spent,
      }),
    );
    await expectLedgerConsistent(f.database);
  });

  it('an update that ends the purchase takes it back; one that only consumes it, or ends it later, takes nothing', async () => {
    const buyer = '340000000000000103';
    const entitlement = await bought(buyer);
    const id = String(entitlement['id']);
    fake.updateEntitlement(id, { consumed: true });
    fake.updateEntitlement(id, { ends_at: new Date(Date.now() + 24 * 3600_000).toISOString() });
    await waitFor(
      async () => captured.lines().filter((line) => line['entitlementId'] === id && line['msg'] === 'entitlement update changes no credits').length === 2,
      5000,
      'both updates to be looked at',
    );
    expect(await topups(buyer)).toBe(pack().credits);
    expect(dmTexts(buyer)).toHaveLength(1);
    fake.updateEntitlement(id, { ends_at: new Date(Date.now() - 1000).toISOString() });
    await withdrawalsHandled(entitlement, 1);
    expect(await topups(buyer)).toBe(0);
    expect(dmTexts(buyer)).toHaveLength(2);
  });

  it('a withdrawn purchase that granted nothing here (a SKU not on the card) moves nothing and tells nobody', async () => {
    const stranger = '340000000000000105';
    const unknown = fake.addEntitlement({ userId: stranger, skuId: '240000000000000098', type: EntitlementType.Purchase });
    fake.dispatch('ENTITLEMENT_CREATE', unknown);
    await handled(unknown, 1);
    fake.deleteEntitlement(String(unknown['id']));
    await withdrawalsHandled(unknown, 1);
    expect(captured.lines()).toContainEqual(
      expect.objectContaining({ entitlementId: unknown['id'], msg: 'entitlement withdrawal handled', outcome: 'purchase_not_found', credits: 0 }),
    );
    expect(await topups(stranger)).toBe(0);
    expect(dmTexts(stranger)).toEqual([]);
  });
});

describe('the packs’ SKUs, checked at start', () => {
  it('a pack whose SKU is missing or is not a consumable is logged; a consumable one is not', async () => {
    expect(captured.lines().filter((line) => line['skuId'] === SKU && /SKU/.test(String(line['msg'])))).toEqual([]);
    const other = await FakeDiscord.start();
    other.addGuild({ id: GUILD, name: 'Shop', channels: [{ id: '240000000000000002', name: 'general', type: 0 }] });
    other.addSku({ id: SKU, name: 'credits-500', type: 2 }); // durable: one purchase per member, ever
    const durableSkuCard = { ...card, packs: [...card.packs.slice(0, 1), { ...card.packs[1]!, discordSkuId: '260000000000000077' }, ...card.packs.slice(2)] };
    const log = captureLog('info');
    const checked = await startTestBot(f, other, durableSkuCard, { log: log.log });
    try {
      const warnings = log.lines().filter((line) => line['level'] === 40 && /SKU/.test(String(line['msg'])));
      expect(warnings).toEqual([
        expect.objectContaining({ packId: card.packs[0]!.id, skuId: SKU, skuType: 'Durable', msg: expect.stringMatching(/not a consumable/) }),
        expect.objectContaining({ packId: card.packs[1]!.id, skuId: '260000000000000077', msg: expect.stringMatching(/not a SKU of this application/) }),
      ]);
    } finally {
      await checked.stop();
      await other.close();
    }
  });
});

describe('refunds made while the bot was down', () => {
  it('are taken back at the next start (Discord never sends a missed ENTITLEMENT_DELETE again), once, with a DM', async () => {
    const away = await FakeDiscord.start();
    away.addGuild({ id: GUILD, name: 'Shop', channels: [{ id: '240000000000000002', name: 'general', type: 0 }] });
    const buyer = '340000000000000301';
    const kept = '340000000000000302';
    // More purchases than one page of Discord's list (100), so the start must page through them.
    for (let i = 0; i < 120; i++)
      away.addEntitlement({ userId: `3400000000000009${String(i).padStart(2, '0')}`, skuId: SKU, type: EntitlementType.Purchase, consumed: true });
    const first = await startTestBot(f, away, card);
    const entitlement = away.addEntitlement({ userId: buyer, skuId: SKU, type: EntitlementType.Purchase });
    const other = away.addEntitlement({ userId: kept, skuId: SKU, type: EntitlementType.Purchase });
    away.dispatch('ENTITLEMENT_CREATE', entitlement);
    away.dispatch('ENTITLEMENT_CREATE', other);
    await waitFor(async () => (await topups(buyer)) > 0 && (await topups(kept)) > 0 && away.directMessages(buyer).length === 1, 5000, 'both purchases');
    await first.stop();
    away.deleteEntitlement(String(entitlement['id']), { dispatch: false });
    const second = await startTestBot(f, away, card);
    try {
      await waitFor(async () => (await topups(buyer)) === 0, 5000, 'the refund made while away to be taken back');
      await waitFor(async () => away.directMessages(buyer).length === 2, 5000, 'the member to be told');
      expect(await topups(kept)).toBe(card.packs[0]!.credits);
    } finally {
      await second.stop();
    }
    // A third start pages through the same purchases, finds the same deletion and takes (and tells) nothing more.
    const listed = () => away.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/entitlements') && r.query['exclude_deleted'] === 'false').length;
    const before = listed();
    const third = await startTestBot(f, away, card);
    try {
      expect(listed()).toBe(before + 2);
      expect(await topups(buyer)).toBe(0);
      expect(away.directMessages(buyer)).toHaveLength(2);
    } finally {
      await third.stop();
      await away.close();
    }
    await expectLedgerConsistent(f.database);
  });
});

describe('Discord test-mode purchases', () => {
  it('grant nothing by default: logged, consumed (so they do not come back at every start), and no DM', async () => {
    const tester = '340000000000000201';
    const entitlement = fake.addEntitlement({ userId: tester, skuId: SKU, type: EntitlementType.TestModePurchase });
    fake.dispatch('ENTITLEMENT_CREATE', entitlement);
    await handled(entitlement, 1);
    await waitFor(async () => consumed(entitlement), 5000, 'the test purchase to be consumed');
    expect(await topups(tester)).toBe(0);
    expect(dmTexts(tester)).toEqual([]);
    expect(captured.lines()).toContainEqual(
      expect.objectContaining({ entitlementId: entitlement['id'], msg: 'entitlement not redeemed', error: { code: 'test_purchase' } }),
    );
  });

  it('grant their pack, marked as a test, where the operator allows them (DISCORD_TEST_PURCHASES=true); deleting one takes it back', async () => {
    const testing = await FakeDiscord.start();
    testing.addGuild({ id: GUILD, name: 'Shop', channels: [{ id: '240000000000000002', name: 'general', type: 0 }] });
    const staging = await startTestBot(f, testing, card, { grantTestPurchases: true });
    try {
      const tester = '340000000000000202';
      const entitlement = testing.addEntitlement({ userId: tester, skuId: SKU, type: EntitlementType.TestModePurchase });
      testing.dispatch('ENTITLEMENT_CREATE', entitlement);
      await waitFor(async () => (await topups(tester)) === card.packs[0]!.credits, 5000, 'the test purchase to be granted');
      const { rows } = await f.database.sql.query<{ reason: string }>(`SELECT reason FROM ledger_entry WHERE user_id = $1`, [tester]);
      expect(rows.map((row) => row.reason)).toEqual([expect.stringMatching(/\(test purchase, entitlement \d+\)$/)]);
      testing.deleteEntitlement(String(entitlement['id']));
      await waitFor(async () => (await topups(tester)) === 0, 5000, 'the deleted test purchase to be taken back');
      await expectLedgerConsistent(f.database);
    } finally {
      await staging.stop();
      await testing.close();
    }
  });
});
