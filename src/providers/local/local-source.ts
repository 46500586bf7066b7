// What the local provider does with a source image: honest, cheap stand-ins for the real models,
// so upscale / variations / img2img can be seen and tested offline. Deterministic for a seed.
import sharp from 'sharp';
import type { GenerationRequest } from '../../use-cases/ports/image-provider.js';
import { providerFailure } from '../provider-failure.js';

const maxSourceBytes = 25 * 1024 * 1024;

/** Downloads the (already host-checked) source image, refusing what is gone, huge or not an image. */
export async function fetchSourceImage(url: string, jobId: string, signal?: AbortSignal, fetchImpl: typeof fetch = fetch): Promise<Buffer> {
  const timeout = AbortSignal.timeout(15_000);
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    throw providerFailure('network', { detail: `fetching the source image of job ${jobId} failed`, cause: error });
  }
  const refuse = (detail: string, memberMessage: string) =>
    providerFailure('source_image', { detail: `source image of job ${jobId} ${detail}`, memberMessage: `${memberMessage} Your credits were refunded.` });
  if (!response.ok) throw refuse(`answered HTTP ${response.status}`, 'The source image could not be fetched; it may have been deleted.');
  const data = Buffer.from(await response.arrayBuffer());
  if (data.length > maxSourceBytes) throw refuse(`is ${data.length} bytes`, 'The source image is too large.');
  const metadata = await sharp(data)
    .metadata()
    .catch(() => null);
  if (!metadata?.width || !metadata.height) throw refuse('is not a readable image', 'The source image is not an image file.');
  return data;
}

/**
 * upscale: the source at twice the job's size (capped at `maxSide`); variation: the source with a
 * seed-chosen shift of hue and brightness; img2img: the source under the prompt's artwork.
 */
export async function renderFromSource(
  request: GenerationRequest,
  index: number,
  source: Buffer,
  artworkPng: () => Promise<Buffer>,
  maxSide: number,
): Promise<Buffer> {
  const { width, height } = request;
  if (request.operation === 'upscale') {
    const scale = Math.min(2, maxSide / Math.max(width, height));
    return sharp(source)
      .resize(Math.round(width * scale), Math.round(height * scale), { fit: 'fill', kernel: 'lanczos3' })
      .png()
      .toBuffer();
  }
  const base = sharp(source).resize(width, height, { fit: 'cover' });
  const seed = request.seed + index;
  if (request.operation === 'variation') {
    return base
      .modulate({ hue: (seed % 90) - 45, brightness: 0.9 + (seed % 21) / 100, saturation: 0.85 + (seed % 31) / 100 })
      .png()
      .toBuffer();
  }
  return base
    .composite([{ input: await artworkPng(), blend: 'soft-light' }])
    .png()
    .toBuffer();
}
