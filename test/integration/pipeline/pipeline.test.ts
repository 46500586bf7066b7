import { describe, expect, it } from 'vitest';
import { createPgJobStore } from '../../../src/db/job-store.js';
import { reconcileJobs } from '../../../src/use-cases/reconcile-jobs.js';
import { confirmGeneration } from '../../../src/use-cases/confirm-generation.js';
import { runGeneration } from '../../../src/use-cases/run-generation.js';
import type { GenerationQueue } from '../../../src/use-cases/ports/generation-queue.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { ScriptedProvider, rateLimited, safetyError, serverError } from '../../support/pipeline-doubles.js';
import { aRequest, chargesOf, confirm, finished, fund, guildId, newMember, quote, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const f = usePipeline(3);
const provider = new ScriptedProvider();
let started = false;
const ensureWorker = () => {
  if (!started) f.startWorker(provider, { concurrency: 4 });
  started = true;
};

describe('confirming a quote', () => {
  it('holds the price, creates the job and queues it under the job id; a double click changes nothing', async () => {
    const userId = newMember();
    await fund(f, userId, 100);
    const quoteId = await quote(f, userId, 30, aRequest({ prompt: 'held only' }));
    const [first, second] = await Promise.all([confirm(f, quoteId, userId), confirm(f, quoteId, userId)]);
    expect(first.ok && second.ok && first.value.jobId === second.value.jobId).toBe(true);
    expect([first, second].filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 70, held: 30 });
    const jobId = first.ok ? first.value.jobId : '';
    expect(await f.queue.holds(jobId)).toBe(true);
    expect(await f.queue.position(jobId)).toBeGreaterThanOrEqual(1);
  });

  it('refuses anyone but the quote owner, and holds nothing', async () => {
    const owner = newMember();
    const stranger = newMember();
    await fund(f, owner, 100);
    await fund(f, stranger, 100);
    const quoteId = await quote(f, owner, 30);
    expect(await confirm(f, quoteId, stranger)).toEqual({ ok: false, error: { code: 'not_quote_owner' } });
    expect((await f.ledger.balance(owner, guildId)).held).toBe(0);
    expect((await f.ledger.balance(stranger, guildId)).held).toBe(0);
  });

  it('refuses an expired, cancelled or unknown quote', async () => {
    const userId = newMember();
    await fund(f, userId, 100);
    expect(await confirm(f, await quote(f, userId, 10, aRequest(), -1), userId)).toEqual({ ok: false, error: { code: 'quote_expired' } });
    const cancelled = await quote(f, userId, 10);
    expect(await f.jobs.cancelQuote(cancelled, userId)).toBe(true);
    expect(await confirm(f, cancelled, userId)).toEqual({ ok: false, error: { code: 'quote_cancelled' } });
    expect(await confirm(f, '00000000-0000-4000-8000-000000000000', userId)).toEqual({ ok: false, error: { code: 'quote_not_found' } });
    expect(await confirm(f, 'not-a-uuid', userId)).toEqual({ ok: false, error: { code: 'quote_not_found' } });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(100);
  });

  it('says how many credits were needed and available, and the quote stays usable', async () => {
    const userId = newMember();
    await fund(f, userId, 20);
    const quoteId = await quote(f, userId, 25);
    expect(await confirm(f, quoteId, userId)).toEqual({ ok: false, error: { code: 'insufficient_credits', needed: 25, available: 20 } });
    await fund(f, userId, 5);
    expect((await confirm(f, quoteId, userId)).ok).toBe(true);
  });
});

describe('running jobs', () => {
  it('delivers and charges once for a successful job', async () => {
    ensureWorker();
    const userId = newMember();
    await fund(f, userId, 100);
    const confirmed = await confirm(f, await quote(f, userId, 40, aRequest({ prompt: 'success', count: 2 })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const job = await finished(f, confirmed.value.jobId);
    expect(job.status).toBe('succeeded');
    expect(await chargesOf(f, job.id)).toMatchObject({ images_delivered: 2, credits_charged: 40, credits_refunded: 0, attempts: 1 });
    expect(f.delivery.delivered.get(job.id)).toBe(2);
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 60, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('charges a partly failed batch only for the images delivered', async () => {
    ensureWorker();
    const userId = newMember();
    await fund(f, userId, 100);
    provider.script('three of four', { kind: 'succeed', images: 3 });
    const confirmed = await confirm(f, await quote(f, userId, 30, aRequest({ prompt: 'three of four', count: 4 })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const job = await finished(f, confirmed.value.jobId);
    // 30 for 4 images: the failed one refunds ceil(30 / 4) = 8.
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'partial', images_delivered: 3, credits_charged: 22, credits_refunded: 8 });
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 78, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('refunds a safety block at once, without retrying, and tells the member why', async () => {
    ensureWorker();
    const userId = newMember();
    await fund(f, userId, 100);
    provider.script('blocked', { kind: 'fail', error: safetyError() });
    const confirmed = await confirm(f, await quote(f, userId, 30, aRequest({ prompt: 'blocked' })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const job = await finished(f, confirmed.value.jobId);
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'failed', credits_charged: 0, credits_refunded: 30, attempts: 1, failure_reason: 'safety' });
    expect(f.delivery.failures.get(job.id)).toEqual({ message: safetyError().memberMessage, refunded: 30 });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(100);
    await expectLedgerConsistent(f.database);
  });

  it('retries a rate-limited job with the same prediction and charges once', async () => {
    ensureWorker();
    const userId = newMember();
    await fund(f, userId, 100);
    provider.script('busy then fine', { kind: 'fail', error: rateLimited() }, { kind: 'succeed' });
    const confirmed = await confirm(f, await quote(f, userId, 30, aRequest({ prompt: 'busy then fine' })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const job = await finished(f, confirmed.value.jobId);
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'succeeded', credits_charged: 30, attempts: 2 });
    expect(provider.predictionsCreated.get(job.id)).toBe(1);
    await expectLedgerConsistent(f.database);
  });

  it('refunds after the last attempt of a job that keeps failing transiently', async () => {
    ensureWorker();
    const userId = newMember();
    await fund(f, userId, 100);
    provider.script('always down', { kind: 'fail', error: serverError() });
    const confirmed = await confirm(f, await quote(f, userId, 30, aRequest({ prompt: 'always down' })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const job = await finished(f, confirmed.value.jobId);
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'failed', credits_refunded: 30, attempts: 3, failure_reason: 'server_error' });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(100);
    await expectLedgerConsistent(f.database);
  });
});

describe('the database is the truth', () => {
  it('a job committed while the queue was unreachable is found and run by the reconciler', async () => {
    ensureWorker();
    const userId = newMember();
    await fund(f, userId, 100);
    const brokenQueue: GenerationQueue = {
      enqueue: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
      holds: async () => false,
      remove: async () => undefined,
    };
    const errors: unknown[] = [];
    const confirmed = await confirmGeneration({
      jobs: f.jobs,
      credits: f.credits,
      queue: brokenQueue,
      quoteId: await quote(f, userId, 30, aRequest({ prompt: 'orphan' })),
      userId,
      priority: 10,
      deadlineAt: new Date(Date.now() + 600_000),
      onEnqueueError: (error) => errors.push(error),
    });
    if (!confirmed.ok) throw new Error('confirm failed');
    expect(errors).toHaveLength(1);
    expect(await f.queue.holds(confirmed.value.jobId)).toBe(false);
    const reconciled = await reconcileJobs({ jobs: f.jobs, credits: f.credits, queue: f.queue, delivery: f.delivery, orphanAgeMs: 0 });
    expect(reconciled.enqueued).toContain(confirmed.value.jobId);
    expect((await finished(f, confirmed.value.jobId)).status).toBe('succeeded');
    await expectLedgerConsistent(f.database);
  });

  it('a job past its deadline is ended and refunded, and a late worker changes nothing', async () => {
    const userId = newMember();
    await fund(f, userId, 100);
    const brokenQueue: GenerationQueue = { enqueue: async () => undefined, holds: async () => false, remove: async () => undefined };
    const confirmed = await confirmGeneration({
      jobs: f.jobs,
      credits: f.credits,
      queue: brokenQueue,
      quoteId: await quote(f, userId, 30, aRequest({ prompt: 'stuck' })),
      userId,
      priority: 10,
      deadlineAt: new Date(Date.now() - 1000),
    });
    if (!confirmed.ok) throw new Error('confirm failed');
    const reconciled = await reconcileJobs({ jobs: f.jobs, credits: f.credits, queue: brokenQueue, delivery: f.delivery });
    expect(reconciled.timedOut).toEqual([confirmed.value.jobId]);
    expect(await chargesOf(f, confirmed.value.jobId)).toMatchObject({ status: 'failed', failure_reason: 'timeout', credits_refunded: 30 });
    const late = await runGeneration({
      jobId: confirmed.value.jobId,
      workerId: 'late',
      jobs: f.jobs,
      credits: f.credits,
      provider,
      delivery: f.delivery,
      finalAttempt: false,
      maxRunningJobs: () => 4,
    });
    expect(late).toEqual({ kind: 'already_finished' });
    expect((await f.ledger.balance(userId, guildId)).available).toBe(100);
    await expectLedgerConsistent(f.database);
  });

  it('the same job run by two workers at once is generated once and charged once', async () => {
    const userId = newMember();
    await fund(f, userId, 100);
    const brokenQueue: GenerationQueue = { enqueue: async () => undefined, holds: async () => false, remove: async () => undefined };
    provider.script('twice at once', { kind: 'succeed', delayMs: 200 });
    const confirmed = await confirmGeneration({
      jobs: f.jobs,
      credits: f.credits,
      queue: brokenQueue,
      quoteId: await quote(f, userId, 30, aRequest({ prompt: 'twice at once' })),
      userId,
      priority: 10,
      deadlineAt: new Date(Date.now() + 600_000),
    });
    if (!confirmed.ok) throw new Error('confirm failed');
    const run = (workerId: string) =>
      runGeneration({
        jobId: confirmed.value.jobId,
        workerId,
        jobs: createPgJobStore(f.database.db),
        credits: f.credits,
        provider,
        delivery: f.delivery,
        finalAttempt: false,
        maxRunningJobs: () => 4,
      });
    const outcomes = await Promise.all([run('worker-a'), run('worker-b')]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['finished', 'held_elsewhere']);
    expect(provider.calls.filter((id) => id === confirmed.value.jobId)).toHaveLength(1);
    expect(await chargesOf(f, confirmed.value.jobId)).toMatchObject({ status: 'succeeded', credits_charged: 30 });
    await expectLedgerConsistent(f.database);
  });

  it('holds a member to their running-job limit', async () => {
    const userId = newMember();
    await fund(f, userId, 100);
    const brokenQueue: GenerationQueue = { enqueue: async () => undefined, holds: async () => false, remove: async () => undefined };
    provider.script('slow one', { kind: 'succeed', delayMs: 500 });
    const confirmOne = async (prompt: string) => {
      const confirmed = await confirmGeneration({
        jobs: f.jobs,
        credits: f.credits,
        queue: brokenQueue,
        quoteId: await quote(f, userId, 10, aRequest({ prompt })),
        userId,
        priority: 10,
        deadlineAt: new Date(Date.now() + 600_000),
      });
      if (!confirmed.ok) throw new Error('confirm failed');
      return confirmed.value.jobId;
    };
    const [first, second] = [await confirmOne('slow one'), await confirmOne('slow one')];
    const run = (jobId: string) =>
      runGeneration({
        jobId,
        workerId: `w-${jobId}`,
        jobs: f.jobs,
        credits: f.credits,
        provider,
        delivery: f.delivery,
        finalAttempt: false,
        maxRunningJobs: () => 1,
      });
    const firstRun = run(first);
    await waitFor(async () => (await f.jobs.get(first))?.status === 'running', 2000, 'the first job to run');
    expect(await run(second)).toEqual({ kind: 'deferred' });
    expect((await firstRun).kind).toBe('finished');
    expect((await run(second)).kind).toBe('finished');
  });
});
