// /pricing must fit Discord's embed limits whatever the operator puts on the card: the default
// card in one message, a very large card split across embeds and messages, cut with a note last.
import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { EMBED_LIMITS, embedChars, packEmbeds } from '../../../src/discord/render/embed-budget.js';
import { renderPricing } from '../../../src/discord/render/pricing-embeds.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { testCard } from '../domain/pricing/card-fixture.js';

function expectWithinLimits(messages: APIEmbed[][]): void {
  for (const embeds of messages) {
    expect(embeds.length).toBeGreaterThan(0);
    expect(embeds.length).toBeLessThanOrEqual(EMBED_LIMITS.embedsPerMessage);
    expect(embeds.reduce((sum, embed) => sum + embedChars(embed), 0)).toBeLessThanOrEqual(EMBED_LIMITS.charsPerMessage);
    for (const embed of embeds) {
      expect(embed.title?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.title);
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.description);
      expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.fields);
      for (const field of embed.fields ?? []) {
        expect(field.name.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldName);
        expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
        expect(field.value.length).toBeGreaterThan(0);
      }
    }
  }
}

const text = (messages: APIEmbed[][]): string => JSON.stringify(messages);

describe('/pricing embeds', () => {
  it('show the whole default card in one message within Discord’s limits', async () => {
    const messages = renderPricing(await loadPriceCardOrThrow(), 20);
    expectWithinLimits(messages);
    expect(messages).toHaveLength(1);
    const all = text(messages);
    expect(all).toContain('100 credits = $1.00');
    expect(all).toContain('Free on this server: **20** credits a day');
    // Auto-confirm skips the quote: the card does not promise every /imagine shows one.
    expect(all).toContain('unless you turned on auto-confirm');
    // flux-schnell at 1024×1024: ceil(1.5 × 1.048576) = 2 credits; flux-dev: ceil(12 × 1.048576) = 13.
    expect(all).toContain('flux-schnell — FLUX.1 schnell');
    expect(all).toContain('1024x1024: **2** ($0.02)');
    expect(all).toContain('1024x1024: **13** ($0.13)');
    expect(all).toContain('upscale ×0.5');
    // The fill model makes no new images: its examples are edits, priced on what they draw.
    expect(all).toContain('Zoom Out 2× of 1024x1024: **13** ($0.13) · a quarter of it repainted: **2** ($0.02)');
    expect(all).toContain('outpaint ×1');
    expect(all).toContain('priced on the megapixels they add');
    expect(all).toContain('4 images: ×3 (25% off each)');
    expect(all).toContain('200 credits / week');
    expect(all).toContain('Max batch 16');
    expect(all).toContain('credits-1200: 1200 credits for $10.00');
    expect(all).toContain('16.7% off');
    expect(all).toContain('Failed or safety-blocked images are refunded');
  });

  it('split a card with many models and packs across embeds and messages, every one within the limits', () => {
    const card = testCard((raw) => {
      const base = raw.models.schnell;
      for (let i = 0; i < 60; i++) {
        (raw.models as Record<string, unknown>)[`model-${i}`] = { ...base, label: `A rather long model label number ${i} `.repeat(2).trim().slice(0, 100) };
      }
      raw.packs = Array.from({ length: 40 }, (_, i) => ({ id: `pack-${i}`, credits: 100 * (i + 1), priceUsd: i + 1 })) as typeof raw.packs;
    });
    const messages = renderPricing(card, card.freeDailyCredits);
    expectWithinLimits(messages);
    expect(messages.length).toBeGreaterThan(1);
    const all = text(messages);
    expect(all).toContain('Models (credits per image) (cont.)');
    expect(all).toContain('model-59 —');
    expect(all).toContain('pack-39');
  });

  it('cut a card too big for any number of messages gracefully, saying so', () => {
    const sections = Array.from({ length: 40 }, (_, i) => ({
      title: `Section ${i}`,
      description: 'd'.repeat(5000),
      fields: Array.from({ length: 30 }, (_, j) => ({ name: `field ${j} ${'n'.repeat(300)}`, value: 'v'.repeat(2000) })),
    }));
    const messages = packEmbeds(sections, 'The rest is in price-card.yaml.', 3);
    expectWithinLimits(messages);
    expect(messages).toHaveLength(3);
    expect(messages.at(-1)!.at(-1)).toEqual({ description: 'The rest is in price-card.yaml.' });
  });
});
