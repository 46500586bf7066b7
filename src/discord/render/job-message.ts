// The public job message, one message per job edited through its life: queued (position) →
// generating (progress) → the images with their buttons, or the failure and the refund.
import { laneLabel } from '../../domain/lanes/lanes.js';
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { jobSettlement } from '../../domain/jobs/job-settlement.js';
import type { JobRecord } from '../../use-cases/adapter-contracts.js';
import { editTitle } from '../../domain/edits/edit-input.js';
import { editId } from './edit-ids.js';

/** Buttons carry only an action, the job id and an image number; state lives in PostgreSQL. */
export const jobButtonId = {
  reroll: (jobId: string) => `job:reroll:${jobId}`,
  keep: (jobId: string) => `job:keep:${jobId}`,
  upscale: (jobId: string, image: number) => `job:upscale:${jobId}:${image}`,
  variation: (jobId: string, image: number) => `job:variation:${jobId}:${image}`,
  /** Zoom Out, Pan and Vary (Region): a private panel (src/discord/render/edit-panel.ts). */
  edit: (jobId: string) => editId({ action: 'open', jobId }),
};

/** Discord: at most 5 buttons a row and 5 rows, so upscale/variation buttons go to 10 images. */
export const maxImagesWithButtons = 10;
const perRow = 5;

const escapeMarkdown = (text: string) => text.replace(/[*_`~|>\\[\]]/g, (c) => `\\${c}`);

export const promptLine = (job: JobRecord): string => {
  const { prompt, model, width, height, operation } = job.request;
  const shown = prompt.length > 180 ? `${prompt.slice(0, 177)}…` : prompt;
  const what = job.request.edit ? ` · ${editTitle(job.request.edit)}` : operation === 'txt2img' ? '' : ` · ${operation}`;
  return `**${escapeMarkdown(shown)}** — ${model}, ${width}×${height}${what}`;
};

const owner = (job: JobRecord) => `<@${job.userId}>’s job`;

/** Where a queued job stands, the same words on the job message and in the confirmation. */
export const queuePlace = (ahead: number): string => `queued, ${ahead > 0 ? `position ${ahead} (${ahead} ${ahead === 1 ? 'job' : 'jobs'} ahead)` : 'next up'}`;

export const queuedText = (job: JobRecord, ahead: number): string => `${owner(job)} — ${queuePlace(ahead)}${laneNote(job)}\n${promptLine(job)}`;

/** Fast is the default and says nothing; Relax and Turbo say which queue the place is in. */
const laneNote = (job: JobRecord): string =>
  job.request.lane === 'relax' || job.request.lane === 'turbo' ? ` in the ${laneLabel[job.request.lane]} lane` : '';

export const progressText = (job: JobRecord, percent: number | undefined): string =>
  `${owner(job)} — Generating…${percent === undefined ? '' : ` ${Math.round(percent)}%`}\n${promptLine(job)}`;

/**
 * The finished job: what it cost and, when known, the balance after (`available`: the member's
 * credits just before, the job's hold already out of it), and what was refunded for images that
 * could not be made.
 */
export const resultText = (job: JobRecord, made: number, balance?: { readonly available: number }): string => {
  const { count } = job.request;
  const missing = count - made;
  const { charged, refunded } = jobSettlement(job.price, count, made);
  const receipt = `${charged} credit${charged === 1 ? '' : 's'}${balance ? ` · balance ${balance.available + refunded}` : ''}`;
  const refund = missing > 0 ? `\n${missing} of ${count} images could not be made; ${refunded} credit${refunded === 1 ? '' : 's'} refunded.` : '';
  return `${owner(job)} — done · ${receipt}\n${promptLine(job)}${refund}`;
};

export const failureText = (job: JobRecord, memberMessage: string, refunded: number): string =>
  `${owner(job)} — ❌ ${memberMessage}${refunded > 0 ? ` (${refunded} credits back in your balance)` : ''}\n${promptLine(job)}`;

const button = (customId: string, label: string, emoji?: string): APIButtonComponent => ({
  type: ComponentType.Button,
  style: ButtonStyle.Secondary,
  label,
  custom_id: customId,
  ...(emoji ? { emoji: { name: emoji } } : {}),
});

const rows = (buttons: APIButtonComponent[]): APIActionRowComponent<APIButtonComponent>[] => {
  const out: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < buttons.length; start += perRow) out.push({ type: ComponentType.ActionRow, components: buttons.slice(start, start + perRow) });
  return out;
};

/**
 * U1…Un and V1…Vn (one row each, two for more than five images), then Re-roll, Keep ⭐ and Edit
 * (which opens the edit choices privately: a row of them per image would not fit 5 rows).
 * A single image gets "Upscale" and "Variations".
 */
export function resultButtons(jobId: string, images: number): APIActionRowComponent<APIButtonComponent>[] {
  const numbered = Array.from({ length: Math.min(images, maxImagesWithButtons) }, (_, index) => index + 1);
  const single = images === 1;
  return [
    ...rows(numbered.map((k) => button(jobButtonId.upscale(jobId, k), single ? 'Upscale' : `U${k}`, single ? '🔍' : undefined))),
    ...rows(numbered.map((k) => button(jobButtonId.variation(jobId, k), single ? 'Variations' : `V${k}`, single ? '🎲' : undefined))),
    {
      type: ComponentType.ActionRow,
      components: [
        button(jobButtonId.reroll(jobId), 'Re-roll', '🔁'),
        button(jobButtonId.keep(jobId), 'Keep', '⭐'),
        button(jobButtonId.edit(jobId), 'Edit', '✏️'),
      ],
    },
  ];
}

/** Where image k (1-based) of a delivered job is: a grid cell for a batch of four, else an attachment. */
export function imageLocation(delivered: number, image: number): { attachmentIndex: number; gridCell?: number } | null {
  if (image < 1 || image > Math.min(delivered, maxImagesWithButtons)) return null;
  return delivered === 4 ? { attachmentIndex: 0, gridCell: image - 1 } : { attachmentIndex: image - 1 };
}
