// Which queued places one refresher round edits: the most out of date first, one edit per
// interaction token, a couple per channel, and no more than the round's total.
import { describe, expect, it } from 'vitest';
import { pickQueuePlaceEdits } from '../../../src/use-cases/refresh-queue-places.js';
import type { JobRecord, StaleQueuePlace } from '../../../src/use-cases/ports/job-store.js';

const place = (id: string, shown: number | null, ahead: number, budget: string) => ({ job: { id, budget } as unknown as JobRecord, shown, ahead });
const budgetOf = (stale: StaleQueuePlace) => (stale.job as unknown as { budget: string }).budget;
const ids = (picked: StaleQueuePlace[]) => picked.map((stale) => stale.job.id);

describe('pickQueuePlaceEdits', () => {
  it('edits the places that changed most first, a never-recorded place before all', () => {
    const stale = [place('a', 3, 2, 'token:a'), place('b', 40, 3, 'token:b'), place('c', null, 5, 'token:c'), place('d', 10, 4, 'token:d')];
    expect(ids(pickQueuePlaceEdits(stale, budgetOf, 3, 2))).toEqual(['c', 'b', 'd']);
  });

  it('spends at most one edit per token and maxPerChannel per channel in a round', () => {
    const stale = [
      place('t1', 9, 1, 'token:x'),
      place('t2', 8, 1, 'token:x'),
      place('c1', 20, 2, 'channel:1'),
      place('c2', 19, 2, 'channel:1'),
      place('c3', 18, 2, 'channel:1'),
      place('o1', 5, 2, 'channel:2'),
    ];
    expect(ids(pickQueuePlaceEdits(stale, budgetOf, 10, 2)).sort()).toEqual(['c1', 'c2', 'o1', 't1']);
  });
});
