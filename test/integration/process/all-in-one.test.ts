// The product end to end, as one real `npm start` process against the fake Discord: a member runs
// /imagine, presses Generate, and the images arrive in the channel; the ledger charged once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../fakes/fake-discord/fake-discord.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { dropPrefix, redisUrl, uniquePrefix } from '../../support/redis.js';

const root = path.resolve(import.meta.dirname, '../../..');
const GUILD = '220000000000000001';
const CHANNEL = '220000000000000002';
const USER = { id: '320000000000000001', username: 'artist' };
let database: TestDatabase;
let fake: FakeDiscord;
let child: ChildProcess;
const prefix = uniquePrefix();

beforeAll(async () => {
  database = await createTestDatabase(4);
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'All in one', channels: [{ id: CHANNEL, name: 'art', type: 0 }] });
});
afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
  await dropPrefix(prefix);
  await database?.drop();
});

describe('npm start with a bot token', () => {
  it('quotes, confirms, renders with the local provider, posts the images and charges once; exits 0 on SIGTERM', async () => {
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/bin/start.ts')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: database.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, HTTP_PORT: '0', DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('started: bot and worker')) resolve();
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      void exited.then((code) => reject(new Error(`exited early (${code}): ${output}`)));
    });

    const quote = await fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user: USER, name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a paper boat on a pond' }] }).response();
    const generate = (quote.data as { components: { components: { custom_id: string }[] }[] }).components[0]!.components[0]!.custom_id;
    const confirmed = await fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: USER, customId: generate }).response();
    expect(String((confirmed.data as { content: string }).content)).toMatch(/^Confirmed: 2 credits held/);

    const posted = await fake.waitForMessage((m) => m.via === 'channel' && m.channelId === CHANNEL && m.files.length > 0, 20_000);
    expect(JSON.stringify(posted.payload)).toContain(`<@${USER.id}>`);
    expect(posted.files.map((file) => file.name)).toEqual(['image-1.png']);
    expect(posted.files[0]!.data.subarray(1, 4).toString()).toBe('PNG');

    let job: { status: string; credits_charged: number } | undefined;
    for (let i = 0; i < 100 && job?.status !== 'succeeded'; i++) {
      job = (await database.sql.query(`SELECT status, credits_charged FROM generation_job WHERE user_id = $1`, [USER.id])).rows[0];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job).toEqual({ status: 'succeeded', credits_charged: 2 });
    await expectLedgerConsistent(database);

    // One health and metrics endpoint for the whole process: the gateway included.
    const port = Number(/"httpPort":(\d+)/.exec(output)?.[1]);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({
      status: 'ok', checks: { postgres: 'ok', redis: 'ok', queue: 'ok', discord: 'ok' },
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^imagine_interaction_seconds_count\{kind="imagine"\} 1$/m);
    expect(metrics).toMatch(/^imagine_interaction_seconds_count\{kind="button:quote:generate"\} 1$/m);
    expect(metrics).toMatch(/^imagine_jobs_finished_total\{status="succeeded"\} 1$/m);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
