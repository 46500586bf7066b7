// Posts the public job message when a job is confirmed ("queued, position N") and stores its id,
// so the worker edits this same message through progress to the images.
import { Routes, type APIMessage, type REST } from 'discord.js';
import type { JobStore } from '../use-cases/ports/job-store.js';
import { queuedText } from './render/job-message.js';

export async function postJobMessage(rest: REST, jobs: JobStore, jobId: string): Promise<void> {
  const job = await jobs.get(jobId);
  if (job === null || job.messageId !== null) return;
  const ahead = await jobs.queuedAhead(jobId);
  const message = await rest.post(Routes.channelMessages(job.channelId), {
    body: { content: queuedText(job, ahead), allowed_mentions: { parse: [], users: [job.userId] } },
  }) as APIMessage;
  await jobs.setMessageId(jobId, message.id);
}
