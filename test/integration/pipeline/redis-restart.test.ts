import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'bullmq';
import { waitFor } from '../../support/wait-for.js';
import { createPgJobStore } from '../../../src/db/job-store.js';
import { createSqlJobCredits } from '../../../src/ledger/sql-job-credits.js';
import { createSqlLedger } from '../../../src/ledger/sql-ledger.js';
import { createBullGenerationQueue } from '../../../src/queue/bullmq-generation-queue.js';
import { createGenerationWorker } from '../../../src/queue/generation-worker.js';
import { createRedisConnection } from '../../../src/queue/redis-connection.js';
import { confirmGeneration } from '../../../src/use-cases/confirm-generation.js';
import { reconcileJobs } from '../../../src/use-cases/reconcile-jobs.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { RecordingDelivery, ScriptedProvider } from '../../support/pipeline-doubles.js';
import { aRequest } from '../../support/pipeline-fixture.js';
import { freePort, PrivateRedis } from '../../support/private-redis.js';

const guildId = 'guild-redis-restart';
let database: TestDatabase;
let redis: PrivateRedis;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase(8);
  redis = new PrivateRedis(await freePort());
  await redis.start();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await redis.stop();
  await database.drop();
});

describe('a Redis restart', () => {
  it('loses no confirmed job: the database re-queues what Redis forgot and each is charged once', async () => {
    const ledger = createSqlLedger(database.db.pool);
    const jobs = createPgJobStore(database.db);
    const credits = createSqlJobCredits(database.db.pool);
    const queue = createBullGenerationQueue({ connection: createRedisConnection(redis.url), prefix: 'restart', attempts: 3 });
    closers.push(() => queue.close());
    const provider = new ScriptedProvider();
    provider.script('slow', { kind: 'succeed', delayMs: 400 });
    const delivery = new RecordingDelivery();
    const userId = 'member-restart';
    await ledger.grant({ key: 'fund-restart', userId, guildId, kind: 'grant', amount: 1000, expiresAt: null, actorId: 'test', reason: 'fund' });

    const jobIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const quoteId = await jobs.createQuote({
        userId,
        guildId,
        channelId: 'c',
        request: aRequest({ prompt: 'slow' }),
        breakdown: {},
        price: 10,
        tierName: 'starter',
        expiresAt: new Date(Date.now() + 60_000),
      });
      const confirmed = await confirmGeneration({ jobs, credits, queue, quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 600_000) });
      if (!confirmed.ok) throw new Error('confirm failed');
      jobIds.push(confirmed.value.jobId);
    }
    let worker: Worker = createGenerationWorker({
      connection: createRedisConnection(redis.url),
      prefix: 'restart',
      workerId: 'before',
      jobs,
      credits,
      provider,
      delivery,
      maxRunningJobs: () => 10,
      concurrency: 2,
      leaseMs: 2000,
    });
    // Let a couple of jobs start, then take Redis away mid-run: every queued key is lost.
    await waitFor(async () => provider.calls.length >= 2, 10_000, 'two jobs to start');
    await redis.stop();
    await worker.close(true).catch(() => undefined);
    await redis.start();

    worker = createGenerationWorker({
      connection: createRedisConnection(redis.url),
      prefix: 'restart',
      workerId: 'after',
      jobs,
      credits,
      provider,
      delivery,
      maxRunningJobs: () => 10,
      concurrency: 4,
      leaseMs: 2000,
    });
    closers.push(() => worker.close());
    // The reconciler re-queues what Redis forgot, on every pass, until every job has run.
    await waitFor(
      async () => {
        await reconcileJobs({ jobs, credits, queue, delivery, orphanAgeMs: 0 });
        const statuses = (await Promise.all(jobIds.map((id) => jobs.get(id)))).map((job) => job?.status);
        return statuses.every((status) => status === 'succeeded');
      },
      30_000,
      'every job to succeed after the restart',
    );
    const { rows } = await database.sql.query(`SELECT sum(credits_charged)::int AS charged FROM generation_job WHERE user_id = $1`, [userId]);
    expect(rows[0].charged).toBe(60);
    expect(await ledger.balance(userId, guildId)).toMatchObject({ available: 940, held: 0 });
    for (const id of jobIds) expect(provider.predictionsCreated.get(id)).toBe(1);
    await expectLedgerConsistent(database);
  });
});
