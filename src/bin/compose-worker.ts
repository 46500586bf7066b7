// Wires a worker process: the generation worker (when it has somewhere to deliver), the
// reconciler and the ledger's expiry sweep, all on timers. Stopping hands running jobs back.
import { hostname } from 'node:os';
import { createDatabase } from '../db/client.js';
import { createPgJobStore } from '../db/job-store.js';
import { createDiscordDelivery } from '../discord/discord-delivery.js';
import { findTier } from '../domain/tiers.js';
import { createSqlLedger } from '../ledger/sql-ledger.js';
import { createLocalProvider } from '../providers/local-provider.js';
import { createReplicateProvider } from '../providers/replicate-provider.js';
import { createBullGenerationQueue, relaxQueueName } from '../queue/bullmq-generation-queue.js';
import { createGenerationWorker, type GenerationWorkerOptions } from '../queue/generation-worker.js';
import { createRedisConnection } from '../queue/redis-connection.js';
import { limitProviderStarts } from '../queue/provider-start-limit.js';
import type { HealthCheck, HttpRoute } from '../observability/health-server.js';
import { instrumentProvider } from '../observability/instrumented-provider.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../shared/logger.js';
import type { JobRecord } from '../use-cases/ports/job-store.js';
import { pruneStaleQuotes } from '../use-cases/prune-stale-quotes.js';
import { createSqlJobCredits } from '../ledger/sql-job-credits.js';
import { reconcileJobs } from '../use-cases/reconcile-jobs.js';
import { sweepExpiredCredits } from '../use-cases/sweep-expired-credits.js';
import type { Preflight } from './preflight.js';
import { errorMessage } from '../shared/error-message.js';

const reconcileEveryMs = 30_000;
const sweepEveryMs = 60_000;

/** Runs `task` now and every `everyMs`, never two at once; `stop` waits for the one running. */
function every(everyMs: number, task: () => Promise<void>) {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(task);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** A composed part of a process: how to stop it and what /healthz should check for it. */
export interface ProcessPart {
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** Refreshes this part's gauges before a /metrics scrape. */
  readonly beforeScrape?: () => Promise<void>;
  /** Endpoints this part serves on the process's private HTTP port (dashboards). */
  readonly routes?: readonly HttpRoute[];
  /** Endpoints the internet must reach (payment webhooks), on the public port. */
  readonly publicRoutes?: readonly HttpRoute[];
  /** Called before the listeners close: ends this part's long-lived responses (the playground's event streams). */
  readonly closing?: () => void;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /**
   * Where the local provider may fetch source images (upscale, variations) from, besides Discord's
   * CDN: the playground's local Discord serves its attachments over http on 127.0.0.1.
   */
  readonly localSourceImages?: { readonly hosts: readonly string[]; readonly protocols: readonly string[] };
}

export async function composeWorker({ config, priceCard }: Preflight, log: Logger, metrics: Metrics, options: WorkerOptions = {}): Promise<ProcessPart> {
  const db = createDatabase(config.database);
  const ledger = createSqlLedger(db.pool);
  const jobs = createPgJobStore(db);
  const credits = createSqlJobCredits(db.pool);
  const onRedisError = (error: Error) => log.warn({ err: error.message }, 'redis connection problem; retrying');
  const queue = createBullGenerationQueue({ connection: createRedisConnection(config.redis.url, onRedisError), prefix: config.redis.queuePrefix });
  const shutdown = new AbortController();
  // Redis for the provider start limit and the health check (the queue and worker keep their own).
  const redis = createRedisConnection(config.redis.url, onRedisError);
  const provider = limitProviderStarts(
    instrumentProvider(
      config.provider.kind === 'replicate'
        ? createReplicateProvider({ token: config.provider.token, ...(config.provider.apiUrl ? { baseUrl: config.provider.apiUrl } : {}), logger: log })
        : createLocalProvider({
            delayMs: config.provider.delayMs,
            ...(options.localSourceImages
              ? { allowedSourceHosts: options.localSourceImages.hosts, allowedSourceProtocols: options.localSourceImages.protocols }
              : {}),
          }),
      metrics,
    ),
    // Kept in Redis, so it holds across every worker process together.
    { redis, prefix: config.redis.queuePrefix, max: config.worker.providerJobsPerMinute },
  );
  const delivery = config.discord.token
    ? createDiscordDelivery({
        token: config.discord.token,
        jobs,
        log,
        maxUploadBytes: config.discord.maxUploadBytes,
        ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}),
      })
    : null;

  const tierOf = (job: JobRecord) => findTier(priceCard, job.tierName);
  const workerOptions = (): GenerationWorkerOptions | null =>
    delivery === null
      ? null
      : {
          connection: createRedisConnection(config.redis.url, onRedisError),
          prefix: config.redis.queuePrefix,
          workerId: `${hostname()}:${process.pid}`,
          jobs,
          credits,
          provider,
          delivery,
          maxRunningJobs: (job) => tierOf(job)?.maxRunningJobs ?? 1,
          concurrency: config.worker.concurrency,
          estimateCostUsd: (job, delivered) => {
            const usdPerImage = priceCard.models[job.request.model]?.usdPerImage;
            return usdPerImage === undefined ? null : usdPerImage * delivered;
          },
          availableCredits: async (job) => (await ledger.balance(job.userId, job.guildId)).available,
          signal: shutdown.signal,
          log,
          onOutcome: (jobId, outcome) => {
            metrics.jobAttempts.inc({ outcome: outcome.kind });
            if (outcome.kind === 'finished') {
              metrics.jobsFinished.inc({ status: outcome.status });
              metrics.creditsCaptured.inc(outcome.charged);
              metrics.creditsRefunded.inc(outcome.refunded);
              if (outcome.refunded > 0) metrics.refunds.inc({ reason: outcome.status === 'partial' ? 'some_images_failed' : 'nothing_delivered' });
            }
            log.info({ jobId, ...outcome }, 'job attempt ended');
          },
          onError: (jobId, error) => log.warn({ jobId, err: errorMessage(error) }, 'job attempt failed'),
        };
  const paying = workerOptions();
  const worker = paying === null ? null : createGenerationWorker(paying);
  // Relax runs in slots of its own (RELAX_SHARE of WORKER_CONCURRENCY), so a flood of Relax jobs
  // can never hold a slot a Fast or Turbo job is waiting for.
  const relaxing = config.worker.relaxSlots > 0 ? workerOptions() : null;
  const relaxWorker = relaxing === null ? null : createGenerationWorker({ ...relaxing, queueName: relaxQueueName, concurrency: config.worker.relaxSlots });
  if (worker === null) log.warn('DISCORD_TOKEN is not set: not taking generation jobs (there is nowhere to deliver images)');

  const stopSweep = every(sweepEveryMs, async () => {
    const swept = await sweepExpiredCredits({ ledger }).catch((error: unknown) => {
      log.error({ err: error }, 'expiry sweep failed; will retry');
      return { lots: 0, credits: 0 };
    });
    if (swept.lots > 0) log.info(swept, 'expired credits swept');
    const pruned = await pruneStaleQuotes({ jobs, now: new Date() }).catch((error: unknown) => {
      log.error({ err: error }, 'pruning stale quotes failed; will retry');
      return 0;
    });
    if (pruned > 0) log.info({ quotes: pruned }, 'stale unconfirmed quotes deleted');
  });
  const stopReconcile =
    delivery === null
      ? async () => undefined
      : every(reconcileEveryMs, async () => {
          const reconciled = await reconcileJobs({ jobs, credits, queue, delivery }).catch((error: unknown) => {
            log.error({ err: error }, 'reconciling jobs failed; will retry');
            return { enqueued: [], timedOut: [] };
          });
          if (reconciled.enqueued.length + reconciled.timedOut.length > 0) log.info(reconciled, 'jobs reconciled');
        });

  log.info({ provider: provider.name, generating: worker !== null, relaxSlots: relaxWorker === null ? 0 : config.worker.relaxSlots }, 'worker ready');
  return {
    checks: {
      postgres: () => db.pool.query('SELECT 1'),
      redis: () => redis.ping(),
      queue: () => queue.queue.getJobCounts('wait'),
    },
    beforeScrape: async () => {
      const [paid, relax] = await Promise.all([queue.queue, queue.relaxQueue].map((q) => q.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed')));
      for (const [state, count] of Object.entries(paid ?? {})) metrics.queueJobs.set({ state }, count + (relax?.[state] ?? 0));
    },
    // Off unless BULL_BOARD_PASSWORD is set (then /admin/queues is a 404 like any unknown path).
    // Loaded only then: Bull Board and Express cost about 15 MiB (bench: worker.rss.idleMiB).
    routes: config.queueDashboard
      ? [(await import('../observability/queue-dashboard.js')).queueDashboardRoute({ queues: [queue.queue, queue.relaxQueue], ...config.queueDashboard, log })]
      : [],
    async stop() {
      // Stop taking jobs; give running ones a grace period, then hand them back to the queue.
      const handBack = setTimeout(() => shutdown.abort(), config.shutdownGraceMs);
      await Promise.all([worker?.close(), relaxWorker?.close()]);
      clearTimeout(handBack);
      await Promise.all([stopSweep(), stopReconcile()]);
      await queue.close();
      redis.disconnect();
      await db.close();
    },
  };
}
