// A job's deadline against a worker still running it (issue 12: a job is either charged for what
// it delivered or refunded, never both refunded and delivered).
import { afterAll, describe, expect, it } from 'vitest';
import { reconcileJobs } from '../../../src/use-cases/reconcile-jobs.js';
import { runGeneration } from '../../../src/use-cases/run-generation.js';
import type { GenerationQueue } from '../../../src/use-cases/ports/generation-queue.js';
import type { ImageProvider } from '../../../src/use-cases/ports/image-provider.js';
import { setDatabaseClock } from '../../support/database.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { aRequest, chargesOf, fund, guildId, newMember, usePipeline } from '../../support/pipeline-fixture.js';

const f = usePipeline(3);
// Leases and deadlines are decided on the database's clock; these tests move it.
const setClock = (at: Date) => setDatabaseClock(f.database, at);
const jobsOnClock = () => f.jobs;
afterAll(() => setDatabaseClock(f.database, null));
const seconds = (n: number) => n * 1000;
const T0 = new Date('2026-12-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const one = { maxRunningForMember: 1 };
const delivered = (n: number) => ({ delivered: n, failureReason: null, memberMessage: null, providerCostUsd: null, predictTimeSeconds: null });
const noQueue: GenerationQueue = { enqueue: async () => undefined, holds: async () => true, remove: async () => undefined };
const reap = () => reconcileJobs({ jobs: jobsOnClock(), credits: f.credits, queue: noQueue, delivery: f.delivery, orphanAgeMs: 3_600_000 });

/** A job of `price` credits confirmed at T0 whose deadline is T0 + 60 s. */
async function jobDueInAMinute(price = 10): Promise<{ userId: string; jobId: string }> {
  const userId = newMember();
  await fund(f, userId, 100);
  await setClock(T0);
  const jobs = jobsOnClock();
  const quoteId = await jobs.createQuote({
    userId,
    guildId,
    channelId: 'channel-1',
    request: aRequest({ prompt: 'at the deadline' }),
    breakdown: {},
    price,
    tierName: 'starter',
    expiresAt: at(seconds(600)),
  });
  const confirmed = await f.credits.confirmQuote({ quoteId, userId, priority: 10, deadlineAt: at(seconds(60)) });
  if (!confirmed.ok) throw new Error(confirmed.error.code);
  return { userId, jobId: confirmed.value.jobId };
}

describe('a job at its deadline', () => {
  it('is left to its worker while the worker’s lease is live, and charged for what it delivers', async () => {
    const { userId, jobId } = await jobDueInAMinute();
    expect(await jobsOnClock().claim(jobId, 'worker-1', 60_000, one)).toMatchObject({ kind: 'claimed' });
    await setClock(at(seconds(50)));
    expect(await jobsOnClock().renewLease(jobId, 'worker-1', 60_000)).toBe(true);
    await setClock(at(seconds(70)));
    expect((await reap()).timedOut).toEqual([]);
    expect(await f.credits.finish(jobId, delivered(1))).toEqual({ status: 'succeeded', charged: 10, refunded: 0, replayed: false });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 90, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('is not started once past its deadline: the claim refuses it and the reaper refunds it', async () => {
    const { userId, jobId } = await jobDueInAMinute();
    await setClock(at(seconds(61)));
    expect(await jobsOnClock().claim(jobId, 'late-worker', 60_000, one)).toEqual({ kind: 'past_deadline' });
    expect((await reap()).timedOut).toEqual([jobId]);
    expect(await chargesOf(f, jobId)).toMatchObject({ status: 'failed', credits_charged: 0, credits_refunded: 10, failure_reason: 'timeout' });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 100, held: 0 });
  });

  it('cannot keep its lease for ever: past the overtime the lease runs out and the reaper refunds it', async () => {
    const { jobId } = await jobDueInAMinute();
    expect(await jobsOnClock().claim(jobId, 'stuck-worker', 60_000, one)).toMatchObject({ kind: 'claimed' });
    // Ten minutes of overtime after the deadline, renewed all along.
    for (let t = 30; t <= 630; t += 30) {
      await setClock(at(seconds(t)));
      expect(await jobsOnClock().renewLease(jobId, 'stuck-worker', 60_000)).toBe(true);
    }
    expect((await reap()).timedOut).toEqual([]);
    await setClock(at(seconds(661)));
    expect(await jobsOnClock().renewLease(jobId, 'stuck-worker', 60_000)).toBe(false);
    expect((await reap()).timedOut).toEqual([jobId]);
    expect(await chargesOf(f, jobId)).toMatchObject({ status: 'failed', credits_refunded: 10 });
  });
});

describe('the reaper racing workers at the deadline', () => {
  it('ends each job once: a worker with a live lease delivers and is charged, one without delivers nothing and it is refunded', async () => {
    const live = await Promise.all(Array.from({ length: 8 }, () => jobDueInAMinute()));
    const lapsed = await Promise.all(Array.from({ length: 8 }, () => jobDueInAMinute()));
    await setClock(T0);
    for (const { jobId } of live) expect(await f.jobs.claim(jobId, `live-${jobId}`, 120_000, one)).toMatchObject({ kind: 'claimed' });
    for (const { jobId } of lapsed) expect(await f.jobs.claim(jobId, `lapsed-${jobId}`, 30_000, one)).toMatchObject({ kind: 'claimed' });
    await setClock(at(seconds(70)));
    // Each worker delivers only if it still may, then finishes; three reapers run at the same time.
    const work = async (jobId: string, workerId: string) => {
      if (!(await f.jobs.beginDelivery(jobId, workerId, 60_000))) return 'not delivered';
      await f.credits.finish(jobId, delivered(1));
      return 'delivered';
    };
    const results = await Promise.all([
      ...live.map(({ jobId }) => work(jobId, `live-${jobId}`)),
      ...lapsed.map(({ jobId }) => work(jobId, `lapsed-${jobId}`)),
      reap(),
      reap(),
      reap(),
    ]);
    expect(results.slice(0, 16)).toEqual([...Array(8).fill('delivered'), ...Array(8).fill('not delivered')]);
    for (const { jobId } of live)
      expect(await chargesOf(f, jobId)).toMatchObject({ status: 'succeeded', images_delivered: 1, credits_charged: 10, credits_refunded: 0 });
    for (const { jobId } of lapsed)
      expect(await chargesOf(f, jobId)).toMatchObject({ status: 'failed', images_delivered: 0, credits_charged: 0, credits_refunded: 10 });
    await expectLedgerConsistent(f.database);
  });
});

describe('a worker whose job was ended while it worked', () => {
  it('that finds it past its deadline runs nothing, refunds it at once and tells the member', async () => {
    const { userId, jobId } = await jobDueInAMinute();
    await setClock(at(seconds(61)));
    const never: ImageProvider = { name: 'local', generate: () => Promise.reject(new Error('must not run')) };
    const outcome = await runGeneration({
      jobId,
      workerId: 'late',
      jobs: f.jobs,
      credits: f.credits,
      provider: never,
      delivery: f.delivery,
      finalAttempt: false,
      maxRunningJobs: () => 4,
    });
    expect(outcome).toEqual({ kind: 'finished', status: 'failed', charged: 0, refunded: 10, userId });
    expect(f.delivery.failures.get(jobId)).toMatchObject({ refunded: 10 });
    expect(f.delivery.delivered.has(jobId)).toBe(false);
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 100, held: 0 });
  });

  it('does not deliver it, and charges nothing', async () => {
    const { userId, jobId } = await jobDueInAMinute();
    let started!: () => void;
    const generating = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stalled: ImageProvider = {
      name: 'local',
      async generate() {
        started();
        await released;
        return {
          images: [{ index: 0, data: Buffer.from('late image'), contentType: 'image/png' }],
          providerCostUsd: 0.01,
          predictTimeSeconds: 1,
          providerPredictionId: null,
        };
      },
    };
    const run = runGeneration({
      jobId,
      workerId: 'stalled-worker',
      jobs: jobsOnClock(),
      credits: f.credits,
      provider: stalled,
      delivery: f.delivery,
      finalAttempt: true,
      maxRunningJobs: () => 4,
      leaseMs: 60_000,
    });
    await generating;
    // The worker stalls for an hour: its lease ran out long ago, and the reaper ends the job.
    await setClock(at(seconds(3600)));
    expect((await reap()).timedOut).toEqual([jobId]);
    release();
    const outcome = await run;
    expect(f.delivery.delivered.has(jobId)).toBe(false);
    expect(outcome).toEqual({ kind: 'lost_lease' });
    expect(await chargesOf(f, jobId)).toMatchObject({ status: 'failed', images_delivered: 0, credits_charged: 0, credits_refunded: 10 });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 100, held: 0 });
    await expectLedgerConsistent(f.database);
  });
});
