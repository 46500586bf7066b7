// Speed lanes under a Relax flood: how long a Fast job waits from confirm to start (p50, p99) with
// 200 Relax jobs queued, against the same Fast arrivals with no Relax load, in one run, on one
// real worker process (WORKER_CONCURRENCY paying slots + its Relax slots, local provider).
// Goal: relaxFlood p99 ≤ 1.5 × idle p99 (keys lanes.fastWait.p99.relaxFlood / .idle).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../src/db/client.js';
import { createPgJobStore } from '../src/db/job-store.js';
import type { JobRequest } from '../src/domain/jobs/job-request.js';
import { lanePriority } from '../src/domain/lanes/queue-order.js';
import type { Lane } from '../src/domain/pricing/card-terms.js';
import { createSqlJobCredits } from '../src/ledger/sql-job-credits.js';
import { createSqlLedger } from '../src/ledger/sql-ledger.js';
import { createBullGenerationQueue, type BullGenerationQueue } from '../src/queue/bullmq-generation-queue.js';
import { createRedisConnection } from '../src/queue/redis-connection.js';
import { confirmGeneration } from '../src/use-cases/confirm-generation.js';
import { median, printTable, type Results } from './measure.js';

const root = path.resolve(import.meta.dirname, '..');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const paidSlots = 4;
const relaxSlots = 1;
const providerMs = 200;
const relaxFlood = 200;
const fastJobs = 100;
/** One Fast job every 100 ms: half of what 4 slots of 200 ms can run, a busy but not saturated server. */
const fastEveryMs = 100;

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/support/worker-process.ts')], {
      cwd: root,
      env: { ...process.env, ...env, WORKER_ID: 'bench-lanes' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

const request = (prompt: string, lane: Lane): JobRequest => ({
  model: 'flux-schnell',
  providerModelId: 'black-forest-labs/flux-schnell',
  operation: 'txt2img',
  lane,
  prompt,
  width: 256,
  height: 256,
  steps: 4,
  count: 1,
  seed: 1,
});

interface Scenario {
  readonly db: Database;
  readonly queue: BullGenerationQueue;
  readonly members: readonly string[];
}

async function confirmIn({ db, queue }: Scenario, userId: string, lane: Lane, prompt: string): Promise<string> {
  const jobs = createPgJobStore(db);
  const quoteId = await jobs.createQuote({
    userId,
    guildId: 'bench',
    channelId: 'bench',
    price: lane === 'relax' ? 0 : 5,
    listPrice: 5,
    tierName: 'bench',
    breakdown: {},
    request: request(prompt, lane),
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  const recent = lane === 'relax' ? await jobs.recentRelaxImages(userId, new Date(Date.now() - 86_400_000)) : 0;
  const confirmed = await confirmGeneration({
    jobs,
    credits: createSqlJobCredits(db.pool),
    queue,
    quoteId,
    userId,
    priority: lanePriority(lane, 'standard', recent),
    deadlineAt: new Date(Date.now() + 3_600_000),
  });
  if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
  return confirmed.value.jobId;
}

/** Fast arrivals at a steady rate; returns each one's wait from confirm (created_at) to start. */
async function fastWaits(scenario: Scenario, label: string, jobs = fastJobs): Promise<number[]> {
  const ids: string[] = [];
  for (let i = 0; i < jobs; i++) {
    const started = performance.now();
    ids.push(await confirmIn(scenario, scenario.members[i % scenario.members.length]!, 'fast', `${label} fast ${i}`));
    await sleep(Math.max(0, fastEveryMs - (performance.now() - started)));
  }
  for (;;) {
    const { rows } = await scenario.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM generation_job WHERE id = ANY($1) AND status IN ('queued', 'running')`,
      [ids],
    );
    if (rows[0]!.n === 0) break;
    await sleep(50);
  }
  const { rows } = await scenario.db.pool.query<{ wait_ms: number; status: string }>(
    `SELECT extract(epoch FROM started_at - created_at) * 1000 AS wait_ms, status FROM generation_job WHERE id = ANY($1)`,
    [ids],
  );
  if (rows.some((row) => row.status !== 'succeeded')) throw new Error(`${label}: not every Fast job succeeded`);
  return rows.map((row) => Number(row.wait_ms)).sort((a, b) => a - b);
}

export async function benchLanes(databaseUrl: string, redisUrl: string, rounds = 3): Promise<Results> {
  const db = createDatabase({ url: databaseUrl, poolSize: 8 });
  const ledger = createSqlLedger(db.pool);
  const members = Array.from({ length: 20 }, (_, i) => `bench-lanes-${i}`);
  for (const userId of members) {
    await ledger.grant({
      key: `bench-lanes-fund:${userId}`,
      userId,
      guildId: 'bench',
      kind: 'grant',
      amount: 1_000_000,
      expiresAt: null,
      actorId: 'bench',
      reason: 'bench',
    });
  }
  const results: Results = {};
  const rows: (string | number)[][] = [];
  const p99s: Record<'idle' | 'relaxFlood', number[]> = { idle: [], relaxFlood: [] };
  const p50s: Record<'idle' | 'relaxFlood', number[]> = { idle: [], relaxFlood: [] };
  // Interleaved rounds, the median of each: a noisy moment on the machine hits both loads alike.
  for (const flood of Array.from({ length: rounds }, () => [0, relaxFlood]).flat()) {
    const prefix = `bench-lanes-${randomUUID().slice(0, 8)}`;
    const connection = createRedisConnection(redisUrl);
    const queue = createBullGenerationQueue({ connection, prefix });
    const deliveryFile = path.join(await mkdtemp(path.join(tmpdir(), 'bench-lanes-')), 'deliveries.jsonl');
    const worker = await startWorker({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      PROVIDER: 'local',
      LOCAL_DELAY_MS: String(providerMs),
      DELIVERY_FILE: deliveryFile,
      CONCURRENCY: String(paidSlots),
      RELAX_SLOTS: String(relaxSlots),
    });
    const scenario = { db, queue, members };
    // A warm worker in both loads alike (its first jobs open connections and compile code paths).
    await fastWaits(scenario, 'warm-up', 20);
    // The flood: 200 Relax jobs (from 200 members: one Relax job each at a time), queued before
    // the first Fast job. Free Relax holds nothing, so they need no credits.
    for (let i = 0; i < flood; i++) await confirmIn(scenario, `bench-relaxer-${i}`, 'relax', `relax ${i}`);
    const waits = await fastWaits(scenario, flood === 0 ? 'idle' : 'flood');
    const key = flood === 0 ? 'idle' : 'relaxFlood';
    p50s[key].push(percentile(waits, 50));
    p99s[key].push(percentile(waits, 99));
    const { rows: relaxLeft } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM generation_job WHERE lane = 'relax' AND status = 'queued' AND request->>'prompt' LIKE 'relax %'`,
    );
    rows.push([key, flood, percentile(waits, 50).toFixed(1), percentile(waits, 99).toFixed(1), relaxLeft[0]!.n]);
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    // Relax jobs left queued are ended, so the next scenario starts from an empty queue.
    await queue.queue.obliterate({ force: true });
    await queue.relaxQueue.obliterate({ force: true });
    await db.pool.query(`UPDATE generation_job SET status = 'failed', finished_at = now() WHERE status IN ('queued', 'running') AND guild_id = 'bench'`);
    await queue.close();
    await connection.quit();
  }
  for (const key of ['idle', 'relaxFlood'] as const) {
    results[`lanes.fastWait.p50.${key}`] = median(p50s[key]);
    results[`lanes.fastWait.p99.${key}`] = median(p99s[key]);
  }
  results['lanes.fastWait.p99.ratio'] = results['lanes.fastWait.p99.relaxFlood']! / Math.max(1, results['lanes.fastWait.p99.idle']!);
  printTable(
    `Fast job wait, confirm → start (ms), per round: ${fastJobs} Fast jobs, one per ${fastEveryMs} ms; ${paidSlots} paying + ${relaxSlots} Relax slot, provider ${providerMs} ms`,
    ['load', 'relax queued', 'p50', 'p99', 'relax still queued at end'],
    rows,
  );
  console.log(
    `median p99 with ${relaxFlood} Relax jobs queued ${results['lanes.fastWait.p99.relaxFlood']!.toFixed(1)} ms ÷ idle ${results['lanes.fastWait.p99.idle']!.toFixed(1)} ms = ${results['lanes.fastWait.p99.ratio'].toFixed(2)} (goal ≤ 1.5)`,
  );
  await db.close();
  return results;
}
