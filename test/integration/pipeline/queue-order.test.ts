import { describe, expect, it } from 'vitest';
import { queuePriorityRank } from '../../../src/domain/lanes/queue-order.js';
import { limitProviderStarts } from '../../../src/queue/provider-start-limit.js';
import { createRedisConnection } from '../../../src/queue/redis-connection.js';
import { confirmGeneration } from '../../../src/use-cases/confirm-generation.js';
import type { ImageProvider } from '../../../src/use-cases/ports/image-provider.js';
import { ConcurrencyProvider, ScriptedProvider } from '../../support/pipeline-doubles.js';
import { redisUrl } from '../../support/redis.js';
import { aRequest, finished, fund, newMember, putOffForMember, quote, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

describe('queue order', () => {
  const f = usePipeline(3);

  it('runs higher tiers first, and tells each member their place in the queue', async () => {
    const userId = newMember();
    await fund(f, userId, 1000);
    const enqueue = async (prompt: string, priority: number) => {
      const confirmed = await confirmGeneration({
        jobs: f.jobs,
        credits: f.credits,
        queue: f.queue,
        quoteId: await quote(f, userId, 10, aRequest({ prompt })),
        userId,
        priority,
        deadlineAt: new Date(Date.now() + 600_000),
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

/** One file's queue with workers whose provider is behind the shared start limit, as compose-worker.ts wires it. */
function useLimitedPipeline() {
  const f = usePipeline(3);
  const limited = (provider: ImageProvider, max: number, windowMs: number) =>
    limitProviderStarts(provider, { redis: createRedisConnection(redisUrl), prefix: f.prefix, max, windowMs });
  async function queueJobs(userId: string, prompts: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const prompt of prompts) {
      const confirmed = await confirmGeneration({
        jobs: f.jobs,
        credits: f.credits,
        queue: f.queue,
        quoteId: await quote(f, userId, 10, aRequest({ prompt })),
        userId,
        priority: 10,
        deadlineAt: new Date(Date.now() + 600_000),
      });
      if (!confirmed.ok) throw new Error('confirm failed');
      ids.push(confirmed.value.jobId);
    }
    return ids;
  }
  return { f, limited, queueJobs };
}

describe('rate limit', () => {
  const { f, limited, queueJobs } = useLimitedPipeline();

  it('keeps every worker together under the global rate limit toward the provider', async () => {
    const userId = newMember();
    await fund(f, userId, 1000);
    const provider = new ScriptedProvider();
    // Two workers sharing a limit of 2 starts per second: 6 jobs need at least two more seconds.
    f.startWorker(limited(provider, 2, 1000), { concurrency: 4 });
    f.startWorker(limited(provider, 2, 1000), { concurrency: 4 });
    const started = Date.now();
    const ids = await queueJobs(
      userId,
      Array.from({ length: 6 }, (_, i) => `limited ${i}`),
    );
    await Promise.all(ids.map((id) => finished(f, id)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });
});

describe('rate limit and the member limit', () => {
  const { f, limited, queueJobs } = useLimitedPipeline();

  it('is not spent by jobs put off for their member’s limit: another member’s job starts at once', async () => {
    const [busy, other] = [newMember(), newMember()];
    await fund(f, busy, 1000);
    await fund(f, other, 100);
    // 3 starts per 3 s for everyone; the busy member may run one job at a time, each taking 1 s.
    const provider = new ConcurrencyProvider(1000);
    const startedAt = new Map<string, number>();
    const timed: ImageProvider = { name: 'local', generate: (request) => (startedAt.set(request.jobId, Date.now()), provider.generate(request)) };
    f.startWorker(limited(timed, 3, 3000), { concurrency: 6, deferMs: 20, maxRunningJobs: () => 1 });
    const busyJobs = await queueJobs(
      busy,
      Array.from({ length: 10 }, (_, i) => `${busy} job ${i}`),
    );
    // Every busy job but the running one has been picked up and put off at least once.
    const running = await waitFor(async () => busyJobs.find((id) => startedAt.has(id)), 5000, 'the first busy job to start');
    await putOffForMember(
      f,
      busyJobs.filter((id) => id !== running),
    );
    const [otherJob] = await queueJobs(other, [`${other} job`]);
    const queuedAt = Date.now();
    expect((await finished(f, otherJob!, 30_000)).status).toBe('succeeded');
    // Only the busy member's one running job has spent a start: the other member's starts at once
    // (with BullMQ's limiter, the put-off pickups spent the window and it waited for the next).
    expect(startedAt.get(otherJob!)! - queuedAt).toBeLessThan(1500);
    expect(provider.peak.get(busy)).toBe(1);
    for (const id of busyJobs) await f.queue.remove(id);
  });
});
