// A real worker process for crash tests and the pipeline bench: the production queue worker,
// job store and providers, with a delivery port that appends what it delivered to a file (the
// Discord delivery arrives with the bot). Configured through the environment; prints "ready".
import { appendFile } from 'node:fs/promises';
import { createDatabase } from '../../src/db/client.js';
import { createPgJobStore } from '../../src/db/job-store.js';
import { createSqlJobCredits } from '../../src/ledger/sql-job-credits.js';
import { createLocalProvider } from '../../src/providers/local-provider.js';
import { createReplicateProvider } from '../../src/providers/replicate-provider.js';
import { createGenerationWorker } from '../../src/queue/generation-worker.js';
import { relaxQueueName } from '../../src/queue/bullmq-generation-queue.js';
import { createRedisConnection } from '../../src/queue/redis-connection.js';
import type { ImageDelivery } from '../../src/use-cases/ports/image-delivery.js';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`worker-process: ${name} is not set`);
  return value;
};

const deliveryFile = env('DELIVERY_FILE');
const delivery: ImageDelivery = {
  async deliver(job, images) {
    await appendFile(deliveryFile, `${JSON.stringify({ jobId: job.id, delivered: images.length, worker: env('WORKER_ID'), at: Date.now() })}\n`);
    return { delivered: images.length };
  },
  async reportFailure(job, message, refunded) {
    await appendFile(deliveryFile, `${JSON.stringify({ jobId: job.id, failed: message, refunded })}\n`);
  },
  async reportProgress() {},
};

const db = createDatabase({ url: env('DATABASE_URL'), poolSize: 8 });
const jobs = createPgJobStore(db);
const credits = createSqlJobCredits(db.pool);
const provider =
  env('PROVIDER', 'local') === 'replicate'
    ? createReplicateProvider({ token: env('REPLICATE_API_TOKEN'), baseUrl: env('REPLICATE_API_URL'), pollIntervalMs: Number(env('POLL_MS', '100')) })
    : createLocalProvider({ delayMs: Number(env('LOCAL_DELAY_MS', '0')) });
const workerOptions = {
  connection: createRedisConnection(env('REDIS_URL')),
  prefix: env('QUEUE_PREFIX'),
  workerId: env('WORKER_ID'),
  jobs,
  credits,
  provider,
  delivery,
  maxRunningJobs: () => 1000,
  concurrency: Number(env('CONCURRENCY', '4')),
  leaseMs: Number(env('LEASE_MS', '60000')),
  lockDurationMs: Number(env('LOCK_MS', '30000')),
};
const worker = createGenerationWorker(workerOptions);
// RELAX_SLOTS > 0: Relax jobs too, in slots of their own, as compose-worker.ts runs them.
const relaxSlots = Number(env('RELAX_SLOTS', '0'));
const relaxWorker =
  relaxSlots > 0
    ? createGenerationWorker({ ...workerOptions, connection: createRedisConnection(env('REDIS_URL')), queueName: relaxQueueName, concurrency: relaxSlots })
    : null;
await Promise.all([worker.waitUntilReady(), relaxWorker?.waitUntilReady()]);
console.log('ready');

process.on('SIGTERM', () => {
  void Promise.all([worker.close(), relaxWorker?.close()])
    .then(() => db.close())
    .then(() => process.exit(0));
});
