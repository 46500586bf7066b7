// Keeps a job's public message current from the worker: progress, then the images (edited into the
// same message), or the failure and refund. Writes go through the job's interaction webhook while
// its token lives and through the channel after (src/discord/job-message-sender.ts). Each job's
// writes run one at a time and only its latest state waits (src/discord/write-lanes.ts): a message
// Discord is rate-limiting gets the newest progress, never a backlog, and never a late progress
// edit over the images.
import { DiscordAPIError, REST, Routes, type APIMessage, type RawFile } from 'discord.js';
import { LRUCache } from 'lru-cache';
import type { GeneratedImage, ImageDelivery, JobMessageStore, JobRecord, WorkLog } from '../use-cases/adapter-contracts.js';
import { cropGridCell, gridCells, makeGrid } from './images/grid.js';
import { fitUnder, type UploadImage } from './images/fit-upload.js';
import { createJobMessageSender, type JobMessageWrite } from './job-message-sender.js';
import { failureText, maxImagesWithButtons, progressText, resultButtons, resultText } from './render/job-message.js';
import { createWriteLanes } from './write-lanes.js';
import { errorMessage } from '../shared/error-message.js';

export interface DiscordDeliveryOptions {
  readonly token: string;
  /** REST base URL (`DISCORD_API_URL`), e.g. a local fake in tests. @defaultValue Discord's */
  readonly apiUrl?: string;
  /** Discord's attachment size limit (`DISCORD_MAX_UPLOAD_BYTES`). @defaultValue 10 MiB */
  readonly maxUploadBytes?: number;
  /** Where the job message's id is kept (the job store). */
  readonly jobs: JobMessageStore;
  /** Progress edits at most this often per job. @defaultValue 1.5 s */
  readonly progressEveryMs?: number;
  /** Told about uploads Discord refused (their lines name the job). */
  readonly log?: WorkLog;
}

const extension = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;
const fileOf = (name: string, image: UploadImage): RawFile => ({
  name: `${name}.${extension[image.contentType]}`,
  data: image.data,
  contentType: image.contentType,
});

const isGone = (error: unknown) => error instanceof DiscordAPIError && error.status === 404;

export function createDiscordDelivery(options: DiscordDeliveryOptions): ImageDelivery {
  const rest = new REST({ version: '10', ...(options.apiUrl ? { api: options.apiUrl } : {}) }).setToken(options.token);
  const sender = createJobMessageSender({ rest, jobs: options.jobs, ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}) });
  const maxBytes = options.maxUploadBytes ?? 10 * 1024 * 1024;
  const progressEveryMs = options.progressEveryMs ?? 1500;
  // The first write of a job in this process waits for the bot to finish updating the queued
  // message's place, if it is (src/use-cases/refresh-queue-places.ts), so that edit cannot land after ours.
  const lanes = createWriteLanes(untilBotEditDone);
  /** Jobs whose message is final: a progress report arriving after the result changes nothing. */
  const finished = new LRUCache<string, true>({ max: 10_000, ttl: 60 * 60_000 });
  const lastProgressAt = new Map<string, number>();
  // Mention only the member the message is for, never @everyone or roles from a prompt.
  const mentionOwner = (job: JobRecord) => ({ parse: [], users: [job.userId] });

  async function untilBotEditDone(jobId: string): Promise<void> {
    for (;;) {
      const until = await options.jobs.queuePlaceEditingUntil(jobId).catch(() => null);
      if (until === null || until.getTime() <= Date.now()) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, until.getTime() - Date.now())));
    }
  }
  const refused = (job: JobRecord, images: number, error: unknown) =>
    options.log?.warn({ jobId: job.id, channelId: job.channelId, images, err: errorMessage(error) }, 'Discord refused an upload; those images are not charged');

  /** The job message's body: only the owner is mentioned; `files` replace the attachments. */
  const jobMessage = (job: JobRecord, body: Record<string, unknown>, files?: RawFile[]): JobMessageWrite => ({
    body: { ...body, allowed_mentions: mentionOwner(job), ...(files ? { attachments: files.map((file, id) => ({ id, filename: file.name })) } : {}) },
    ...(files ? { files } : {}),
  });
  /** The job's final write: it always goes (never dropped), and the job is forgotten after it. */
  async function finalWrite<T>(job: JobRecord, write: () => Promise<T>): Promise<T> {
    finished.set(job.id, true);
    try {
      return (await lanes.submit(job.id, write, { droppable: false }))!;
    } finally {
      lanes.forget(job.id);
      sender.forget(job.id);
      lastProgressAt.delete(job.id);
    }
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
    async deliver(job, images, balance) {
      // Encoded before the write is queued: progress may still go out meanwhile.
      const onMessage = images.slice(0, maxImagesWithButtons);
      const files = await resultFiles(job, onMessage, images.length === gridCells);
      return finalWrite(job, async () => {
        let delivered = 0;
        try {
          await sender.write(
            job,
            jobMessage(job, { content: resultText(job, images.length, balance), components: resultButtons(job.id, onMessage.length) }, files),
          );
          delivered += onMessage.length;
        } catch (error) {
          // A refused upload (missing permission, deleted channel) is not delivered, so not charged.
          refused(job, onMessage.length, error);
        }
        // Batches over ten: the rest follow in plain messages of up to ten images.
        for (let start = maxImagesWithButtons; start < images.length; start += maxImagesWithButtons) {
          const extra = images.slice(start, start + maxImagesWithButtons);
          try {
            await sender.postExtra(job, { body: { allowed_mentions: { parse: [] } }, files: await resultFiles(job, extra, false) });
            delivered += extra.length;
          } catch (error) {
            refused(job, extra.length, error); // as above
          }
        }
        return { delivered };
      });
    },

    async reportFailure(job, memberMessage, refunded) {
      await finalWrite(job, () => sender.write(job, jobMessage(job, { content: failureText(job, memberMessage, refunded), components: [] }, [])));
    },

    async reportProgress(job, progress) {
      const now = Date.now();
      if (finished.has(job.id) || now - (lastProgressAt.get(job.id) ?? 0) < progressEveryMs) return;
      lastProgressAt.set(job.id, now);
      await lanes.submit(
        job.id,
        async () => {
          if (!finished.has(job.id)) await sender.write(job, jobMessage(job, { content: progressText(job, progress.percent), components: [] }));
        },
        { droppable: true },
      );
    },

    async sourceImageUrl(job) {
      const source = job.request.sourceImage;
      if (!source) return job.request.sourceImageUrl ?? null;
      let message: APIMessage;
      try {
        // Attachment URLs are signed and expire: ask Discord for the message again for fresh ones.
        message = (await rest.get(Routes.channelMessage(source.channelId, source.messageId))) as APIMessage;
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
      const posted = await lanes.submit(job.id, () => sender.write(job, jobMessage(job, { content: progressText(job, undefined), components: [] }, [file])), {
        droppable: false,
      });
      return posted?.attachments[0]?.url ?? null;
    },
  };
}
