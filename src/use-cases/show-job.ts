import { err, ok, type Result } from '../domain/result.js';
import type { JobRecord, JobStore } from './ports/job-store.js';

export type { JobRecord };

export interface ShowJobInput {
  readonly jobId: string;
  readonly userId: string;
  readonly guildId: string;
  /** The asker manages this guild: they may look into a member's job. */
  readonly askerIsAdmin: boolean;
}

/** Why a job has nothing to show. `not_found` also stands for "not yours", so ids of others' jobs cannot be probed. */
export type ShowJobProblem = { readonly code: 'not_found' | 'still_running' | 'failed' | 'never_posted' };

/**
 * /show job: a past job with delivered images on a message, for its owner or a server admin of
 * its guild. The images themselves are fetched again from that message by the caller.
 */
export async function showJob(
  deps: { readonly jobs: JobStore },
  input: ShowJobInput,
): Promise<Result<JobRecord & { readonly messageId: string }, ShowJobProblem>> {
  const job = await deps.jobs.get(input.jobId);
  if (job === null || job.guildId !== input.guildId || (job.userId !== input.userId && !input.askerIsAdmin)) return err({ code: 'not_found' });
  if (job.status === 'queued' || job.status === 'running') return err({ code: 'still_running' });
  if (job.status === 'failed') return err({ code: 'failed' });
  if (job.messageId === null) return err({ code: 'never_posted' });
  return ok({ ...job, messageId: job.messageId });
}
