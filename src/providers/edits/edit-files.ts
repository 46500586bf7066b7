// Replicate's side of an edit: the source (and an uploaded mask) fetched fresh when the job runs,
// because Discord's attachment links expire, then the canvas and mask sent as PNG data URLs.
import { planEdit } from '../../domain/edits/edit-geometry.js';
import type { ImageEdit } from '../../domain/edits/image-edit.js';
import { fetchSourceImage } from '../local/local-source.js';
import { providerFailure } from '../provider-failure.js';
import type { EditFiles } from '../replicate/replicate-input.js';
import type { FetchLike } from '../replicate/send-create-once.js';
import { buildEditCanvas, toPng } from './edit-canvas.js';

export interface EditFilesOptions {
  readonly sourceUrl: string;
  readonly maskUrl: string | undefined;
  readonly jobId: string;
  readonly fetch: FetchLike;
  readonly signal?: AbortSignal | undefined;
}

const dataUrl = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

export async function editFiles(edit: ImageEdit, options: EditFilesOptions): Promise<EditFiles> {
  const planned = planEdit(edit);
  if (!planned.ok) throw providerFailure('invalid_input', { detail: `edit of job ${options.jobId} cannot be planned: ${planned.error.code}` });
  const get = (url: string) => fetchSourceImage(url, options.jobId, options.signal, options.fetch);
  const [source, mask] = await Promise.all([get(options.sourceUrl), options.maskUrl === undefined ? undefined : get(options.maskUrl)]);
  const built = await buildEditCanvas(source, edit, planned.value, mask);
  const [image, maskPng] = await Promise.all([toPng(built.canvas), toPng(built.mask)]);
  return { image: dataUrl(image), mask: dataUrl(maskPng) };
}
