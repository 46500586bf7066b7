// Where a job waits: BullMQ runs lower priority numbers first. Pure arithmetic, one place, so the
// queue order of every lane can be read (and tested) together.
import type { Lane, QueuePriority } from '../pricing/card-terms.js';

/** A tier's queue level within a lane; lower runs first. */
export const queuePriorityRank: Readonly<Record<QueuePriority, number>> = { instant: 1, fastest: 2, priority: 5, standard: 10 };

/** Every Turbo job runs before every Fast job: the lane first, then the tier's level within it. */
const laneBase: Readonly<Record<Exclude<Lane, 'relax'>, number>> = { turbo: 0, fast: 100 };

/**
 * Relax jobs sort after every paying job (they also have their own queue and worker slots; this
 * keeps "jobs ahead of you" honest in PostgreSQL, which counts by this number), then by the
 * member's recent Relax use: the heaviest users wait longest.
 */
export const relaxBase = 1000;
/** BullMQ's largest priority is 2^21 − 1. */
const maxPriority = 2 ** 21 - 1;

export function paidLanePriority(lane: Exclude<Lane, 'relax'>, tierLevel: QueuePriority): number {
  return laneBase[lane] + queuePriorityRank[tierLevel];
}

/** @param recentRelaxImages images the member's finished Relax jobs delivered lately (failures are free). */
export function relaxPriority(recentRelaxImages: number): number {
  return Math.min(maxPriority, relaxBase + Math.max(0, Math.floor(recentRelaxImages)));
}

/** Relax or a paying lane, from a job's priority alone (the reconciler re-queues from the row). */
export const laneOfPriority = (priority: number): 'relax' | 'paid' => (priority >= relaxBase ? 'relax' : 'paid');

export function lanePriority(lane: Lane, tierLevel: QueuePriority, recentRelaxImages: number): number {
  return lane === 'relax' ? relaxPriority(recentRelaxImages) : paidLanePriority(lane, tierLevel);
}

/** How long back Relax use counts against a member's place in the Relax queue. */
export const relaxUseWindowMs = 24 * 60 * 60_000;
