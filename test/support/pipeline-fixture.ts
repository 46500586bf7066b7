import { afterAll, beforeAll, expect } from 'vitest';
import { Queue, type Worker } from 'bullmq';
import { createPgJobStore } from '../../src/db/job-store.js';
import { createBullGenerationQueue, generationQueueName, type GenerationPayload } from '../../src/queue/bullmq-generation-queue.js';
import { createGenerationWorker, type GenerationWorkerOptions } from '../../src/queue/generation-worker.js';
import { createRedisConnection } from '../../src/queue/redis-connection.js';
import { confirmGeneration } from '../../src/use-cases/confirm-generation.js';
import type { ImageProvider } from '../../src/use-cases/ports/image-provider.js';
import type { JobCredits } from '../../src/use-cases/ports/job-credits.js';
import type { JobRecord, JobStore } from '../../src/use-cases/ports/job-store.js';
import { createSqlJobCredits } from '../../src/ledger/sql-job-credits.js';
import type { Ledger } from '../../src/use-cases/ports/ledger.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createTestLedger } from './ledger-fixture.js';
import { loadPriceCardOrThrow } from '../../src/pricing/load-price-card.js';
import { RecordingDelivery } from './pipeline-doubles.js';
import { dropPrefix, redisUrl, uniquePrefix } from './redis.js';
import { waitFor } from './wait-for.js';
import { aJobRequest } from '../factories/generation-request.js';

export const guildId = 'guild-pipeline';

export interface PipelineFixture {
  database: TestDatabase;
  ledger: Ledger;
  jobs: JobStore;
  /** The ledger's side of jobs: confirm, finish, time out. */
  credits: JobCredits;
  queue: ReturnType<typeof createBullGenerationQueue>;
  delivery: RecordingDelivery;
  prefix: string;
  workers: Worker[];
  startWorker(provider: ImageProvider, options?: Partial<GenerationWorkerOptions>): Worker;
}

/** A database, a queue under its own prefix and workers started on demand, for one test file. */
export function usePipeline(attempts = 3): PipelineFixture {
  const f = { workers: [] as Worker[], delivery: new RecordingDelivery() } as unknown as PipelineFixture;
  beforeAll(async () => {
    f.database = await createTestDatabase(12);
    f.ledger = createTestLedger(f.database, await loadPriceCardOrThrow());
    f.jobs = createPgJobStore(f.database.db);
    f.credits = createSqlJobCredits(f.database.db.pool);
    f.prefix = uniquePrefix();
    f.queue = createBullGenerationQueue({ connection: createRedisConnection(redisUrl), prefix: f.prefix, attempts });
    f.startWorker = (provider, options = {}) => {
      const worker = createGenerationWorker({
        connection: createRedisConnection(redisUrl),
        prefix: f.prefix,
        workerId: `worker-${f.workers.length + 1}`,
        jobs: f.jobs,
        credits: f.credits,
        provider,
        delivery: f.delivery,
        maxRunningJobs: () => 4,
        leaseMs: 3000,
        ...options,
      });
      f.workers.push(worker);
      return worker;
    };
  });
  afterAll(async () => {
    await Promise.all(f.workers.map((worker) => worker.close()));
    await f.queue?.close();
    await dropPrefix(f.prefix);
    await f.database?.drop();
  });
  return f;
}

let memberSequence = 0;
export const newMember = (): string => `member-${process.pid}-${++memberSequence}`;

/** A queued job's request (test/factories/generation-request.ts). */
export const aRequest = aJobRequest;

/** Gifts `amount` credits to the member in `guild` (the fixture's guild unless given). */
export async function fund(f: PipelineFixture, userId: string, amount: number, guild = guildId): Promise<void> {
  const granted = await f.ledger.grant({
    key: `fund:${userId}:${guild}:${amount}`,
    userId,
    guildId: guild,
    kind: 'grant',
    amount,
    expiresAt: null,
    actorId: 'test',
    reason: 'fund',
  });
  expect(granted.ok).toBe(true);
}

export async function quote(f: PipelineFixture, userId: string, price: number, request = aRequest(), expiresInMs = 600_000): Promise<string> {
  return f.jobs.createQuote({
    userId,
    guildId,
    channelId: 'channel-1',
    request,
    breakdown: { note: 'test' },
    price,
    tierName: 'starter',
    expiresAt: new Date(Date.now() + expiresInMs),
  });
}

export async function confirm(f: PipelineFixture, quoteId: string, userId: string, deadlineInMs = 600_000) {
  return confirmGeneration({
    jobs: f.jobs,
    credits: f.credits,
    queue: f.queue,
    quoteId,
    userId,
    priority: 10,
    deadlineAt: new Date(Date.now() + deadlineInMs),
  });
}

/**
 * The job a Generate click created and its public message id, once the message is posted: the bot
 * answers the click first and posts the job message after.
 */
export function jobOfGenerate(f: PipelineFixture, generateCustomId: string, timeoutMs = 5_000): Promise<{ jobId: string; messageId: string }> {
  const quoteId = generateCustomId.split(':')[2];
  return waitFor(
    async () => {
      const { rows } = await f.database.sql.query(`SELECT id, message_id FROM generation_job WHERE quote_id = $1 AND message_id IS NOT NULL`, [quoteId]);
      return rows[0] ? { jobId: rows[0].id as string, messageId: rows[0].message_id as string } : null;
    },
    timeoutMs,
    `the job message of quote ${quoteId}`,
  );
}

/** Waits until the job has ended (succeeded, partial or failed) and returns it. */
export async function finished(f: PipelineFixture, jobId: string, timeoutMs = 20_000): Promise<JobRecord> {
  return waitFor(
    async () => {
      const job = await f.jobs.get(jobId);
      return job && !['queued', 'running'].includes(job.status) ? job : null;
    },
    timeoutMs,
    `job ${jobId} to finish`,
  );
}

/**
 * Waits until a worker has picked up each of these queued jobs and put it off because its member
 * was at their running-job limit (the worker marks the queued job `waitingForMember`): what a
 * test waits on instead of sleeping to show that such a job did not start.
 */
export async function putOffForMember(f: PipelineFixture, jobIds: readonly string[], timeoutMs = 10_000): Promise<void> {
  const queue = new Queue<GenerationPayload>(generationQueueName, { connection: createRedisConnection(redisUrl), prefix: f.prefix });
  try {
    await waitFor(
      async () => {
        const jobs = await Promise.all(jobIds.map((id) => queue.getJob(id)));
        return jobs.every((job) => job?.data.waitingForMember === true);
      },
      timeoutMs,
      `jobs ${jobIds.join(', ')} to be put off for their member's limit`,
    );
  } finally {
    await queue.close();
  }
}

export async function chargesOf(f: PipelineFixture, jobId: string) {
  const { rows } = await f.database.sql.query(
    `SELECT status, images_delivered, credits_charged, credits_refunded, attempts, failure_reason, member_message, prediction_id,
            provider_cost_usd::float8 AS provider_cost_usd, predict_time_seconds
       FROM generation_job WHERE id = $1`,
    [jobId],
  );
  return rows[0] as {
    status: string;
    images_delivered: number;
    credits_charged: number;
    credits_refunded: number;
    attempts: number;
    failure_reason: string | null;
    member_message: string | null;
    prediction_id: string | null;
    provider_cost_usd: number | null;
    predict_time_seconds: number | null;
  };
}
