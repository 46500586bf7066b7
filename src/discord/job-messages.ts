// The bot's writes of job messages (the JobMessages port of the use cases) through the job message
// sender: the queued message when a job is confirmed, and its place as the queue moves.
import type { JobMessages } from '../use-cases/adapter-contracts.js';
import type { JobMessageSender } from './job-message-sender.js';
import { imageLocation, queuedText } from './render/job-message.js';

export function createJobMessages(sender: JobMessageSender): JobMessages {
  return {
    async postQueued(job, ahead) {
      // Mention only the member the job is for, never @everyone or roles from a prompt.
      await sender.write(job, { body: { content: queuedText(job, ahead), allowed_mentions: { parse: [], users: [job.userId] } } });
    },
    async showQueuePlace(job, ahead, signal) {
      return (await sender.update(job, { body: { content: queuedText(job, ahead), allowed_mentions: { parse: [] } }, signal })) !== null;
    },
    budgetOf: (job) => sender.budgetOf(job),
    imageLocation,
  };
}
