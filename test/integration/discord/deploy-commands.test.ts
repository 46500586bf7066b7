// `npm run commands:deploy` as a real process against the fake Discord: the commands of
// commands/index.ts, globally or to the development server; and the bot's own registration at
// start, which follows DISCORD_DEV_GUILD_ID the same way.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { createBot } from '../../../src/discord/bot.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { testBotDeps } from '../../support/bot-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const root = path.resolve(import.meta.dirname, '../../..');
const DEV_GUILD = '240000000000000001';
const names = commands.map((command) => command.name);
const f = usePipeline(1);
const fakes: FakeDiscord[] = [];

async function aFakeDiscord(): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start();
  fake.addGuild({ id: DEV_GUILD, name: 'Dev server', channels: [{ id: '240000000000000002', name: 'test', type: 0 }] });
  fakes.push(fake);
  return fake;
}

function deploy(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/bin/deploy-commands.ts')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  expect(names.length).toBeGreaterThan(0);
});
afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
});

describe('npm run commands:deploy', () => {
  it('registers every command globally, with its options, and says so in one line', async () => {
    const fake = await aFakeDiscord();
    const run = await deploy({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(
      `Registered ${names.length} slash command(s) globally (Discord may take up to an hour to show changes everywhere): ${names.map((n) => `/${n}`).join(', ')}.`,
    );
    expect(fake.commands().map((command) => command['name'])).toEqual(names);
    const imagine = fake.commands().find((command) => command['name'] === 'imagine');
    expect(imagine?.['options']).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'prompt', required: true })]));
    expect(fake.commands(DEV_GUILD)).toEqual([]);
  });

  it('with DISCORD_DEV_GUILD_ID registers to that server only', async () => {
    const fake = await aFakeDiscord();
    const run = await deploy({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_DEV_GUILD_ID: DEV_GUILD });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`to server ${DEV_GUILD} (available at once)`);
    expect(fake.commands(DEV_GUILD).map((command) => command['name'])).toEqual(names);
    expect(fake.commands()).toEqual([]);
  });

  it('without a token, or with a token Discord refuses, fails in one line', async () => {
    const fake = await aFakeDiscord();
    const missing = await deploy({});
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Cannot deploy commands: DISCORD_TOKEN is not set (see .env.example).');
    const refused = await deploy({ DISCORD_TOKEN: `${fake.token.slice(0, -4)}nope`, DISCORD_API_URL: fake.apiUrl });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Cannot deploy commands: .*(401|Unauthorized)/i)]);
    expect(refused.stderr).not.toContain(fake.token.slice(0, -4));
  });
});

describe('the bot at start', () => {
  it('registers to the development server instead of globally when DISCORD_DEV_GUILD_ID is set', async () => {
    const fake = await aFakeDiscord();
    const bot = createBot({ token: fake.token, apiUrl: fake.apiUrl, devGuildId: DEV_GUILD, deps: testBotDeps(f, await loadPriceCardOrThrow()) });
    try {
      await bot.start();
      expect(fake.commands(DEV_GUILD).map((command) => command['name'])).toEqual(names);
      expect(fake.commands()).toEqual([]);
    } finally {
      await bot.stop();
    }
  });
});
