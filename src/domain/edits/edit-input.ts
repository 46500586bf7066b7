// What members type or upload for an edit, checked before any quote: bad input gets a sentence
// saying what to do instead, and nothing is stored or held.
import { err, ok, type Result } from '../result.js';
import type { EditPlanProblem } from './edit-geometry.js';
import { MAX_ZOOM, MIN_ZOOM, regionLabels, type ImageEdit, type PanDirection } from './image-edit.js';

/** "2", "1.5", "2x", "2×" → the factor; otherwise why not, in the member's words. */
export function parseZoomFactor(text: string): Result<number, string> {
  const match = /^\s*(\d{1,4}(?:[.,]\d{1,3})?)\s*[x×]?\s*$/i.exec(text);
  const factor = match ? Number(match[1]!.replace(',', '.')) : Number.NaN;
  if (!Number.isFinite(factor)) return err(`"${text.trim().slice(0, 20)}" is not a zoom factor: type a number such as 1.5 or 3.`);
  if (factor < MIN_ZOOM || factor > MAX_ZOOM) return err(`A zoom factor must be between ${MIN_ZOOM} and ${MAX_ZOOM} (you typed ${factor}).`);
  return ok(factor);
}

export interface MaskFile {
  readonly contentType: string | null;
  readonly width: number | null;
  readonly height: number | null;
}

/** Why an uploaded mask cannot be used on a `width`×`height` image; null when it can. */
export function maskProblem(mask: MaskFile, image: { readonly width: number; readonly height: number }): string | null {
  const type = mask.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!['image/png', 'image/jpeg', 'image/webp'].includes(type) || mask.width === null || mask.height === null) {
    return 'The mask must be a PNG, JPEG or WebP picture: white where the image should be repainted, black where it stays.';
  }
  if (mask.width !== image.width || mask.height !== image.height) {
    return `The mask must be the same size as the image: ${image.width}×${image.height} (this one is ${mask.width}×${mask.height}).`;
  }
  return null;
}

/** A mask with no white pixel would repaint nothing; an all-white one is a new image, not an edit. */
export function maskCoverageProblem(maskedPixels: number, image: { readonly width: number; readonly height: number }): string | null {
  if (maskedPixels === 0) return 'The mask has no white area, so nothing would be repainted. Paint white where the image should change.';
  if (maskedPixels >= image.width * image.height) return 'The mask is white everywhere: that repaints the whole image. Use /imagine for a new one.';
  return null;
}

export function planProblemText(problem: EditPlanProblem): string {
  switch (problem.code) {
    case 'canvas_too_large':
      return `That zoom would make the image too large; for this image the largest zoom is ${problem.maxFactor}×.`;
    case 'mask_too_large':
      return 'The mask covers more pixels than the image has.';
  }
}

const arrows: Readonly<Record<PanDirection, string>> = { left: '⬅️', right: '➡️', up: '⬆️', down: '⬇️' };
export const panArrow = (direction: PanDirection): string => arrows[direction];

/** How an edit is named on its quote and job: "Zoom Out 2×", "Pan ➡️", "Vary (Region): Centre". */
export function editTitle(edit: ImageEdit): string {
  switch (edit.kind) {
    case 'zoom':
      return `Zoom Out ${edit.factor}×`;
    case 'pan':
      return `Pan ${arrows[edit.direction]}`;
    case 'region':
      return `Vary (Region): ${regionLabels[edit.region]}`;
    case 'mask':
      return 'Vary (Region): your mask';
  }
}
