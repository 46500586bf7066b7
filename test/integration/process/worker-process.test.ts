// `npm run start:worker` as a real process: it takes jobs from the queue, renders them, posts
// them to the job's channel through (a fake of) Discord's REST API, and on SIGTERM hands running
// jobs back so another worker finishes them without a second paid prediction.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscordRest } from '../../fakes/fake-discord-rest.js';
import { FakeReplicate } from '../../fakes/fake-replicate.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { aRequest, chargesOf, confirm, finished, fund, guildId, newMember, quote, usePipeline } from '../../support/pipeline-fixture.js';
import { redisUrl } from '../../support/redis.js';

const root = path.resolve(import.meta.dirname, '../../..');
const f = usePipeline(5);
let discord: FakeDiscordRest;
let replicate: FakeReplicate;
const children: ChildProcess[] = [];

beforeAll(async () => {
  discord = await FakeDiscordRest.start();
  replicate = await FakeReplicate.start();
});
// A test that fails halfway must not leave its worker taking the next test's jobs.
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await discord?.close();
  await replicate?.close();
});

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWorker(extraEnv: Record<string, string> = {}): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/bin/worker.ts')], {
      cwd: root,
      env: {
        PATH: process.env['PATH'] ?? '',
        DATABASE_URL: f.database.url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: f.prefix,
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        SHUTDOWN_GRACE_MS: '300',
        LOG_LEVEL: 'info',
        HTTP_PORT: '0',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"worker started"')) resolve({ child, output: () => output, exited });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then((code) => reject(new Error(`worker exited early (${code}): ${output}`)));
  });
}

describe('the worker process', () => {
  it('renders a job with the local provider, posts it to the channel, charges once, and exits 0 on SIGTERM', async () => {
    const userId = newMember();
    await fund(f, userId, 100);
    const worker = await startWorker();
    expect(worker.output()).toMatch(/"provider":"local","generating":true/);
    const confirmed = await confirm(f, await quote(f, userId, 30, aRequest({ prompt: 'posted to the channel', count: 2, width: 512, height: 512 })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const job = await finished(f, confirmed.value.jobId);
    // The local provider is free; its cost is recorded as such, beside the credits charged.
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'succeeded', images_delivered: 2, credits_charged: 30, provider_cost_usd: 0 });
    const message = discord.messages.find((m) => m.content?.includes('posted to the channel'));
    expect(message).toMatchObject({ channelId: 'channel-1', allowedMentions: { parse: [], users: [userId] } });
    expect(message?.content).toContain(`<@${userId}>`);
    expect(message?.files.map((file) => [file.name, file.contentType])).toEqual([
      ['image-1.png', 'image/png'],
      ['image-2.png', 'image/png'],
    ]);
    expect(message?.files.every((file) => file.bytes > 1000)).toBe(true);

    const port = Number(/"httpPort":(\d+)/.exec(worker.output())?.[1]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok', queue: 'ok' } });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^imagine_jobs_finished_total\{status="succeeded"\} 1$/m);
    expect(metrics).toMatch(/^imagine_credits_captured_total 30$/m);
    expect(metrics).toMatch(/^imagine_provider_seconds_count\{provider="local",outcome="ok"\} 1$/m);
    expect(metrics).toMatch(/^imagine_queue_jobs\{state="wait"\} 0$/m);
    expect(metrics).toMatch(/^imagine_process_resident_memory_bytes \d+/m);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });

  it('refunds what Discord refused to take (the bot cannot post in the channel)', async () => {
    const userId = newMember();
    await fund(f, userId, 100);
    discord.forbiddenChannels.add('locked-channel');
    const worker = await startWorker();
    const quoteId = await f.jobs.createQuote({
      userId,
      guildId,
      channelId: 'locked-channel',
      request: aRequest({ prompt: 'nowhere to post', width: 256, height: 256 }),
      breakdown: {},
      price: 20,
      tierName: 'starter',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const confirmed = await confirm(f, quoteId, userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const job = await finished(f, confirmed.value.jobId);
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'failed', images_delivered: 0, credits_charged: 0, credits_refunded: 20 });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(100);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });

  it('on SIGTERM mid-job hands the job back; the next worker resumes the same prediction and charges once', async () => {
    const prompt = 'handed back on shutdown';
    replicate.scriptFor(prompt, { outcome: 'succeeded', polls: 5 }); // the worker polls every second
    const replicateEnv = { REPLICATE_API_TOKEN: replicate.token, REPLICATE_API_URL: replicate.baseUrl };
    const userId = newMember();
    await fund(f, userId, 100);
    const first = await startWorker(replicateEnv);
    const confirmed = await confirm(f, await quote(f, userId, 30, aRequest({ prompt })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    for (let i = 0; i < 400 && (await chargesOf(f, confirmed.value.jobId)).prediction_id === null; i++) await new Promise((r) => setTimeout(r, 25));
    const stoppedAt = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(8000);
    expect((await f.jobs.get(confirmed.value.jobId))?.status).not.toMatch(/succeeded|failed|partial/);

    const second = await startWorker(replicateEnv);
    const job = await finished(f, confirmed.value.jobId, 40_000);
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'succeeded', credits_charged: 30 });
    expect(replicate.creates().filter((r) => JSON.stringify(r.body).includes(prompt))).toHaveLength(1);
    expect(discord.messages.filter((m) => m.content?.includes(prompt))).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await expectLedgerConsistent(f.database);
  });
});
