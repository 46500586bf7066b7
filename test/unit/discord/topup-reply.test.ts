// What /topup offers in each configuration: Discord SKUs, Stripe, both, or neither.
import { beforeAll, describe, expect, it } from 'vitest';
import { topupReply } from '../../../src/discord/render/topup-reply.js';
import { packOffers } from '../../../src/domain/pricing/packs.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';

const SKU = '260000000000000009';
let card: PriceCard;
let withSku: PriceCard;
beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  withSku = { ...card, packs: card.packs.map((pack, i) => (i === 0 ? { ...pack, discordSkuId: SKU } : pack)) };
});

type Button = { style: number; custom_id?: string; sku_id?: string; label?: string };
const buttonsOf = (reply: ReturnType<typeof topupReply>): Button[] =>
  (reply.components ?? []).flatMap((row) => (row as { toJSON(): { components: Button[] } }).toJSON().components);
const fieldsOf = (reply: ReturnType<typeof topupReply>) =>
  (reply.embeds ?? []).flatMap((embed) => (embed as { toJSON(): { fields?: unknown[] } }).toJSON().fields ?? []);

describe('topupReply', () => {
  it('with neither Discord SKUs nor Stripe: every pack, no buttons, and how to get credits anyway', () => {
    const reply = topupReply(card, packOffers(card), false);
    expect(fieldsOf(reply)).toHaveLength(card.packs.length);
    expect(buttonsOf(reply)).toEqual([]);
    expect(reply.content).toMatch(/ask a server admin/i);
  });

  it('with Stripe: a card button per pack carrying only the pack id', () => {
    const reply = topupReply(card, packOffers(card), true);
    expect(reply.content).toBeUndefined();
    expect(buttonsOf(reply).map((b) => [b.style, b.custom_id])).toEqual(card.packs.map((p) => [1, `topup:stripe:${p.id}`]));
    expect(buttonsOf(reply)[0]!.label).toBe(`Buy ${card.packs[0]!.credits} with card · $5.00`);
  });

  it('with both: Discord’s premium button for SKU packs first, then card buttons only for packs with one price (issue 14.6)', () => {
    const reply = topupReply(withSku, packOffers(withSku), true);
    const buttons = buttonsOf(reply);
    expect(buttons[0]).toMatchObject({ style: 6, sku_id: SKU });
    // Discord charges the SKU's own price, which the card does not state: no card button beside it, no card price shown.
    expect(buttons.slice(1).map((b) => b.custom_id)).toEqual(card.packs.slice(1).map((p) => `topup:stripe:${p.id}`));
    expect(fieldsOf(reply)[0]).toMatchObject({
      name: `${card.packs[0]!.id}: ${card.packs[0]!.credits} credits (price shown by Discord)`,
      value: "in Discord's store",
    });
  });

  it('shows Discord’s price as the card states it, and sells by card too only when it is the card’s own price', () => {
    const stated = (discordPrice: string) => ({ ...card, packs: card.packs.map((pack, i) => (i === 0 ? { ...pack, discordSkuId: SKU, discordPrice } : pack)) });
    const differs = topupReply(stated('€4.99'), packOffers(stated('€4.99')), true);
    expect(fieldsOf(differs)[0]).toMatchObject({ name: `${card.packs[0]!.id}: ${card.packs[0]!.credits} credits for €4.99` });
    expect(buttonsOf(differs).some((b) => b.custom_id === `topup:stripe:${card.packs[0]!.id}`)).toBe(false);
    const same = topupReply(stated('$5.00'), packOffers(stated('$5.00')), true);
    expect(fieldsOf(same)[0]).toMatchObject({ name: `${card.packs[0]!.id}: ${card.packs[0]!.credits} credits for $5.00`, value: 'base rate' });
    expect(buttonsOf(same).some((b) => b.custom_id === `topup:stripe:${card.packs[0]!.id}`)).toBe(true);
  });

  it('never exceeds Discord’s five rows, however many packs the card has', () => {
    const many = { ...card, packs: Array.from({ length: 40 }, (_, i) => ({ id: `p${i}`, credits: 100 + i, priceUsd: 1 })) };
    const reply = topupReply(many, packOffers(many), true);
    expect(reply.components).toHaveLength(5);
    expect(fieldsOf(reply)).toHaveLength(25);
  });
});
