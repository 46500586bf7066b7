import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import { ProviderError, type GenerationProgress, type GenerationRequest } from '../../../src/use-cases/ports/image-provider.js';
import { aGenerationRequest } from '../../factories/generation-request.js';
import { InMemoryPredictionStore } from '../../fakes/in-memory-prediction-store.js';

const sut = createLocalProvider();

// A stand-in for Discord's CDN serving one source image, so upscale/variations/img2img really fetch it.
let cdn: Server;
let sourceUrl: string;
let withSources: ReturnType<typeof createLocalProvider>;
beforeAll(async () => {
  const source = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
  cdn = createServer((request, response) => {
    if (request.url === '/source.png') response.writeHead(200, { 'content-type': 'image/png' }).end(source);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  sourceUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/source.png`;
  withSources = createLocalProvider({ allowedSourceHosts: ['127.0.0.1'], allowedSourceProtocols: ['http:'] });
});
afterAll(() => new Promise<void>((resolve) => cdn.close(() => resolve())));
const generate = (request: GenerationRequest, provider = sut, signal?: AbortSignal) =>
  provider.generate(request, { predictions: new InMemoryPredictionStore(), ...(signal ? { signal } : {}) });
const size = async (data: Buffer) => {
  const { width, height, format } = await sharp(data).metadata();
  return { width, height, format };
};

describe('local provider', () => {
  it('renders byte-identical PNGs for the same prompt, seed, size and model, even for another job', async () => {
    const request = aGenerationRequest({ width: 640, height: 384 });
    const [a, b] = await Promise.all([generate(request), generate({ ...request, jobId: 'another-job' })]);
    expect(a.images[0]?.data.equals(b.images[0]?.data ?? Buffer.alloc(0))).toBe(true);
  });

  it.each<[string, Partial<GenerationRequest>]>([
    ['prompt', { prompt: 'a lighthouse on a cliff at dawn' }],
    ['seed', { seed: 1235 }],
    ['model', { model: { name: 'flux', providerModelId: 'black-forest-labs/flux-schnell' } }],
  ])('a different %s gives a different image', async (_, change) => {
    const request = aGenerationRequest();
    const [a, b] = await Promise.all([generate(request), generate({ ...request, ...change })]);
    expect(a.images[0]?.data.equals(b.images[0]?.data ?? Buffer.alloc(0))).toBe(false);
  });

  it('renders at the requested size as PNG', async () => {
    const { images } = await generate(aGenerationRequest({ width: 512, height: 768 }));
    expect(images[0]?.contentType).toBe('image/png');
    expect(await size(images[0]?.data ?? Buffer.alloc(0))).toEqual({ width: 512, height: 768, format: 'png' });
  });

  it('a batch of count images uses seed + index for each', async () => {
    const request = aGenerationRequest({ count: 3 });
    const batch = await generate(request);
    expect(batch.images.map((i) => i.index)).toEqual([0, 1, 2]);
    const third = await generate({ ...request, seed: request.seed + 2, count: 1 });
    expect(batch.images[2]?.data.equals(third.images[0]?.data ?? Buffer.alloc(0))).toBe(true);
    expect(batch.images[0]?.data.equals(batch.images[1]?.data ?? Buffer.alloc(0))).toBe(false);
  });

  it('is free and has no prediction id', async () => {
    const result = await generate(aGenerationRequest());
    expect(result.providerCostUsd).toBe(0);
    expect(result.providerPredictionId).toBeNull();
  });

  it('an upscale doubles the size of the source', async () => {
    const { images } = await generate(aGenerationRequest({ operation: 'upscale', width: 512, height: 768, sourceImageUrl: sourceUrl }), withSources);
    expect(await size(images[0]?.data ?? Buffer.alloc(0))).toMatchObject({ width: 1024, height: 1536 });
  });

  it('an upscale keeps every side within 2048, keeping the aspect ratio', async () => {
    const request = aGenerationRequest({ operation: 'upscale', width: 1536, height: 1024, sourceImageUrl: sourceUrl });
    expect(await size((await generate(request, withSources)).images[0]?.data ?? Buffer.alloc(0))).toMatchObject({ width: 2048, height: 1365 });
    const exact = { ...request, width: 1024, height: 1024 };
    expect(await size((await generate(exact, withSources)).images[0]?.data ?? Buffer.alloc(0))).toMatchObject({ width: 2048, height: 2048 });
  });

  it('variations perturb the source deterministically: the same seed gives the same image, another seed another', async () => {
    const request = aGenerationRequest({ operation: 'variation', width: 512, height: 512, sourceImageUrl: sourceUrl, count: 2 });
    const [a, b] = await Promise.all([generate(request, withSources), generate(request, withSources)]);
    expect(a.images[0]!.data.equals(b.images[0]!.data)).toBe(true);
    expect(a.images[0]!.data.equals(a.images[1]!.data)).toBe(false);
    // Still the source's picture: its mean colour stays blue-dominant.
    const { channels } = await sharp(a.images[0]!.data).stats();
    expect(channels[2]!.mean).toBeGreaterThan(channels[0]!.mean);
  });

  it('img2img draws over the source at the job size; a source that is not an image is refused', async () => {
    const { images } = await generate(aGenerationRequest({ operation: 'img2img', width: 512, height: 384, sourceImageUrl: sourceUrl }), withSources);
    expect(await size(images[0]!.data)).toMatchObject({ width: 512, height: 384 });
    const gone = await generate(aGenerationRequest({ operation: 'img2img', sourceImageUrl: sourceUrl.replace('source.png', 'gone.png') }), withSources).catch(
      (e: unknown) => e,
    );
    expect(gone).toMatchObject({ reason: 'source_image', transient: false });
  });

  it('checks the source image URL like the replicate provider', async () => {
    const error = await generate(aGenerationRequest({ operation: 'img2img', sourceImageUrl: 'https://example.com/cat.png' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ reason: 'source_image' });
  });

  it('survives prompts with markup and control characters', async () => {
    const { images } = await generate(aGenerationRequest({ prompt: '<svg onload="x"> & \u0007 ]]> "quoted" ' + 'long '.repeat(200) }));
    expect(await size(images[0]?.data ?? Buffer.alloc(0))).toMatchObject({ width: 512, height: 512 });
  });

  it('takes delayMs and reports progress in quarters', async () => {
    const provider = createLocalProvider({ delayMs: 120 });
    const progress: GenerationProgress[] = [];
    const started = performance.now();
    await provider.generate(aGenerationRequest(), { predictions: new InMemoryPredictionStore(), onProgress: (p) => progress.push(p) });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(progress.map((p) => p.percent)).toEqual([25, 50, 75, 100]);
  });

  it('stops waiting when the signal aborts, with a transient timeout', async () => {
    const provider = createLocalProvider({ delayMs: 10_000 });
    const error = await generate(aGenerationRequest(), provider, AbortSignal.timeout(50)).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'timeout', transient: true });
  });
});
