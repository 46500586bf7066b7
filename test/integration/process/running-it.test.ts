// Running it for real: the production entry points as processes, against the fake Discord
// (gateway + REST) and a slow fake Replicate. Health and metrics are scraped while a job runs;
// SIGTERM arrives mid-job; the job completes (within the grace period) or is handed back and then
// refunded, the process exits 0 in time, and the ledger adds up. Logs: JSON, ids, no secrets.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { FakeReplicate } from '../../fakes/fake-replicate.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { dropPrefix, redisUrl, uniquePrefix } from '../../support/redis.js';
import { spawnEntry, type SpawnedProcess } from '../../support/spawned-process.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '250000000000000001';
const CHANNEL = '250000000000000002';
const dashboardPassword = 'a long dashboard password';
let database: TestDatabase;
let replicate: FakeReplicate;
const fakes: FakeDiscord[] = [];
const prefixes: string[] = [];
const running: SpawnedProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase(4);
  replicate = await FakeReplicate.start();
});
afterEach(() => {
  for (const process of running.splice(0)) if (process.child.exitCode === null) process.child.kill('SIGKILL');
});
afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  await replicate?.close();
  await Promise.all(prefixes.map((prefix) => dropPrefix(prefix)));
  await database?.drop();
});

async function setUp() {
  const discord = await FakeDiscord.start();
  discord.addGuild({ id: GUILD, name: 'Running it', channels: [{ id: CHANNEL, name: 'art', type: 0 }] });
  fakes.push(discord);
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    REPLICATE_API_TOKEN: replicate.token,
    REPLICATE_API_URL: replicate.baseUrl,
    LOG_LEVEL: 'debug',
    STRIPE_SECRET_KEY: 'sk_test_runningItSecretKey0123456789',
    STRIPE_WEBHOOK_SECRET: 'whsec_runningItWebhookSecret012345',
  };
  return { discord, env, secrets: [discord.token, replicate.token, env.STRIPE_SECRET_KEY, env.STRIPE_WEBHOOK_SECRET, dashboardPassword] };
}

const start = async (...args: Parameters<typeof spawnEntry>) => {
  const process = await spawnEntry(...args);
  running.push(process);
  return process;
};

/** /imagine then Generate, as a member would; resolves with the job row's id. */
async function imagineAndGenerate(discord: FakeDiscord, user: { id: string; username: string }, prompt: string): Promise<string> {
  const quote = await discord
    .slashCommand({ guildId: GUILD, channelId: CHANNEL, user, name: 'imagine', options: [{ name: 'prompt', type: 3, value: prompt }] })
    .answer(20_000);
  const generate = (quote.data as { components: { components: { custom_id: string }[] }[] }).components[0]!.components[0]!.custom_id;
  const confirmed = await discord.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: generate }).answer(20_000);
  expect(String((confirmed.data as { content: string }).content)).toMatch(/^Confirmed: 2 credits held/);
  const { rows } = await database.sql.query<{ id: string }>(`SELECT id FROM generation_job WHERE user_id = $1`, [user.id]);
  return rows[0]!.id;
}

const jobRow = async (jobId: string) =>
  (
    await database.sql.query<{ status: string; credits_charged: number; credits_refunded: number; prediction_id: string | null }>(
      `SELECT status, credits_charged, credits_refunded, prediction_id FROM generation_job WHERE id = $1`,
      [jobId],
    )
  ).rows[0]!;
const midJob = (jobId: string) => waitFor(async () => (await jobRow(jobId)).prediction_id !== null, 60_000, 'the prediction to be created');

/** Every stdout line is JSON, the job's story is told on lines that name it, and no secret shows. */
function expectHonestLogs(process: SpawnedProcess, jobId: string, secrets: readonly string[], story: readonly string[]) {
  const lines = process.logLines(); // throws if any stdout line is not JSON
  const jobMessages = lines.filter((line) => line['jobId'] === jobId).map((line) => line['msg']);
  expect(jobMessages).toEqual(expect.arrayContaining([...story]));
  for (const secret of secrets) expect(process.output()).not.toContain(secret);
  return lines;
}

describe('npm start (bot and worker in one process)', () => {
  it('serves health and metrics mid-job; on SIGTERM the job completes within the grace period, charged once, and it exits 0', async () => {
    const { discord, env, secrets } = await setUp();
    const prompt = 'a slow lighthouse, finished during shutdown';
    replicate.scriptFor(prompt, { outcome: 'succeeded', polls: 3 }); // the worker polls once a second
    const graceMs = 15_000;
    const app = await start('start.ts', { ...env, SHUTDOWN_GRACE_MS: String(graceMs) }, 'started: bot and worker');
    const user = { id: '350000000000000001', username: 'patient' };
    const jobId = await imagineAndGenerate(discord, user, prompt);
    await midJob(jobId);

    const health = await fetch(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok', queue: 'ok', discord: 'ok' } });
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^imagine_queue_jobs\{state="active"\} 1$/m);
    expect(metrics).toMatch(/^imagine_interaction_seconds_count\{kind="button:quote:generate"\} 1$/m);
    // The queue dashboard is off without a password.
    expect((await fetch(`${app.baseUrl}/admin/queues`)).status).toBe(404);

    const exit = await app.terminate();
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(graceMs);
    expect(await jobRow(jobId)).toMatchObject({ status: 'succeeded', credits_charged: 2, credits_refunded: 0 });
    const posted = await discord.waitForMessage((m) => m.channelId === CHANNEL && m.files.length > 0, 1000);
    expect(JSON.stringify(posted.payload)).toContain(prompt);
    expect(replicate.creates().filter((r) => JSON.stringify(r.body).includes(prompt))).toHaveLength(1);
    await expectLedgerConsistent(database);

    const lines = expectHonestLogs(app, jobId, secrets, ['generating', 'replicate prediction', 'images delivered', 'job attempt ended']);
    const handled = lines.filter((line) => line['msg'] === 'interaction handled');
    expect(handled.map((line) => line['kind'])).toEqual(['imagine', 'button:quote:generate']);
    expect(handled.every((line) => line['interactionId'] && line['userId'] === user.id && line['guildId'] === GUILD)).toBe(true);
  }, 180_000);
});

describe('start:bot and start:worker apart', () => {
  it('each serves health and metrics; a worker stopped mid-job hands it back within its grace period, the next worker finishes it (here: the model fails) and refunds', async () => {
    const { discord, env, secrets } = await setUp();
    const prompt = 'an unlucky comet, refunded after a restart';
    replicate.scriptFor(prompt, { outcome: 'failed', polls: 6 });
    const bot = await start('bot.ts', env, 'bot started');
    const graceMs = 1000;
    const workerEnv = { ...env, SHUTDOWN_GRACE_MS: String(graceMs), BULL_BOARD_PASSWORD: dashboardPassword };
    const worker = await start('worker.ts', workerEnv, 'worker started');

    expect(await (await fetch(`${bot.baseUrl}/healthz`)).json()).toEqual({ status: 'ok', checks: { postgres: 'ok', discord: 'ok' } });
    expect(await (await fetch(`${worker.baseUrl}/healthz`)).json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok', queue: 'ok' } });
    // The dashboard is on the worker, behind its password.
    expect((await fetch(`${worker.baseUrl}/admin/queues/api/queues`)).status).toBe(401);
    const authorization = `Basic ${Buffer.from(`admin:${dashboardPassword}`).toString('base64')}`;
    const board = await fetch(`${worker.baseUrl}/admin/queues/api/queues`, { headers: { authorization } });
    expect(board.status).toBe(200);
    expect(((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toEqual(['generations', 'generations-relax']);

    const user = { id: '350000000000000002', username: 'unlucky' };
    const jobId = await imagineAndGenerate(discord, user, prompt);
    await midJob(jobId);
    expect(await (await fetch(`${worker.baseUrl}/metrics`)).text()).toMatch(/^imagine_queue_jobs\{state="active"\} 1$/m);
    expect(await (await fetch(`${bot.baseUrl}/metrics`)).text()).toMatch(/^imagine_interaction_seconds_count\{kind="imagine"\} 1$/m);

    const stopped = await worker.terminate();
    expect(stopped.code).toBe(0);
    // The grace period, then closing connections: well under the grace plus a few seconds.
    expect(stopped.ms).toBeLessThan(graceMs + 5000);
    expect((await jobRow(jobId)).status).toMatch(/^(queued|running)$/);
    expectHonestLogs(worker, jobId, secrets, ['generating', 'replicate prediction', 'attempt ended early; the job goes back to the queue']);

    const next = await start('worker.ts', workerEnv, 'worker started');
    await waitFor(async () => (await jobRow(jobId)).status === 'failed', 60_000, 'the job to end');
    expect(await jobRow(jobId)).toMatchObject({ credits_charged: 0, credits_refunded: 2 });
    const told = await discord.waitForMessage((m) => JSON.stringify(m.payload).includes('credits back'), 10_000);
    expect(JSON.stringify(told.payload)).toContain(`<@${user.id}>`);
    expect(replicate.creates().filter((r) => JSON.stringify(r.body).includes(prompt))).toHaveLength(1);
    await expectLedgerConsistent(database);
    expectHonestLogs(next, jobId, secrets, ['generating', 'replicate prediction', 'job failed; refunding', 'job attempt ended']);
    // The second worker resumed the first one's prediction rather than paying for another.
    expect(next.logLines().find((line) => line['jobId'] === jobId && line['msg'] === 'replicate prediction')).toMatchObject({ origin: 'resumed' });

    for (const process of [next, bot]) expect((await process.terminate()).code).toBe(0);
    for (const process of [bot, worker, next]) for (const secret of secrets) expect(process.output()).not.toContain(secret);
  }, 180_000);
});
