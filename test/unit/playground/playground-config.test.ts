// When the playground starts, and how its configuration keeps it apart from a real deployment.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { playgroundConfig, playgroundDatabaseUrl, playgroundStorageConfig, playgroundWanted } from '../../../src/playground/playground-config.js';
import { PLAYGROUND_OWNER_ID, withPlaygroundSkus } from '../../../src/playground/playground-world.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';

const TOKEN = `${Buffer.from('123456789012345678').toString('base64')}.real.token-that-is-long-enough-for-the-config-check`;

describe('the playground', () => {
  it('opens without a token unless PLAYGROUND=off, and never with one', () => {
    expect(playgroundWanted(loadConfig({}))).toBe(true);
    expect(playgroundWanted(loadConfig({ PLAYGROUND: 'off' }))).toBe(false);
    expect(playgroundWanted(loadConfig({ DISCORD_TOKEN: TOKEN }))).toBe(false);
    expect(playgroundWanted(loadConfig({ DISCORD_TOKEN: TOKEN, PLAYGROUND: 'auto' }))).toBe(false);
    expect(() => loadConfig({ PLAYGROUND: 'on' })).toThrow(/PLAYGROUND: must be auto or off/);
  });

  it('keeps its credits in its own database and its jobs under their own queue keys', () => {
    expect(playgroundDatabaseUrl('postgresql://postgres:pw@db.example:5432/imagine_credits?sslmode=require')).toBe(
      'postgresql://postgres:pw@db.example:5432/imagine_credits_playground?sslmode=require',
    );
    const storage = playgroundStorageConfig(loadConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/credits', QUEUE_PREFIX: 'bot' }));
    expect(storage.database.url).toBe('postgresql://postgres@127.0.0.1:5432/credits_playground');
    expect(storage.redis.queuePrefix).toBe('bot-playground');
  });

  it('runs the bot with the local Discord, the local provider and a local Stripe secret, the owner among the operators', () => {
    const base = loadConfig({ REPLICATE_API_TOKEN: 'r8_a-real-looking-token', OWNER_IDS: '123456789012345678' });
    const config = playgroundConfig(playgroundStorageConfig(base), { token: 'local-token', apiUrl: 'http://127.0.0.1:4000/api' });
    expect(config.discord).toMatchObject({ token: 'local-token', apiUrl: 'http://127.0.0.1:4000/api', ownerIds: ['123456789012345678', PLAYGROUND_OWNER_ID] });
    expect(config.provider.kind).toBe('local');
    expect(config.stripe?.webhookSecret).toMatch(/^whsec_playground_[0-9a-f]{36}$/);
    expect(config.stripe?.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('sells every pack in the local Discord store too, at the card’s price', async () => {
    const card = withPlaygroundSkus(await loadPriceCardOrThrow());
    for (const pack of card.packs) {
      expect(pack.discordSkuId).toMatch(/^\d{17,20}$/);
      expect(pack.discordPrice).toBe(`$${pack.priceUsd.toFixed(2)}`);
    }
    expect(new Set(card.packs.map((pack) => pack.discordSkuId)).size).toBe(card.packs.length);
  });
});
