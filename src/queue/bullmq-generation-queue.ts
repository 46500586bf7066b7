import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { laneOfPriority } from '../domain/lanes/queue-order.js';
import type { GenerationQueue } from '../use-cases/ports/generation-queue.js';

export const generationQueueName = 'generations';
/**
 * Relax jobs wait in a queue of their own, served by their own worker slots (a share of each
 * worker's, WORKER_CONCURRENCY × RELAX_SHARE): however many are queued, they never take a slot a
 * paying job could use. Its order is the members' recent Relax use (src/domain/lanes/queue-order.ts).
 */
export const relaxQueueName = 'generations-relax';
export const generationJobName = 'generate';

/**
 * The only payload a queued job carries: the id of its row, where everything else lives — and,
 * while it waits because its member is at their running-job limit, that it does (so the end of
 * the member's running job can wake it early, where a retry's back-off must not be cut short).
 */
export const generationPayloadSchema = z.strictObject({ jobId: z.uuid(), waitingForMember: z.literal(true).optional() });
export type GenerationPayload = z.infer<typeof generationPayloadSchema>;

export interface BullGenerationQueueOptions {
  readonly connection: ConnectionOptions;
  /** Redis key prefix; tests use one per file. @defaultValue 'imagine' */
  readonly prefix?: string;
  /** Tries per job, the first included, before it is refunded. @defaultValue 5 */
  readonly attempts?: number;
}

/**
 * How long Redis keeps finished entries: bounded by age and by count, so Redis does not grow
 * with every job ever run. Pruning cannot cause a rerun or a second charge: a job added again
 * under a pruned id runs, finds its row finished in PostgreSQL and does nothing (the database,
 * not this entry, is what deduplicates). Failed entries stay longer, for the dashboard.
 */
export const finishedJobRetention = {
  removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60, count: 10_000 },
} as const;

const queuedStates = new Set(['waiting', 'prioritized', 'delayed', 'active', 'waiting-children']);

export interface BullGenerationQueue extends GenerationQueue {
  /** Fast and Turbo jobs. */
  readonly queue: Queue;
  readonly relaxQueue: Queue;
  /**
   * 1-based place among BullMQ's waiting jobs; 0 when running; null when not in the queue. A
   * probe of Redis's order (the queue-order tests); members are shown PostgreSQL's count.
   */
  position(jobId: string): Promise<number | null>;
  close(): Promise<void>;
}

export function createBullGenerationQueue(options: BullGenerationQueueOptions): BullGenerationQueue {
  const queue = new Queue<GenerationPayload>(generationQueueName, { connection: options.connection, prefix: options.prefix ?? 'imagine' });
  const relaxQueue = new Queue<GenerationPayload>(relaxQueueName, { connection: options.connection, prefix: options.prefix ?? 'imagine' });
  const both = [queue, relaxQueue] as const;
  /** The queue that has (or had) the job: ids are unique across both. */
  const holding = async (jobId: string) => {
    for (const candidate of both) {
      const state = await candidate.getJobState(jobId);
      if (state !== 'unknown') return { queue: candidate, state };
    }
    return null;
  };
  return {
    queue,
    relaxQueue,
    async enqueue(jobId, priority) {
      // The priority says the lane (a Relax job's sorts after every paying one), so the
      // reconciler re-queues a job into the right queue from its row alone.
      const target = laneOfPriority(priority) === 'relax' ? relaxQueue : queue;
      // BullMQ ignores an id it still remembers, finished entries included; the database says
      // this job still needs running (the reconciler asks), so a finished entry is cleared first.
      const state = await target.getJobState(jobId);
      if (state === 'completed' || state === 'failed') await target.remove(jobId);
      await target.add(generationJobName, generationPayloadSchema.parse({ jobId }), {
        jobId,
        priority,
        attempts: options.attempts ?? 5,
        backoff: { type: 'provider' },
        ...finishedJobRetention,
      });
    },
    async position(jobId) {
      const found = await holding(jobId);
      if (found?.state === 'active') return 0;
      if (!found || (found.state !== 'prioritized' && found.state !== 'waiting' && found.state !== 'delayed')) return null;
      const waiting = [...(await found.queue.getPrioritized(0, 999)), ...(await found.queue.getWaiting(0, 999))];
      const index = waiting.findIndex((job) => job.id === jobId);
      return index === -1 ? waiting.length + 1 : index + 1;
    },
    async holds(jobId) {
      const found = await holding(jobId);
      return found !== null && queuedStates.has(found.state);
    },
    async remove(jobId) {
      // An active job is locked by its worker and cannot be removed; the database decides anyway.
      await Promise.all(both.map((candidate) => candidate.remove(jobId).catch(() => undefined)));
    },
    async close() {
      await Promise.all(both.map((candidate) => candidate.close()));
    },
  };
}
