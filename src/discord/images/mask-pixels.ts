// How much of an image an uploaded mask repaints, counted when it is quoted so the price is for
// its white pixels. Read exactly as the providers read it when the job runs
// (src/providers/edits/edit-canvas.ts: transparency as black, grey level ≥ MASK_THRESHOLD paints).
import sharp from 'sharp';
import { MASK_THRESHOLD } from '../../domain/edits/image-edit.js';

const maxMaskBytes = 20 * 1024 * 1024;

/** The mask's painting pixels; null when it cannot be downloaded or read as a picture of `size`. */
export async function countMaskPixels(url: string, size: { readonly width: number; readonly height: number }): Promise<number | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return null;
    const file = Buffer.from(await response.arrayBuffer());
    if (file.length > maxMaskBytes) return null;
    const { data: grey, info } = await sharp(file)
      .flatten({ background: '#000000' })
      .greyscale()
      .threshold(MASK_THRESHOLD)
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Discord's width and height were checked already; the file itself must agree.
    if (info.width !== size.width || info.height !== size.height) return null;
    let painted = 0;
    for (const value of grey) if (value !== 0) painted++;
    return painted;
  } catch {
    return null;
  }
}
