// Replicate's side of an edit: the source (and an uploaded mask) fetched fresh when the job runs,
// because Discord's attachment links expire, then the canvas and mask sent as data URLs.
import sharp from 'sharp';
import { planEdit } from '../../domain/edits/edit-geometry.js';
import type { ImageEdit } from '../../domain/edits/image-edit.js';
import { fetchSourceImage } from '../local/local-source.js';
import { providerFailure } from '../provider-failure.js';
import type { EditFiles } from '../replicate/replicate-input.js';
import type { FetchLike } from '../replicate/send-create-once.js';
import { buildEditCanvas, toPng, type RawImage } from './edit-canvas.js';

export interface EditFilesOptions {
  readonly sourceUrl: string;
  readonly maskUrl: string | undefined;
  readonly jobId: string;
  readonly fetch: FetchLike;
  readonly signal?: AbortSignal | undefined;
}

/** Replicate recommends data URLs only below about 1 MB. */
export const DATA_URL_BUDGET_BYTES = 1024 * 1024;

const dataUrl = (type: 'png' | 'jpeg', file: Buffer): string => `data:image/${type};base64,${file.toString('base64')}`;

/**
 * The canvas as PNG when that is small enough, else as JPEG: the model repaints the white of the
 * mask anyway, and the bytes stay the same for the same source, so a retried job sends the same
 * input (which is how a prediction whose create answer was lost is found again, not paid twice).
 */
async function canvasUrl(canvas: RawImage): Promise<string> {
  const png = await toPng(canvas);
  if (png.length <= DATA_URL_BUDGET_BYTES) return dataUrl('png', png);
  const jpeg = await sharp(canvas.data, { raw: { width: canvas.width, height: canvas.height, channels: canvas.channels } })
    .flatten({ background: '#000000' })
    .jpeg({ quality: 90 })
    .toBuffer();
  return dataUrl('jpeg', jpeg);
}

export async function editFiles(edit: ImageEdit, options: EditFilesOptions): Promise<EditFiles> {
  const planned = planEdit(edit);
  if (!planned.ok) throw providerFailure('invalid_input', { detail: `edit of job ${options.jobId} cannot be planned: ${planned.error.code}` });
  const get = (url: string) => fetchSourceImage(url, options.jobId, options.signal, options.fetch);
  const [source, mask] = await Promise.all([get(options.sourceUrl), options.maskUrl === undefined ? undefined : get(options.maskUrl)]);
  const built = await buildEditCanvas(source, edit, planned.value, mask);
  // The mask is black and white rectangles (or the member's): a few kilobytes as PNG.
  const [image, maskPng] = await Promise.all([canvasUrl(built.canvas), toPng(built.mask)]);
  return { image, mask: dataUrl('png', maskPng) };
}
