import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import type { GeneratedImage, GenerationContext, GenerationRequest, GenerationResult, ImageProvider } from '../use-cases/ports/image-provider.js';
import { localArtworkSvg } from './local/local-artwork.js';
import { paintLocalEdit } from './local/local-edit.js';
import { fetchSourceImage, renderFromSource } from './local/local-source.js';
import { providerFailure } from './provider-failure.js';
import { checkMaskUrl, checkSourceImageUrl, type SourceImagePolicy } from './source-image.js';

export interface LocalProviderOptions {
  /** Simulated provider time per generation, reported as progress in quarters. @defaultValue 0 */
  readonly delayMs?: number;
  /** Source image URLs are checked as the replicate provider checks them, then fetched. @defaultValue Discord's CDN */
  readonly allowedSourceHosts?: readonly string[];
  /** @defaultValue `['https:']` */
  readonly allowedSourceProtocols?: readonly string[];
}

/** Upscales double the picture, but no side grows past this. */
export const LOCAL_MAX_SIDE = 2048;
const PROGRESS_STEPS = 4;

/**
 * A free, offline provider: each image is a deterministic picture of its prompt, seed, size and
 * model, so the whole bot runs (and is tested) without a provider token or network.
 */
export function createLocalProvider(options: LocalProviderOptions = {}): ImageProvider {
  const delayMs = options.delayMs ?? 0;
  const sourcePolicy: SourceImagePolicy = {
    ...(options.allowedSourceHosts ? { hosts: options.allowedSourceHosts } : {}),
    ...(options.allowedSourceProtocols ? { protocols: options.allowedSourceProtocols } : {}),
  };
  return {
    name: 'local',
    async generate(request: GenerationRequest, context: GenerationContext): Promise<GenerationResult> {
      const sourceUrl = checkSourceImageUrl(request, sourcePolicy);
      const started = performance.now();
      const maskUrl = checkMaskUrl(request, sourcePolicy);
      const source = sourceUrl === undefined ? undefined : await fetchSourceImage(sourceUrl, request.jobId, context.signal);
      // Fetched when the job runs, as the source is: a mask uploaded to Discord is only a link.
      const mask = maskUrl === undefined ? undefined : await fetchSourceImage(maskUrl, request.jobId, context.signal);
      for (let step = 1; step <= PROGRESS_STEPS; step++) {
        if (delayMs > 0) await wait(delayMs / PROGRESS_STEPS, request.jobId, context.signal);
        context.onProgress?.({ percent: (100 * step) / PROGRESS_STEPS, message: `step ${step}/${PROGRESS_STEPS}` });
      }
      const images = await Promise.all(Array.from({ length: request.count }, (_, index) => render(request, index, source, mask)));
      return {
        images,
        providerCostUsd: 0,
        predictTimeSeconds: (performance.now() - started) / 1000,
        providerPredictionId: null,
      };
    },
  };
}

async function render(request: GenerationRequest, index: number, source: Buffer | undefined, mask: Buffer | undefined): Promise<GeneratedImage> {
  const { width, height } = request;
  if (source !== undefined && request.edit !== undefined) {
    return { index, data: await paintLocalEdit(request, request.edit, index, source, mask), contentType: 'image/png' };
  }
  if (source !== undefined) {
    const artwork = () =>
      sharp(
        Buffer.from(
          localArtworkSvg({ prompt: request.prompt, seed: request.seed + index, model: request.model.providerModelId, width, height }, width, height),
        ),
      )
        .png()
        .toBuffer();
    return { index, data: await renderFromSource(request, index, source, artwork, LOCAL_MAX_SIDE), contentType: 'image/png' };
  }
  const scale = request.operation === 'upscale' ? Math.min(2, LOCAL_MAX_SIDE / Math.max(width, height)) : 1;
  const spec = { prompt: request.prompts?.[index] ?? request.prompt, seed: request.seed + index, model: request.model.providerModelId, width, height };
  const svg = localArtworkSvg(spec, Math.round(width * scale), Math.round(height * scale));
  const data = await sharp(Buffer.from(svg)).png().toBuffer();
  return { index, data, contentType: 'image/png' };
}

async function wait(ms: number, jobId: string, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    throw providerFailure('timeout', { detail: `local provider stopped waiting for job ${jobId}`, cause: error });
  }
}
