// Interaction acknowledgement under load: 50 members fire /imagine at once at a real bot process
// (`npm run start:bot`) connected to the fake Discord; p50/p99 from dispatch to the callback
// (Discord's limit is 3 s), and the bot process's RSS afterwards.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FakeDiscord } from '../test/fakes/fake-discord/fake-discord.js';
import { printTable, type Results } from './measure.js';

const root = path.resolve(import.meta.dirname, '..');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function benchInteractions(databaseUrl: string, redisUrl: string, members = 50, rounds = 5): Promise<Results> {
  const fake = await FakeDiscord.start();
  const guildId = '230000000000000001';
  const channelId = '230000000000000002';
  fake.addGuild({ id: guildId, name: 'Bench', channels: [{ id: channelId, name: 'bench', type: 0 }] });
  let output = '';
  const bot = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/bin/bot.ts')], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: 'bench-interactions', HTTP_PORT: '0', DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bot.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bot.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Ready once it has registered its commands.
  await fake.waitForRequest((request) => request.method === 'PUT' && request.path.endsWith('/commands'), 30_000).catch(() => {
    throw new Error(`bot did not start: ${output}`);
  });
  const latencies: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const handles = Array.from({ length: members }, (_, i) => fake.slashCommand({
      guildId, channelId, user: { id: `33${String(round).padStart(2, '0')}${String(i).padStart(14, '0')}`, username: `bench${i}` },
      name: 'imagine', options: [{ name: 'prompt', type: 3, value: `bench prompt ${round}-${i}` }],
    }));
    const callbacks = await Promise.all(handles.map((handle) => handle.response(10_000)));
    latencies.push(...callbacks.map((callback) => callback.latencyMs));
  }
  latencies.sort((a, b) => a - b);
  const status = await readFile(`/proc/${bot.pid}/status`, 'utf8').catch(() => '');
  const rssMiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  bot.kill('SIGTERM');
  await new Promise((resolve) => bot.once('exit', resolve));
  await fake.close();
  const results: Results = {
    'discord.ack.imagine.c50.p50Ms': percentile(latencies, 50),
    'discord.ack.imagine.c50.p99Ms': percentile(latencies, 99),
    'discord.ack.imagine.c50.maxMs': latencies.at(-1) ?? 0,
    'discord.bot.rssMiB': rssMiB,
  };
  printTable(`Interaction acknowledgement: ${members} members fire /imagine at once, ${rounds} rounds (dispatch → callback)`,
    ['interactions', 'p50 ms', 'p99 ms', 'max ms', 'bot RSS MiB'],
    [[latencies.length, percentile(latencies, 50), percentile(latencies, 99), latencies.at(-1) ?? 0, rssMiB]]);
  return results;
}
