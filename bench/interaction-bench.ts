// Interaction acknowledgement under load: 50 members fire /imagine at once at a real bot process
// (`npm run start:bot`) connected to the fake Discord; p50/p99 from dispatch to the callback
// (Discord's limit is 3 s), and the bot process's RSS afterwards. The bot runs the build (dist/).
import { FakeDiscord } from '../src/playground/local-discord/fake-discord.js';
import { spawnEntry, type SpawnedProcess } from '../test/support/spawned-process.js';
import { printTable, rssMiB, type Results } from './measure.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const guildId = '230000000000000001';
const channelId = '230000000000000002';

export async function benchInteractions(databaseUrl: string, redisUrl: string, members = 50, rounds = 5): Promise<Results> {
  const fake = await FakeDiscord.start();
  fake.addGuild({ id: guildId, name: 'Bench', channels: [{ id: channelId, name: 'bench', type: 0 }] });
  // Measured from when the bot says it has started (gateway ready, commands registered, missed
  // purchases redeemed, health server up), as an operator's readiness check would see it; at the
  // default log level, so the cost of its log lines is in the figures.
  const bot = await spawnEntry(
    'bot.ts',
    {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: 'bench-interactions',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
    },
    'bot started',
    60_000,
    'compiled',
  );
  try {
    return await burst(fake, bot, members, rounds);
  } finally {
    await bot.terminate();
    await fake.close();
  }
}

async function burst(fake: FakeDiscord, bot: SpawnedProcess, members: number, rounds: number): Promise<Results> {
  const latencies: number[] = [];
  let firstBurst: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const handles = Array.from({ length: members }, (_, i) =>
      fake.slashCommand({
        guildId,
        channelId,
        user: { id: `33${String(round).padStart(2, '0')}${String(i).padStart(14, '0')}`, username: `bench${i}` },
        name: 'imagine',
        options: [{ name: 'prompt', type: 3, value: `bench prompt ${round}-${i}` }],
      }),
    );
    const callbacks = await Promise.all(handles.map((handle) => handle.response(10_000)));
    latencies.push(...callbacks.map((callback) => callback.latencyMs));
    // The first burst meets a bot that has run nothing yet (cold JIT, first queries on each
    // connection): worth seeing on its own, it is what members meet right after a deploy.
    if (round === 0) firstBurst = callbacks.map((callback) => callback.latencyMs).sort((a, b) => a - b);
  }
  latencies.sort((a, b) => a - b);
  const botRssMiB = await rssMiB(bot.child.pid);
  const results: Results = {
    'discord.ack.imagine.c50.p50Ms': percentile(latencies, 50),
    'discord.ack.imagine.c50.p99Ms': percentile(latencies, 99),
    'discord.ack.imagine.c50.maxMs': latencies.at(-1) ?? 0,
    'discord.ack.imagine.c50.firstBurst.p50Ms': percentile(firstBurst, 50),
    'discord.ack.imagine.c50.firstBurst.maxMs': firstBurst.at(-1) ?? 0,
    'discord.bot.rssMiB': botRssMiB,
  };
  printTable(
    `Interaction acknowledgement: ${members} members fire /imagine at once, ${rounds} rounds (dispatch → callback)`,
    ['interactions', 'p50 ms', 'p99 ms', 'max ms', 'first burst p50 ms', 'first burst max ms', 'bot RSS MiB'],
    [
      [
        latencies.length,
        percentile(latencies, 50),
        percentile(latencies, 99),
        latencies.at(-1) ?? 0,
        percentile(firstBurst, 50),
        firstBurst.at(-1) ?? 0,
        botRssMiB,
      ],
    ],
  );
  return results;
}
