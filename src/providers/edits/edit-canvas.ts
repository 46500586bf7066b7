// The pictures an edit is made from, built with sharp from the plan (src/domain/edits/): the
// source placed on the canvas, and a black-and-white mask, white where the model paints. Both
// providers use them: Replicate's fill models take exactly these, and the local provider paints
// the white part itself.
import sharp from 'sharp';
import type { EditPlan, Rect } from '../../domain/edits/edit-geometry.js';
import { MASK_THRESHOLD, type ImageEdit } from '../../domain/edits/image-edit.js';

/** Raw pixels, 4 channels (RGBA) for pictures and 1 for masks, row by row. */
export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 4;
}

export interface EditCanvas {
  /** The source on the canvas; the area to paint is transparent black. */
  readonly canvas: RawImage;
  /** 255 where the model paints, 0 where the canvas is kept. */
  readonly mask: RawImage;
}

/** The source at the size the edit was planned and priced for (an upscaled delivery comes back to it). */
async function sourcePixels(source: Buffer, edit: ImageEdit): Promise<RawImage> {
  const { data, info } = await sharp(source)
    .resize(edit.sourceWidth, edit.sourceHeight, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 4 };
}

/** Copies the part of `from` that lands on `onto` when its top-left corner is at (x, y). */
function place(from: RawImage, onto: RawImage, x: number, y: number): void {
  const left = Math.max(0, x);
  const right = Math.min(onto.width, x + from.width);
  if (right <= left) return;
  for (let row = Math.max(0, y); row < Math.min(onto.height, y + from.height); row++) {
    const start = ((row - y) * from.width + (left - x)) * 4;
    from.data.copy(onto.data, (row * onto.width + left) * 4, start, start + (right - left) * 4);
  }
}

function fillRects(mask: RawImage, rects: readonly Rect[]): void {
  for (const r of rects) for (let row = r.y; row < r.y + r.height; row++) mask.data.fill(255, row * mask.width + r.x, row * mask.width + r.x + r.width);
}

/** A member's mask as 0/255, read as src/discord/images/mask-pixels.ts counted it for the quote. */
export async function readMask(file: Buffer, width: number, height: number): Promise<RawImage> {
  const { data } = await sharp(file)
    .resize(width, height, { fit: 'fill' })
    .flatten({ background: '#000000' })
    .greyscale()
    .threshold(MASK_THRESHOLD)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width, height, channels: 1 };
}

/** The canvas and mask of an edit; `uploadedMask` is the member's mask file when the plan uses one. */
export async function buildEditCanvas(source: Buffer, edit: ImageEdit, plan: EditPlan, uploadedMask?: Buffer): Promise<EditCanvas> {
  const { width, height } = plan.canvas;
  const canvas: RawImage = { data: Buffer.alloc(width * height * 4), width, height, channels: 4 };
  place(await sourcePixels(source, edit), canvas, plan.placement.x, plan.placement.y);
  if (plan.paint === 'uploaded-mask') {
    if (uploadedMask === undefined) throw new Error('an uploaded-mask edit needs its mask');
    return { canvas, mask: await readMask(uploadedMask, width, height) };
  }
  const mask: RawImage = { data: Buffer.alloc(width * height), width, height, channels: 1 };
  fillRects(mask, plan.paint);
  return { canvas, mask };
}

/** Lossless PNG of raw pixels. */
export const toPng = (image: RawImage): Promise<Buffer> =>
  sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .png()
    .toBuffer();
