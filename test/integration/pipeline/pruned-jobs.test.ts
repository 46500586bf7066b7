// Redis forgets finished jobs (removeOnComplete/removeOnFail by age and count); the database
// still deduplicates. A finished job whose queue entry was pruned and that is added again — a
// replayed confirm, a reconciler pass — runs no provider, delivers nothing and charges nothing.
import { describe, expect, it } from 'vitest';
import { finishedJobRetention } from '../../../src/queue/bullmq-generation-queue.js';
import { reconcileJobs } from '../../../src/use-cases/reconcile-jobs.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { ScriptedProvider, safetyError } from '../../support/pipeline-doubles.js';
import { aRequest, chargesOf, confirm, finished, fund, guildId, newMember, quote, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const f = usePipeline(2);

describe('pruning finished jobs from Redis', () => {
  it('keeps finished entries bounded by age and by count', async () => {
    const userId = newMember();
    await fund(f, userId, 50);
    const confirmed = await confirm(f, await quote(f, userId, 5), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const entry = await f.queue.queue.getJob(confirmed.value.jobId);
    expect(entry?.opts).toMatchObject(finishedJobRetention);
    for (const retention of Object.values(finishedJobRetention)) {
      expect(retention.age).toBeGreaterThan(0);
      expect(retention.count).toBeGreaterThan(0);
    }
    await f.queue.remove(confirmed.value.jobId);
  });

  it('a pruned job added again (replayed confirm, reconciler) does not run, deliver or charge twice', async () => {
    const provider = new ScriptedProvider();
    provider.script('refused', { kind: 'fail', error: safetyError() });
    f.startWorker(provider);
    const userId = newMember();
    await fund(f, userId, 100);
    const succeededQuote = await quote(f, userId, 10, aRequest({ prompt: 'made once' }));
    const failedQuote = await quote(f, userId, 10, aRequest({ prompt: 'refused' }));
    const jobIds: string[] = [];
    for (const quoteId of [succeededQuote, failedQuote]) {
      const confirmed = await confirm(f, quoteId, userId);
      if (!confirmed.ok) throw new Error('confirm failed');
      jobIds.push(confirmed.value.jobId);
      await finished(f, confirmed.value.jobId);
    }
    const [succeeded, failed] = jobIds as [string, string];
    expect(await chargesOf(f, succeeded)).toMatchObject({ status: 'succeeded', credits_charged: 10 });
    expect(await chargesOf(f, failed)).toMatchObject({ status: 'failed', credits_charged: 0, credits_refunded: 10 });
    const balanceBefore = await f.ledger.balance(userId, guildId);

    // What removeOnComplete/removeOnFail do when an entry ages out: Redis forgets it.
    await waitFor(async () => (await f.queue.queue.getJobState(succeeded)) === 'completed');
    await f.queue.queue.clean(0, 1000, 'completed');
    await f.queue.queue.clean(0, 1000, 'failed');
    for (const jobId of jobIds) expect(await f.queue.queue.getJobState(jobId)).toBe('unknown');

    // The reconciler asks the database, which says both are finished: nothing to enqueue.
    const reconciled = await reconcileJobs({ jobs: f.jobs, credits: f.credits, queue: f.queue, delivery: f.delivery, orphanAgeMs: 0 });
    for (const jobId of jobIds) expect(reconciled.enqueued).not.toContain(jobId);
    // A replayed confirm (a late double click) adds the pruned ids again; they run and do nothing.
    for (const quoteId of [succeededQuote, failedQuote]) {
      const replayed = await confirm(f, quoteId, userId);
      expect(replayed.ok && jobIds.includes(replayed.value.jobId)).toBe(true);
    }
    for (const jobId of jobIds) {
      await waitFor(async () => (await f.queue.queue.getJobState(jobId)) === 'completed');
      expect((await f.queue.queue.getJob(jobId))?.returnvalue).toEqual({ kind: 'already_finished' });
    }

    expect(provider.calls.filter((id) => id === succeeded)).toHaveLength(1);
    expect(provider.predictionsCreated.get(succeeded)).toBe(1);
    expect(f.delivery.delivered.get(succeeded)).toBe(1);
    expect(f.delivery.failures.get(failed)).toMatchObject({ refunded: 10 });
    expect(await chargesOf(f, succeeded)).toMatchObject({ status: 'succeeded', credits_charged: 10, credits_refunded: 0 });
    expect(await chargesOf(f, failed)).toMatchObject({ status: 'failed', credits_charged: 0, credits_refunded: 10 });
    expect(await f.ledger.balance(userId, guildId)).toEqual(balanceBefore);
    await expectLedgerConsistent(f.database);
  });
});
