// Posts the public job message when a job is confirmed ("queued, position N") and stores its id,
// so the worker edits this same message through progress to the images.
import type { JobStore } from '../use-cases/ports/job-store.js';
import type { JobMessageSender } from './job-message-sender.js';
import { queuedText } from './render/job-message.js';

/** Posts the job's message showing `ahead` jobs ahead, unless it has one already. */
export async function postJobMessage(sender: JobMessageSender, jobs: JobStore, jobId: string, ahead: number | null): Promise<void> {
  const job = await jobs.get(jobId);
  if (job === null || job.messageId !== null) return;
  const place = ahead ?? await jobs.queuedAhead(jobId);
  await sender.write(job, { body: { content: queuedText(job, place), allowed_mentions: { parse: [], users: [job.userId] } } });
  // The place it shows, so the queue-place refresher edits it only once the queue has moved.
  await jobs.recordQueuePlace(jobId, place);
}
