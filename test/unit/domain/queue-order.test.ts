import { describe, expect, it } from 'vitest';
import { laneOfPriority, lanePriority, relaxPriority } from '../../../src/domain/lanes/queue-order.js';
import { QUEUE_PRIORITIES } from '../../../src/domain/pricing/card-terms.js';

describe('queue order of the lanes', () => {
  it('runs every Turbo job before every Fast job, whatever the tiers, and every paying job before Relax', () => {
    const turbo = QUEUE_PRIORITIES.map((level) => lanePriority('turbo', level, 0));
    const fast = QUEUE_PRIORITIES.map((level) => lanePriority('fast', level, 0));
    const relax = [0, 1, 500].map((used) => lanePriority('relax', 'instant', used));
    expect(Math.max(...turbo)).toBeLessThan(Math.min(...fast));
    expect(Math.max(...fast)).toBeLessThan(Math.min(...relax));
    // Within a lane, the better tier level runs first.
    expect(lanePriority('fast', 'instant', 0)).toBeLessThan(lanePriority('fast', 'standard', 0));
  });

  it('puts heavier recent Relax users further back, within what BullMQ accepts', () => {
    expect(relaxPriority(0)).toBeLessThan(relaxPriority(1));
    expect(relaxPriority(1)).toBeLessThan(relaxPriority(40));
    expect(relaxPriority(10 ** 9)).toBe(2 ** 21 - 1);
    expect(relaxPriority(-3)).toBe(relaxPriority(0));
  });

  it('tells a Relax job from a paying one by its priority alone (the reconciler re-queues from the row)', () => {
    expect(laneOfPriority(lanePriority('relax', 'standard', 7))).toBe('relax');
    expect(laneOfPriority(lanePriority('turbo', 'standard', 0))).toBe('paid');
    expect(laneOfPriority(lanePriority('fast', 'standard', 0))).toBe('paid');
  });
});
