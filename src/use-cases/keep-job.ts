import type { JobStore } from './ports/job-store.js';

export type KeepOutcome = Awaited<ReturnType<JobStore['markKept']>>;

/** Keep ⭐ on a delivered result: only its owner may keep it; kept images count in /usage's cost per kept image. */
export const keepJob = (deps: { readonly jobs: JobStore }, input: { readonly jobId: string; readonly userId: string }): Promise<KeepOutcome> =>
  deps.jobs.markKept(input.jobId, input.userId);
