// Posts the public job message when a job is confirmed ("queued, position N") and stores its id,
// so the worker edits this same message through progress to the images.
import { Routes, type APIMessage, type REST } from 'discord.js';
import type { JobStore } from '../use-cases/ports/job-store.js';
import { queuedText } from './render/job-message.js';

/** Resolves with the number of jobs ahead as posted, or null when the job already had its message. */
export async function postJobMessage(rest: REST, jobs: JobStore, jobId: string): Promise<number | null> {
  const job = await jobs.get(jobId);
  if (job === null || job.messageId !== null) return null;
  const ahead = await jobs.queuedAhead(jobId);
  const message = await rest.post(Routes.channelMessages(job.channelId), {
    body: { content: queuedText(job, ahead), allowed_mentions: { parse: [], users: [job.userId] } },
  }) as APIMessage;
  await jobs.setMessageId(jobId, message.id);
  // The place it shows, so the queue-place refresher edits it only once the queue has moved.
  await jobs.recordQueuePlace(jobId, ahead);
  return ahead;
}
