// End-to-end jobs per second (confirm → queue → worker process → local provider → delivery →
// capture) with 1 and 4 worker processes, the overhead per job beyond the provider's own time,
// and a bare BullMQ no-op job rate measured in the same run as the baseline.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { createDatabase } from '../src/db/client.js';
import { createPgJobStore } from '../src/db/job-store.js';
import { createSqlJobCredits } from '../src/ledger/sql-job-credits.js';
import { createSqlLedger } from '../src/ledger/sql-ledger.js';
import { createBullGenerationQueue } from '../src/queue/bullmq-generation-queue.js';
import { createRedisConnection } from '../src/queue/redis-connection.js';
import { confirmGeneration } from '../src/use-cases/confirm-generation.js';
import { printTable, type Results } from './measure.js';

const root = path.resolve(import.meta.dirname, '..');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function bareBullmqRate(redisUrl: string, jobs: number): Promise<number> {
  const prefix = `bench-noop-${randomUUID().slice(0, 8)}`;
  // BullMQ does not close connections it was handed: they are quit below, or the bench never exits.
  const queueConnection = createRedisConnection(redisUrl);
  const workerConnection = createRedisConnection(redisUrl);
  const queue = new Queue('noop', { connection: queueConnection, prefix });
  let done = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const worker = new Worker('noop', async () => undefined, { connection: workerConnection, prefix, concurrency: 50, autorun: false });
  worker.on('completed', () => ++done === jobs && resolveAll());
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { removeOnComplete: true } })));
  }
  const started = performance.now();
  void worker.run();
  await all;
  const perSec = jobs / ((performance.now() - started) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await Promise.all([queueConnection.quit(), workerConnection.quit()]);
  return perSec;
}

function startWorkers(count: number, env: Record<string, string>): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/support/worker-process.ts')], {
            cwd: root,
            env: { ...process.env, ...env, WORKER_ID: `bench-${i}` },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
          child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
        }),
    ),
  );
}

export async function benchPipeline(databaseUrl: string, redisUrl: string, jobsPerRun: number): Promise<Results> {
  const results: Results = {};
  const rows: (string | number)[][] = [];
  const noop = await bareBullmqRate(redisUrl, 20_000);
  results['bullmq.noop.c50.perSec'] = noop;

  const db = createDatabase({ url: databaseUrl, poolSize: 16 });
  const ledger = createSqlLedger(db.pool);
  const jobs = createPgJobStore(db);
  const credits = createSqlJobCredits(db.pool);
  for (const processes of [1, 4]) {
    const prefix = `bench-pipeline-${randomUUID().slice(0, 8)}`;
    const connection = createRedisConnection(redisUrl);
    const queue = createBullGenerationQueue({ connection, prefix });
    const deliveryFile = path.join(await mkdtemp(path.join(tmpdir(), 'bench-')), 'deliveries.jsonl');
    const workers = await startWorkers(processes, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      PROVIDER: 'local',
      DELIVERY_FILE: deliveryFile,
      CONCURRENCY: '8',
    });
    const members = Array.from({ length: 50 }, (_, i) => `bench-member-${processes}-${i}`);
    await Promise.all(
      members.map((userId) =>
        ledger.grant({
          key: `bench-fund:${userId}`,
          userId,
          guildId: 'bench',
          kind: 'grant',
          amount: 1_000_000,
          expiresAt: null,
          actorId: 'bench',
          reason: 'bench',
        }),
      ),
    );
    const quoteIds = await Promise.all(
      Array.from({ length: jobsPerRun }, (_, i) =>
        jobs.createQuote({
          userId: members[i % members.length]!,
          guildId: 'bench',
          channelId: 'bench',
          price: 5,
          tierName: 'bench',
          breakdown: {},
          request: {
            model: 'flux-schnell',
            providerModelId: 'black-forest-labs/flux-schnell',
            operation: 'txt2img',
            prompt: `bench ${i}`,
            width: 256,
            height: 256,
            steps: 4,
            count: 1,
            seed: i,
          },
          expiresAt: new Date(Date.now() + 3_600_000),
        }),
      ),
    );
    const started = performance.now();
    const jobIds: string[] = [];
    for (let i = 0; i < quoteIds.length; i += 16) {
      await Promise.all(
        quoteIds.slice(i, i + 16).map(async (quoteId, k) => {
          const confirmed = await confirmGeneration({
            jobs,
            credits,
            queue,
            quoteId,
            userId: members[(i + k) % members.length]!,
            priority: 10,
            deadlineAt: new Date(Date.now() + 3_600_000),
          });
          if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
          jobIds.push(confirmed.value.jobId);
        }),
      );
    }
    for (;;) {
      const {
        rows: [left],
      } = await db.pool.query(`SELECT count(*)::int AS n FROM generation_job WHERE id = ANY($1) AND status IN ('queued', 'running')`, [jobIds]);
      if (left.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows: timings } = await db.pool.query(
      `
      SELECT extract(epoch FROM finished_at - created_at) * 1000 - coalesce(predict_time_seconds, 0) * 1000 AS overhead_ms, status
        FROM generation_job WHERE id = ANY($1)`,
      [jobIds],
    );
    const overheads = timings.map((t: { overhead_ms: number }) => Number(t.overhead_ms)).sort((a, b) => a - b);
    const succeeded = timings.filter((t: { status: string }) => t.status === 'succeeded').length;
    if (succeeded !== jobIds.length) throw new Error(`${jobIds.length - succeeded} bench jobs did not succeed`);
    // Overhead at low load: one job at a time, so no job waits behind another.
    const single: number[] = [];
    for (let i = 0; i < 40; i++) {
      const userId = members[i % members.length]!;
      const quoteId = await jobs.createQuote({
        userId,
        guildId: 'bench',
        channelId: 'bench',
        price: 5,
        tierName: 'bench',
        breakdown: {},
        request: {
          model: 'flux-schnell',
          providerModelId: 'black-forest-labs/flux-schnell',
          operation: 'txt2img',
          prompt: `single ${i}`,
          width: 256,
          height: 256,
          steps: 4,
          count: 1,
          seed: i,
        },
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      const confirmed = await confirmGeneration({ jobs, credits, queue, quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 3_600_000) });
      if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
      for (;;) {
        const {
          rows: [job],
        } = await db.pool.query(
          `SELECT status, extract(epoch FROM finished_at - created_at) * 1000 - coalesce(predict_time_seconds, 0) * 1000 AS overhead_ms FROM generation_job WHERE id = $1`,
          [confirmed.value.jobId],
        );
        if (job.status === 'succeeded') {
          single.push(Number(job.overhead_ms));
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    single.sort((a, b) => a - b);
    const key = `pipeline.local.w${processes}`;
    results[`${key}.jobsPerSec`] = jobIds.length / seconds;
    results[`${key}.saturatedLatencyMs.p50`] = percentile(overheads, 50);
    results[`${key}.saturatedLatencyMs.p99`] = percentile(overheads, 99);
    results[`${key}.overheadMs.p50`] = percentile(single, 50);
    results[`${key}.overheadMs.p99`] = percentile(single, 99);
    results[`${key}.ratioToBullmqNoop`] = jobIds.length / seconds / noop;
    rows.push([
      String(processes),
      jobIds.length,
      jobIds.length / seconds,
      percentile(single, 50),
      percentile(single, 99),
      percentile(overheads, 50),
      percentile(overheads, 99),
      noop,
    ]);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise((resolve) => {
            worker.once('exit', resolve);
            worker.kill('SIGTERM');
          }),
      ),
    );
    await queue.queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  }
  await db.close();
  printTable(
    'Pipeline, end to end (confirm → BullMQ → worker process × 8 → local provider 256×256 → delivery → capture);\n' +
      "overhead = confirm-to-captured time beyond the provider's own, one job at a time; saturated = the same while 400 jobs queue",
    ['worker processes', 'jobs', 'jobs/s', 'overhead p50 ms', 'overhead p99 ms', 'saturated p50 ms', 'saturated p99 ms', 'bare BullMQ no-op jobs/s'],
    rows,
  );
  return results;
}
