// Delivers finished images to the job's channel over Discord's REST API. Results go to the
// channel, not the interaction webhook, because interaction tokens expire after 15 minutes and
// a generation may take longer. (The interactive job message and its buttons come with the bot.)
import { ButtonStyle, ComponentType, REST, Routes } from 'discord.js';
import type { GeneratedImage } from '../use-cases/ports/image-provider.js';
import type { ImageDelivery } from '../use-cases/ports/image-delivery.js';
import type { JobRecord } from '../use-cases/ports/job-store.js';
import type { WorkLog } from '../use-cases/ports/work-log.js';

export interface ChannelDeliveryOptions {
  readonly token: string;
  /** REST base URL (`DISCORD_API_URL`), e.g. a local fake in tests. @defaultValue Discord's */
  readonly apiUrl?: string;
  /** Discord's per-message upload limit for bots without boosts. @defaultValue 10 MiB */
  readonly maxUploadBytes?: number;
  /** Told about uploads Discord refused (their lines name the job). */
  readonly log?: WorkLog;
}

const maxFilesPerMessage = 10;
const extension = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;

/** Splits images into messages of at most 10 files and `maxBytes`; an image too big alone is left out. */
export function packMessages(images: readonly GeneratedImage[], maxBytes: number): GeneratedImage[][] {
  const messages: GeneratedImage[][] = [];
  let current: GeneratedImage[] = [];
  let size = 0;
  for (const image of images) {
    if (image.data.length > maxBytes) continue;
    if (current.length === maxFilesPerMessage || size + image.data.length > maxBytes) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(image);
    size += image.data.length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

const promptLine = (job: JobRecord) => {
  const prompt = job.request.prompt.length > 180 ? `${job.request.prompt.slice(0, 177)}…` : job.request.prompt;
  return `**${prompt.replace(/[*_`~|>]/g, (c) => `\\${c}`)}** — ${job.request.model}, ${job.request.width}×${job.request.height}`;
};

/** Buttons under a result carry only an action and the job id; state lives in PostgreSQL. */
export const jobButtonId = { reroll: (jobId: string) => `job:reroll:${jobId}`, keep: (jobId: string) => `job:keep:${jobId}` };

const resultButtons = (job: JobRecord) => [{
  type: ComponentType.ActionRow,
  components: [
    { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Re-roll', emoji: { name: '🔁' }, custom_id: jobButtonId.reroll(job.id) },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Keep', emoji: { name: '⭐' }, custom_id: jobButtonId.keep(job.id) },
  ],
}];

export function createChannelDelivery(options: ChannelDeliveryOptions): ImageDelivery {
  const rest = new REST({ version: '10', ...(options.apiUrl ? { api: options.apiUrl } : {}) }).setToken(options.token);
  const maxBytes = options.maxUploadBytes ?? 10 * 1024 * 1024;
  // Mention only the member the message is for, never @everyone or roles from a prompt.
  const mentionOwner = (job: JobRecord) => ({ parse: [], users: [job.userId] });

  return {
    async deliver(job, images) {
      let delivered = 0;
      for (const [index, batch] of packMessages(images, maxBytes).entries()) {
        try {
          await rest.post(Routes.channelMessages(job.channelId), {
            body: {
              content: index === 0 ? `<@${job.userId}> ${promptLine(job)}` : undefined,
              allowed_mentions: mentionOwner(job),
              ...(index === 0 ? { components: resultButtons(job) } : {}),
            },
            files: batch.map((image) => ({ name: `image-${image.index + 1}.${extension[image.contentType]}`, data: image.data, contentType: image.contentType })),
          });
          delivered += batch.length;
        } catch (error) {
          options.log?.warn({ jobId: job.id, channelId: job.channelId, images: batch.length, err: error instanceof Error ? error.message : String(error) }, 'Discord refused an upload; those images are not charged');
          // A refused upload (missing permission, deleted channel, too large) is not delivered,
          // so it is not charged; the other messages still go.
        }
      }
      return { delivered };
    },

    async reportFailure(job, memberMessage, refunded) {
      await rest.post(Routes.channelMessages(job.channelId), {
        body: {
          content: `<@${job.userId}> ${memberMessage}${refunded > 0 ? ` (${refunded} credits back in your balance)` : ''}`,
          allowed_mentions: mentionOwner(job),
        },
      });
    },

    async reportProgress() {
      // Progress is shown on the interactive job message, which the bot owns.
    },
  };
}
