// Speed lanes through the real queue: Turbo before Fast, Relax behind every paying job and in
// worker slots of its own, and the Relax queue ordered by each member's recent Relax use.
import { describe, expect, it } from 'vitest';
import type { Lane } from '../../../src/domain/pricing/card-terms.js';
import { lanePriority, relaxUseWindowMs } from '../../../src/domain/lanes/queue-order.js';
import { relaxQueueName } from '../../../src/queue/bullmq-generation-queue.js';
import { confirmGeneration } from '../../../src/use-cases/confirm-generation.js';
import type { GenerationRequest } from '../../../src/use-cases/ports/image-provider.js';
import { ConcurrencyProvider } from '../../support/pipeline-doubles.js';
import { aRequest, finished, fund, newMember, quote, usePipeline, type PipelineFixture } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

/** Confirms a job in `lane` at the place confirm-quote.ts gives it (Relax: by the member's recent use). */
async function queueIn(f: PipelineFixture, userId: string, lane: Lane, prompt: string): Promise<string> {
  const recent = lane === 'relax' ? await f.jobs.recentRelaxImages(userId, new Date(Date.now() - relaxUseWindowMs)) : 0;
  const confirmed = await confirmGeneration({
    jobs: f.jobs,
    credits: f.credits,
    queue: f.queue,
    quoteId: await quote(f, userId, 2, aRequest({ prompt, lane })),
    userId,
    priority: lanePriority(lane, 'standard', recent),
    deadlineAt: new Date(Date.now() + 600_000),
  });
  if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
  return confirmed.value.jobId;
}

/** Records the order generations start in, each taking `delayMs`. */
class StartOrder extends ConcurrencyProvider {
  readonly started: string[] = [];
  override async generate(request: GenerationRequest) {
    this.started.push(request.prompt);
    return super.generate(request);
  }
}

describe('Turbo', () => {
  const f = usePipeline(3);

  it('runs every Turbo job before the Fast jobs queued ahead of it', async () => {
    const userId = newMember();
    await fund(f, userId, 1000);
    const fast = [await queueIn(f, userId, 'fast', 'fast 1'), await queueIn(f, userId, 'fast', 'fast 2')];
    const turbo = await queueIn(f, userId, 'turbo', 'turbo 1');
    expect(await f.queue.position(turbo)).toBe(1);
    const provider = new StartOrder(10);
    f.startWorker(provider, { concurrency: 1 });
    await Promise.all([turbo, ...fast].map((id) => finished(f, id)));
    expect(provider.started).toEqual(['turbo 1', 'fast 1', 'fast 2']);
  });
});

describe('Relax slots', () => {
  const f = usePipeline(3);

  it('Relax waits behind Fast, never in a paying slot: a Fast job queued after a Relax flood starts at once', async () => {
    // Eight members with a Relax job each (one Relax job per member at a time).
    const flooders = Array.from({ length: 8 }, () => newMember());
    const payer = newMember();
    for (const member of [...flooders, payer]) await fund(f, member, 1000);
    const provider = new StartOrder(150, (request) => request.prompt.split(' ')[0]!);
    // One paying slot and one Relax slot, as a worker with WORKER_CONCURRENCY=1 has.
    f.startWorker(provider, { concurrency: 1 });
    f.startWorker(provider, { concurrency: 1, queueName: relaxQueueName });
    const relax: string[] = [];
    for (const [i, member] of flooders.entries()) relax.push(await queueIn(f, member, 'relax', `relax ${i}`));
    const queuedAt = Date.now();
    const fastJob = await queueIn(f, payer, 'fast', 'fast now');
    await waitFor(async () => provider.started.includes('fast now') || undefined, 5000, 'the Fast job to start');
    // It waited for no Relax job (each takes 150 ms); Relax never ran two at once in its one slot.
    expect(Date.now() - queuedAt).toBeLessThan(400);
    await finished(f, fastJob);
    await Promise.all(relax.map((id) => finished(f, id, 30_000)));
    expect(provider.peak.get('relax')).toBe(1);
  });
});

describe('Relax order', () => {
  const f = usePipeline(3);

  it('orders the Relax queue by recent Relax use: a heavy user waits behind a light one', async () => {
    const [heavy, light] = [newMember(), newMember()];
    await fund(f, heavy, 1000);
    await fund(f, light, 1000);
    const provider = new StartOrder(20);
    const relaxWorker = f.startWorker(provider, { concurrency: 1, queueName: relaxQueueName });
    // The heavy user has three finished Relax images today; the light user none.
    for (let i = 0; i < 3; i++) await finished(f, await queueIn(f, heavy, 'relax', `heavy warm-up ${i}`));
    expect(await f.jobs.recentRelaxImages(heavy, new Date(Date.now() - relaxUseWindowMs))).toBe(3);
    expect(await f.jobs.recentRelaxImages(light, new Date(Date.now() - relaxUseWindowMs))).toBe(0);
    await relaxWorker.pause();
    const heavyJob = await queueIn(f, heavy, 'relax', 'heavy next');
    const lightJob = await queueIn(f, light, 'relax', 'light next');
    expect(await f.queue.position(lightJob)).toBe(1);
    expect(await f.queue.position(heavyJob)).toBe(2);
    // The place members are shown counts only the Relax jobs ahead: a waiting paying job runs in
    // other slots (no paying worker runs in this file, so it stays queued).
    const payer = newMember();
    await fund(f, payer, 100);
    const paying = await queueIn(f, payer, 'fast', 'fast waiting');
    expect([await f.jobs.queuedAhead(paying), await f.jobs.queuedAhead(lightJob), await f.jobs.queuedAhead(heavyJob)]).toEqual([0, 0, 1]);
    await relaxWorker.resume();
    await Promise.all([heavyJob, lightJob].map((id) => finished(f, id)));
    expect(provider.started.slice(-2)).toEqual(['light next', 'heavy next']);
  });
});
