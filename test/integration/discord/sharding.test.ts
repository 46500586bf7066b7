// Past 2,500 guilds Discord requires shards. The bot connects with as many as GET /gateway/bot
// recommends, all in its one process, and answers every guild on whichever shard it lives
// (the fake sends each guild's events only to that guild's shard, as Discord does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createBot } from '../../../src/discord/bot.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { shardOf } from '../../../src/playground/local-discord/gateway.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { embedText } from '../../support/discord-payloads.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

// (id >> 22) % 2 puts these two guilds on different shards.
const GUILD_ON_0 = { guildId: '250000000004194305', channelId: '250000000004194306' };
const GUILD_ON_1 = { guildId: '250000000000000001', channelId: '250000000000000002' };

const f = usePipeline(1);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
beforeAll(async () => {
  fake = await FakeDiscord.start({ shards: 2 });
  for (const [i, { guildId, channelId }] of [GUILD_ON_0, GUILD_ON_1].entries()) {
    fake.addGuild({ id: guildId, name: `Shard test ${i}`, channels: [{ id: channelId, name: 'art', type: 0 }] });
  }
  bot = await startTestBot(f, fake, await loadPriceCardOrThrow());
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('sharding', () => {
  it('identifies once per recommended shard and sees every guild', () => {
    expect([shardOf(GUILD_ON_0.guildId, 2), shardOf(GUILD_ON_1.guildId, 2)]).toEqual([0, 1]);
    expect(fake.gatewayConnections.map((connection) => connection.identify?.['shard']).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...bot.client.guilds.cache.keys()].sort()).toEqual([GUILD_ON_0.guildId, GUILD_ON_1.guildId].sort());
    expect(bot.client.guilds.cache.get(GUILD_ON_1.guildId)?.shardId).toBe(1);
  });

  it('answers /imagine in a guild on either shard', async () => {
    for (const [i, where] of [GUILD_ON_0, GUILD_ON_1].entries()) {
      const callback = await fake
        .slashCommand({
          ...where,
          user: { id: `35000000000000000${i}`, username: `member${i}` },
          name: 'imagine',
          options: [{ name: 'prompt', type: 3, value: 'a lighthouse at dusk' }],
        })
        .answer();
      expect(embedText(callback.data)).toContain('after this');
    }
  });
});
