import type { JobStore, JobSummary } from './ports/job-store.js';

export type { JobSummary };

/** The member's latest jobs in the guild whose prompt or id contains `search` (the /show job picker), newest first. */
export const findRecentJobs = (
  deps: { readonly jobs: JobStore },
  input: { readonly userId: string; readonly guildId: string; readonly search: string },
): Promise<JobSummary[]> => deps.jobs.recentJobs(input.userId, input.guildId, input.search, 25);
