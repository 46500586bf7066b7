// Discord refuses uploads over the attachment size limit (10 MiB without boosts), so an image too
// big is re-encoded rather than dropped: a dropped image is not delivered, so not charged, but the
// member wanted it. Lossless PNG first gives way to high-quality JPEG, then to smaller sizes.
import sharp from 'sharp';

export interface UploadImage {
  readonly data: Buffer;
  readonly contentType: 'image/png' | 'image/jpeg' | 'image/webp';
}

const qualities = [92, 85, 75] as const;
const maxShrinks = 8;

/** The image unchanged if it fits in `maxBytes`, else re-encoded (and if needed downscaled) until it does. */
export async function fitUnder(image: UploadImage, maxBytes: number): Promise<UploadImage> {
  if (image.data.length <= maxBytes) return image;
  for (const quality of qualities) {
    const data = await sharp(image.data).flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true }).toBuffer();
    if (data.length <= maxBytes) return { data, contentType: 'image/jpeg' };
  }
  const { width = 1, height = 1 } = await sharp(image.data).metadata();
  let scale = 1;
  let last = image.data;
  for (let attempt = 0; attempt < maxShrinks; attempt++) {
    // JPEG size grows roughly with the pixel count: shrink both sides by the square root of the
    // overshoot, with a margin, so it usually fits on the first try.
    scale *= Math.min(0.9, Math.sqrt(maxBytes / last.length) * 0.95);
    last = await sharp(image.data)
      .flatten({ background: '#ffffff' })
      .resize(Math.max(16, Math.round(width * scale)), Math.max(16, Math.round(height * scale)))
      .jpeg({ quality: qualities[qualities.length - 1], mozjpeg: true })
      .toBuffer();
    if (last.length <= maxBytes) return { data: last, contentType: 'image/jpeg' };
  }
  throw new Error(`image of ${image.data.length} bytes could not be made to fit in ${maxBytes} bytes`);
}
