// Keeps a job's public message current over Discord's REST API, from the worker: progress, then
// the images (edited into the same message), or the failure and refund. Results go through the
// channel, not the interaction webhook, because interaction tokens expire after 15 minutes and a
// job may take longer. The message id is in PostgreSQL, so a retried job (on any worker) edits
// the same message; if someone deleted it, a new one is posted and its id stored.
import { DiscordAPIError, REST, Routes, type APIMessage, type RawFile } from 'discord.js';
import type { GeneratedImage } from '../use-cases/ports/image-provider.js';
import type { ImageDelivery } from '../use-cases/ports/image-delivery.js';
import type { JobMessageStore, JobRecord } from '../use-cases/ports/job-store.js';
import { cropGridCell, gridCells, makeGrid } from './images/grid.js';
import { fitUnder, type UploadImage } from './images/fit-upload.js';
import { failureText, maxImagesWithButtons, progressText, resultButtons, resultText } from './render/job-message.js';
import type { WorkLog } from '../use-cases/ports/work-log.js';

export interface ChannelDeliveryOptions {
  readonly token: string;
  /** REST base URL (`DISCORD_API_URL`), e.g. a local fake in tests. @defaultValue Discord's */
  readonly apiUrl?: string;
  /** Discord's attachment size limit (`DISCORD_MAX_UPLOAD_BYTES`). @defaultValue 10 MiB */
  readonly maxUploadBytes?: number;
  /** Where the job message's id is kept (the job store). */
  readonly jobs: JobMessageStore;
  /** Progress edits at most this often per job (Discord rate-limits message edits). @defaultValue 1.5 s */
  readonly progressEveryMs?: number;
  /** Told about uploads Discord refused (their lines name the job). */
  readonly log?: WorkLog;
}

const extension = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;
const fileOf = (name: string, image: UploadImage): RawFile => ({ name: `${name}.${extension[image.contentType]}`, data: image.data, contentType: image.contentType });

const isGone = (error: unknown) => error instanceof DiscordAPIError && error.status === 404;

interface JobMessageState {
  lastProgressAt: number;
  /** Edits of one job's message run one after another, so a late progress edit never lands over the result. */
  chain: Promise<unknown>;
  finished: boolean;
}

export function createChannelDelivery(options: ChannelDeliveryOptions): ImageDelivery {
  const rest = new REST({ version: '10', ...(options.apiUrl ? { api: options.apiUrl } : {}) }).setToken(options.token);
  const maxBytes = options.maxUploadBytes ?? 10 * 1024 * 1024;
  const progressEveryMs = options.progressEveryMs ?? 1500;
  // Mention only the member the message is for, never @everyone or roles from a prompt.
  const mentionOwner = (job: JobRecord) => ({ parse: [], users: [job.userId] });
  const states = new Map<string, JobMessageState>();
  /** The message id as this process last knew it (a repost changes it mid-job). */
  const knownIds = new Map<string, string>();

  const stateOf = (jobId: string): JobMessageState => {
    let state = states.get(jobId);
    // The first edit in this process waits for the bot to finish updating the queued message's
    // place, if it is (src/discord/queue-place-refresher.ts), so that edit cannot land after ours.
    if (!state) states.set(jobId, (state = { lastProgressAt: 0, chain: untilBotEditDone(jobId), finished: false }));
    return state;
  };
  async function untilBotEditDone(jobId: string): Promise<void> {
    for (;;) {
      const until = await options.jobs.queuePlaceEditingUntil(jobId).catch(() => null);
      if (until === null || until.getTime() <= Date.now()) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, until.getTime() - Date.now())));
    }
  }
  const enqueueEdit = <T>(jobId: string, edit: () => Promise<T>): Promise<T> => {
    const state = stateOf(jobId);
    const next = state.chain.then(edit, edit);
    state.chain = next.catch(() => undefined);
    return next;
  };
  const refused = (job: JobRecord, images: number, error: unknown) =>
    options.log?.warn({ jobId: job.id, channelId: job.channelId, images, err: error instanceof Error ? error.message : String(error) }, 'Discord refused an upload; those images are not charged');
  const forget = (jobId: string) => {
    states.delete(jobId);
    knownIds.delete(jobId);
  };

  /** Edits the job message (replacing its attachments when `files` is given) or posts it if it is missing. */
  async function writeJobMessage(job: JobRecord, body: Record<string, unknown>, files?: RawFile[]): Promise<APIMessage> {
    const fullBody = {
      ...body,
      allowed_mentions: mentionOwner(job),
      ...(files ? { attachments: files.map((file, id) => ({ id, filename: file.name })) } : {}),
    };
    const existing = knownIds.get(job.id) ?? job.messageId;
    if (existing) {
      try {
        return await rest.patch(Routes.channelMessage(job.channelId, existing), { body: fullBody, ...(files ? { files } : {}) }) as APIMessage;
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    }
    const posted = await rest.post(Routes.channelMessages(job.channelId), { body: fullBody, ...(files ? { files } : {}) }) as APIMessage;
    const stored = await options.jobs.setMessageId(job.id, posted.id, existing ?? null);
    knownIds.set(job.id, stored ?? posted.id);
    return posted;
  }

  /** A batch of exactly four becomes one grid; anything else, one file per image. */
  async function resultFiles(job: JobRecord, images: readonly GeneratedImage[], allowGrid: boolean): Promise<RawFile[]> {
    // Discord blurs attachments named SPOILER_… until clicked (the guild's spoiler setting).
    const prefix = job.request.spoiler ? 'SPOILER_' : '';
    if (allowGrid && images.length === gridCells) {
      const grid = await makeGrid(images.map((image) => image.data));
      return [fileOf(`${prefix}grid`, await fitUnder({ data: grid, contentType: 'image/png' }, maxBytes))];
    }
    // Each file gets an equal share of the limit, so the whole message fits too.
    const share = Math.floor(maxBytes / Math.max(1, images.length));
    return Promise.all(images.map(async (image) => fileOf(`${prefix}image-${image.index + 1}`, await fitUnder(image, share))));
  }

  return {
    async deliver(job, images) {
      stateOf(job.id).finished = true;
      return enqueueEdit(job.id, async () => {
        try {
          const onMessage = images.slice(0, maxImagesWithButtons);
          let delivered = 0;
          try {
            await writeJobMessage(job, { content: resultText(job, images.length), components: resultButtons(job.id, onMessage.length) }, await resultFiles(job, onMessage, images.length === gridCells));
            delivered += onMessage.length;
          } catch (error) {
            // A refused upload (missing permission, deleted channel) is not delivered, so not charged.
            refused(job, onMessage.length, error);
          }
          // Batches over ten: the rest follow in plain messages of up to ten images.
          for (let start = maxImagesWithButtons; start < images.length; start += maxImagesWithButtons) {
            const extra = images.slice(start, start + maxImagesWithButtons);
            try {
              await rest.post(Routes.channelMessages(job.channelId), { body: { allowed_mentions: { parse: [] } }, files: await resultFiles(job, extra, false) });
              delivered += extra.length;
            } catch (error) {
              refused(job, extra.length, error); // as above
            }
          }
          return { delivered };
        } finally {
          forget(job.id);
        }
      });
    },

    async reportFailure(job, memberMessage, refunded) {
      stateOf(job.id).finished = true;
      await enqueueEdit(job.id, () => writeJobMessage(job, { content: failureText(job, memberMessage, refunded), components: [] }, []))
        .finally(() => forget(job.id));
    },

    async reportProgress(job, progress) {
      const state = stateOf(job.id);
      const now = Date.now();
      if (state.finished || now - state.lastProgressAt < progressEveryMs) return;
      state.lastProgressAt = now;
      await enqueueEdit(job.id, async () => {
        if (state.finished) return;
        await writeJobMessage(job, { content: progressText(job, progress.percent), components: [] });
      });
    },

    async sourceImageUrl(job) {
      const source = job.request.sourceImage;
      if (!source) return job.request.sourceImageUrl ?? null;
      let message: APIMessage;
      try {
        // Attachment URLs are signed and expire: ask Discord for the message again for fresh ones.
        message = await rest.get(Routes.channelMessage(source.channelId, source.messageId)) as APIMessage;
      } catch (error) {
        if (isGone(error)) return null;
        throw error;
      }
      const attachment = message.attachments[source.attachmentIndex];
      if (!attachment) return null;
      if (source.gridCell === undefined) return attachment.url;
      // A cell of a grid: cut it out and put it on this job's own message, whose CDN URL the
      // provider can then read ("the image being upscaled", shown while it works).
      const response = await fetch(attachment.url);
      if (!response.ok) throw new Error(`downloading the grid failed: HTTP ${response.status}`);
      const cell = await cropGridCell(Buffer.from(await response.arrayBuffer()), source.gridCell);
      const file = fileOf('source', await fitUnder({ data: cell, contentType: 'image/png' }, maxBytes));
      const posted = await enqueueEdit(job.id, () => writeJobMessage(job, { content: progressText(job, undefined), components: [] }, [file]));
      return posted.attachments[0]?.url ?? null;
    },
  };
}
