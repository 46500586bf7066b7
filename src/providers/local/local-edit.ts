// The local provider's honest Zoom Out, Pan and Vary (Region): the canvas and mask are built as
// for Replicate, then every white mask pixel takes the prompt's artwork and every other pixel
// stays exactly the source's, so a test can check the edit pixel by pixel.
import sharp from 'sharp';
import { planEdit } from '../../domain/edits/edit-geometry.js';
import type { ImageEdit } from '../../domain/edits/image-edit.js';
import type { GenerationRequest } from '../../use-cases/ports/image-provider.js';
import { buildEditCanvas, toPng } from '../edits/edit-canvas.js';
import { providerFailure } from '../provider-failure.js';
import { localArtworkSvg } from './local-artwork.js';

/** The edit's picture as PNG; `mask` is the member's uploaded mask file when the edit uses one. */
export async function paintLocalEdit(request: GenerationRequest, edit: ImageEdit, index: number, source: Buffer, mask?: Buffer): Promise<Buffer> {
  const planned = planEdit(edit);
  if (!planned.ok) throw providerFailure('invalid_input', { detail: `edit of job ${request.jobId} cannot be planned: ${planned.error.code}` });
  const { canvas, mask: paint } = await buildEditCanvas(source, edit, planned.value, mask);
  const { width, height } = canvas;
  const spec = { prompt: request.prompt, seed: request.seed + index, model: request.model.providerModelId, width, height };
  const artwork = await sharp(Buffer.from(localArtworkSvg(spec, width, height)))
    .resize(width, height, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer();
  // Run by run rather than pixel by pixel: a 4096² canvas is 16 million pixels.
  for (let start = 0; start < width * height;) {
    if (paint.data[start] === 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < width * height && paint.data[end] !== 0) end++;
    artwork.copy(canvas.data, start * 4, start * 4, end * 4);
    start = end;
  }
  return toPng(canvas);
}
