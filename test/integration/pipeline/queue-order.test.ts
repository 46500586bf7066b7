import { describe, expect, it } from 'vitest';
import { queuePriorityRank } from '../../../src/domain/jobs/job-request.js';
import { confirmGeneration } from '../../../src/use-cases/confirm-generation.js';
import { ScriptedProvider } from '../../support/pipeline-doubles.js';
import { aRequest, finished, fund, newMember, quote, usePipeline } from '../../support/pipeline-fixture.js';

describe('queue order', () => {
  const f = usePipeline(3);

  it('runs higher tiers first, and tells each member their place in the queue', async () => {
    const userId = newMember();
    await fund(f, userId, 1000);
    const enqueue = async (prompt: string, priority: number) => {
      const confirmed = await confirmGeneration({
        jobs: f.jobs, queue: f.queue, quoteId: await quote(f, userId, 10, aRequest({ prompt })), userId, priority, deadlineAt: new Date(Date.now() + 600_000),
      });
      if (!confirmed.ok) throw new Error('confirm failed');
      return confirmed.value.jobId;
    };
    const standard = [await enqueue('standard 1', queuePriorityRank.standard), await enqueue('standard 2', queuePriorityRank.standard)];
    const priority = await enqueue('priority', queuePriorityRank.priority);
    const fastest = await enqueue('fastest', queuePriorityRank.fastest);
    expect(await f.queue.position(fastest)).toBe(1);
    expect(await f.queue.position(priority)).toBe(2);
    expect(await f.queue.position(standard[1]!)).toBe(4);

    const provider = new ScriptedProvider();
    f.startWorker(provider, { concurrency: 1 });
    await Promise.all([fastest, priority, ...standard].map((id) => finished(f, id)));
    expect(provider.calls).toEqual([fastest, priority, ...standard]);
    expect(await f.queue.position(fastest)).toBeNull();
  });

});

describe('rate limit', () => {
  const f = usePipeline(3);

  it('keeps every worker together under the global rate limit toward the provider', async () => {
    const userId = newMember();
    await fund(f, userId, 1000);
    const provider = new ScriptedProvider();
    // Two workers sharing a limit of 2 jobs per second: 6 jobs need at least two more seconds.
    f.startWorker(provider, { concurrency: 4, limiter: { max: 2, duration: 1000 } });
    f.startWorker(provider, { concurrency: 4, limiter: { max: 2, duration: 1000 } });
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const confirmed = await confirmGeneration({
        jobs: f.jobs, queue: f.queue, quoteId: await quote(f, userId, 10, aRequest({ prompt: `limited ${i}` })), userId, priority: 10, deadlineAt: new Date(Date.now() + 600_000),
      });
      if (!confirmed.ok) throw new Error('confirm failed');
      ids.push(confirmed.value.jobId);
    }
    await Promise.all(ids.map((id) => finished(f, id)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });
});
