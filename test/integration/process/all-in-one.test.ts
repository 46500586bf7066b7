// The product end to end, as one real `npm start` process against the fake Discord: a member runs
// /imagine, presses Generate, and the images arrive in the channel; the ledger charged once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { dropPrefix, redisUrl, uniquePrefix } from '../../support/redis.js';
import { spawnEntry, type SpawnedProcess } from '../../support/spawned-process.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '220000000000000001';
const CHANNEL = '220000000000000002';
const USER = { id: '320000000000000001', username: 'artist' };
let database: TestDatabase;
let fake: FakeDiscord;
let app: SpawnedProcess;
const prefix = uniquePrefix();

beforeAll(async () => {
  database = await createTestDatabase(4);
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'All in one', channels: [{ id: CHANNEL, name: 'art', type: 0 }] });
});
afterAll(async () => {
  if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  await fake?.close();
  await dropPrefix(prefix);
  await database?.drop();
});

describe('npm start with a bot token', () => {
  it('quotes, confirms, renders with the local provider, posts the images and charges once; exits 0 on SIGTERM', async () => {
    app = await spawnEntry(
      'start.ts',
      {
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
      },
      'started: bot and worker',
    );

    const quote = await fake
      .slashCommand({
        guildId: GUILD,
        channelId: CHANNEL,
        user: USER,
        name: 'imagine',
        options: [{ name: 'prompt', type: 3, value: 'a paper boat on a pond' }],
      })
      .answer();
    const generate = (quote.data as { components: { components: { custom_id: string }[] }[] }).components[0]!.components[0]!.custom_id;
    const confirmed = await fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: USER, customId: generate }).answer();
    expect(String((confirmed.data as { content: string }).content)).toMatch(/^Confirmed: 2 credits held/);

    const posted = await fake.waitForMessage((m) => m.channelId === CHANNEL && m.files.length > 0, 20_000);
    expect(JSON.stringify(posted.payload)).toContain(`<@${USER.id}>`);
    expect(posted.files.map((file) => file.name)).toEqual(['image-1.png']);
    expect(posted.files[0]!.data.subarray(1, 4).toString()).toBe('PNG');

    const job = await waitFor(
      async () => {
        const row = (await database.sql.query(`SELECT status, credits_charged FROM generation_job WHERE user_id = $1`, [USER.id])).rows[0];
        return row?.status === 'succeeded' ? row : null;
      },
      5000,
      'the job to succeed',
    );
    expect(job).toEqual({ status: 'succeeded', credits_charged: 2 });
    await expectLedgerConsistent(database);

    // One health and metrics endpoint for the whole process: the gateway included.
    expect(await (await fetch(`${app.baseUrl}/healthz`)).json()).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', redis: 'ok', queue: 'ok', discord: 'ok' },
    });
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^imagine_interaction_seconds_count\{kind="imagine"\} 1$/m);
    expect(metrics).toMatch(/^imagine_interaction_seconds_count\{kind="button:quote:generate"\} 1$/m);
    expect(metrics).toMatch(/^imagine_jobs_finished_total\{status="succeeded"\} 1$/m);

    expect((await app.terminate()).code).toBe(0);
  });
});
