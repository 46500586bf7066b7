// /pricing and /estimate through the real discord.js client and the fake Discord.
import { describe, expect, it } from 'vitest';
import { createPgGuildSettingsStore } from '../../../src/db/guild-settings-store.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '240000000000000001';
const CHANNEL = '240000000000000002';
const member = { id: '340000000000000001', username: 'planner' };

const f = usePipeline(3);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Pricing Test', channelId: CHANNEL });

const run = async (name: string, options: { name: string; type: number; value: string | number }[] = []) =>
  (await env.fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user: member, name, options }).answer()).data as Record<string, unknown>;

describe('/pricing', () => {
  it('shows the whole card privately, in embeds', async () => {
    const data = await run('pricing');
    expect(data['flags']).toBe(64);
    const embeds = data['embeds'] as { title: string }[];
    expect(embeds.map((e) => e.title)).toEqual([
      'Price card',
      'Models (credits per image)',
      'Operations and batches',
      'Tiers',
      'Top-up packs',
      'Refunds and moderation',
    ]);
    const text = JSON.stringify(embeds);
    expect(text).toContain('100 credits = $1.00');
    expect(text).toContain('sdxl — Stable Diffusion XL');
    expect(text).toContain('Failed or safety-blocked images are refunded');
    // No promise auto-confirm breaks (issue 14.7): the quote is skipped when a member turned it on.
    expect(text).toContain('unless you turned on auto-confirm in /settings');
  });
});

describe('/estimate', () => {
  it('works out images × days × unit price + 25%, and what covers it, cheapest first', async () => {
    // sdxl 1024x1024 = ceil(4 × 1.048576) = 5 credits; 10 a day × 30 = 1500 + 25% = 1875 ($18.75).
    const data = await run('estimate', [
      { name: 'images-per-day', type: 4, value: 10 },
      { name: 'model', type: 3, value: 'sdxl' },
      { name: 'size', type: 3, value: '1024x1024' },
    ]);
    expect(data['flags']).toBe(64);
    const text = JSON.stringify(data['embeds']);
    expect(text).toContain('1875 credits ($18.75) for 10 images a day × 30 days');
    expect(text).toContain('300 images × 5 credits (sdxl 1024x1024) = 1500 credits');
    expect(text).toContain('25% buffer');
    // Free 20 a day pays 600; Pro (450/week ≈ 1928 over 30 days) covers it, Starter (≈857) does not.
    expect(text).toMatch(/➖ \*\*Starter\*\*: 1457 credits .* 418 short/);
    expect(text).toMatch(/✅ \*\*Pro\*\*: 2528 credits .* covers it/);
    // 1275 credits to buy: 1200 + 500 for $15 (3 × 500 is $15 too, for fewer credits; a 3000 pack is $20).
    expect(text).toContain('1 × credits-1200 + 1 × credits-500 = 1700 credits for **$15.00**');
  });

  it('suggests the cheapest mix of packs, not the most of one kind (issue 14.3)', async () => {
    // flux-dev 1024x1024 = 13; 30 a day × 22 days = 8580 + 25% = 10725, of which free credits pay 440: 10285 short.
    const text = JSON.stringify(
      (
        await run('estimate', [
          { name: 'images-per-day', type: 4, value: 30 },
          { name: 'model', type: 3, value: 'flux-dev' },
          { name: 'days', type: 4, value: 22 },
        ])
      )['embeds'],
    );
    expect(text).toContain('Free daily credits pay for 440 of it');
    expect(text).toContain('1 × credits-8000 + 1 × credits-3000 = 11000 credits for **$70.00**');
    expect(text).not.toContain('4 × credits-3000');
  });

  it('never says free credits pay more than the total, and words a model every member may use plainly (issue 14.4)', async () => {
    // flux-schnell = 2; 5 a day × 30 days = 300 + 25% = 375: free credits (20 a day) pay all of it, not 390.
    const text = JSON.stringify((await run('estimate', [{ name: 'images-per-day', type: 4, value: 5 }]))['embeds']);
    expect(text).toContain('**375 credits**');
    expect(text).toContain('Free daily credits pay for 375 of it');
    expect(text).toContain('Every member may use flux-schnell.');
    expect(text).not.toMatch(/No tier tier/);
  });

  it('/estimate and /pricing count the free credits this server gives, not the card’s (issue 14.2)', async () => {
    const settings = createPgGuildSettingsStore(f.database.db.prisma);
    await settings.updateConfig(GUILD, { kind: 'free-daily', amount: 0 }, 'test-admin', 'no free credits here');
    try {
      const text = JSON.stringify((await run('estimate', [{ name: 'images-per-day', type: 4, value: 5 }]))['embeds']);
      expect(text).toContain('Free daily credits pay for 0 of it');
      // …and /pricing does not promise this server's members the card's 20 a day.
      const pricing = JSON.stringify((await run('pricing'))['embeds']);
      expect(pricing).toContain('This server gives no free daily credits.');
      expect(pricing).not.toMatch(/Free on this server/);
      expect(text).toContain('1 × credits-500 = 500 credits for **$5.00**');
    } finally {
      await settings.updateConfig(GUILD, { kind: 'free-daily', amount: null }, 'test-admin', 'back to the card');
    }
  });

  it('refuses bad numbers, unknown models (with a suggestion) and sizes the model lacks', async () => {
    const content = async (options: { name: string; type: number; value: string | number }[]) => String((await run('estimate', options))['content']);
    expect(await content([{ name: 'images-per-day', type: 4, value: 0 }])).toMatch(/images-per-day must be a whole number from 1 to 1000/);
    expect(
      await content([
        { name: 'images-per-day', type: 4, value: 5 },
        { name: 'days', type: 4, value: 999 },
      ]),
    ).toMatch(/days must be .* from 1 to 365 \(got 999\)/);
    expect(
      await content([
        { name: 'images-per-day', type: 4, value: 5 },
        { name: 'model', type: 3, value: 'flux-devv' },
      ]),
    ).toMatch(/no model called “flux-devv”.*Did you mean \*\*flux-dev\*\*/);
    expect(
      await content([
        { name: 'images-per-day', type: 4, value: 5 },
        { name: 'model', type: 3, value: 'sdxl' },
        { name: 'size', type: 3, value: '512x512' },
      ]),
    ).toMatch(/512x512/);
  });
});
