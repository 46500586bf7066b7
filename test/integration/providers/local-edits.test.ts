// Pixel checks on the local provider's edits: real PNGs decoded, compared pixel by pixel with the
// source served over HTTP (as Discord's CDN would serve it).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planEdit, type Rect } from '../../../src/domain/edits/edit-geometry.js';
import { REGION_PRESETS, type ImageEdit } from '../../../src/domain/edits/image-edit.js';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import { ProviderError, type GenerationRequest } from '../../../src/use-cases/ports/image-provider.js';
import { aGenerationRequest } from '../../factories/generation-request.js';
import { InMemoryPredictionStore } from '../../fakes/in-memory-prediction-store.js';

const W = 256;
const H = 192;

/** Noise, so any shift or repaint of the source shows in the pixels. */
function noise(width: number, height: number, seed: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    data[i] = state >>> 24;
  }
  return data;
}

let cdn: Server;
let base: string;
let sourceRgba: Buffer;
const files = new Map<string, { type: string; body: Buffer }>();
const provider = createLocalProvider({ allowedSourceHosts: ['127.0.0.1'], allowedSourceProtocols: ['http:'] });

beforeAll(async () => {
  const source = await sharp(noise(W, H, 7), { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toBuffer();
  sourceRgba = await sharp(source).ensureAlpha().raw().toBuffer();
  // A mask with a white disc in the middle-left, grey antialiasing and all: ≥ 128 paints.
  const disc = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="black"/><circle cx="80" cy="96" r="50" fill="white"/></svg>`;
  files.set('/source.png', { type: 'image/png', body: source });
  files.set('/mask.png', { type: 'image/png', body: await sharp(Buffer.from(disc)).png().toBuffer() });
  files.set('/page.html', { type: 'text/html', body: Buffer.from('<html></html>') });
  cdn = createServer((request, response) => {
    const file = files.get(request.url ?? '');
    if (file) response.writeHead(200, { 'content-type': file.type }).end(file.body);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => cdn.close(() => resolve())));

async function edited(edit: ImageEdit) {
  const planned = planEdit(edit);
  if (!planned.ok) throw new Error(planned.error.code);
  const request: GenerationRequest = aGenerationRequest({
    operation: planned.value.operation,
    sourceImageUrl: `${base}/source.png`,
    width: planned.value.canvas.width,
    height: planned.value.canvas.height,
    edit,
  });
  const { images } = await provider.generate(request, { predictions: new InMemoryPredictionStore() });
  const { data, info } = await sharp(images[0]!.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height, plan: planned.value };
}

/** The RGBA of pixel (x, y) of a `width`-wide raw image. */
const at = (pixels: Buffer, width: number, x: number, y: number) => pixels.readUInt32BE((y * width + x) * 4);
const src = (x: number, y: number) => at(sourceRgba, W, x, y);
const inRects = (rects: readonly Rect[], x: number, y: number) => rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);

describe('local provider: Zoom Out', () => {
  it('after a 2× zoom the original sits unchanged at the centre of a canvas twice its size, and the new area is painted', async () => {
    const out = await edited({ kind: 'zoom', factor: 2, sourceWidth: W, sourceHeight: H });
    expect([out.width, out.height]).toEqual([2 * W, 2 * H]);
    let changed = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (at(out.pixels, out.width, x + W / 2, y + H / 2) !== src(x, y)) changed++;
    expect(changed).toBe(0);
    // The border is painted: opaque, and not the transparent black the canvas started as.
    expect(at(out.pixels, out.width, 3, 3)).not.toBe(0);
    expect(at(out.pixels, out.width, 3, 3) & 0xff).toBe(0xff);
  });
});

describe('local provider: Pan', () => {
  it('after a pan right the left half is the original right half, and the right half is new', async () => {
    const out = await edited({ kind: 'pan', direction: 'right', sourceWidth: W, sourceHeight: H });
    expect([out.width, out.height]).toEqual([W, H]);
    let changed = 0;
    let kept = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W / 2; x++) if (at(out.pixels, W, x, y) !== src(x + W / 2, y)) changed++;
      for (let x = W / 2; x < W; x++) if (at(out.pixels, W, x, y) === src(x, y)) kept++;
    }
    expect(changed).toBe(0);
    // Noise against artwork: nearly no new pixel can equal the one it replaced by chance.
    expect(kept).toBeLessThan((W * H) / 100);
  });

  it('after a pan down the top half is the original bottom half', async () => {
    const out = await edited({ kind: 'pan', direction: 'down', sourceWidth: W, sourceHeight: H });
    let changed = 0;
    for (let y = 0; y < H / 2; y++) for (let x = 0; x < W; x++) if (at(out.pixels, W, x, y) !== src(x, y + H / 2)) changed++;
    expect(changed).toBe(0);
  });
});

describe('local provider: Vary (Region)', () => {
  it.each(REGION_PRESETS)('region %s: every pixel outside the mask is unchanged, the inside is repainted', async (region) => {
    const out = await edited({ kind: 'region', region, sourceWidth: W, sourceHeight: H });
    const rects = out.plan.paint as readonly Rect[];
    let outsideChanged = 0;
    let insideKept = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const same = at(out.pixels, W, x, y) === src(x, y);
        if (inRects(rects, x, y)) insideKept += same ? 1 : 0;
        else outsideChanged += same ? 0 : 1;
      }
    expect(outsideChanged).toBe(0);
    expect(insideKept).toBeLessThan(out.plan.pricedPixels / 100);
  });

  it('an uploaded mask: only its white pixels change', async () => {
    const maskPixels = await sharp(files.get('/mask.png')!.body).greyscale().raw().toBuffer();
    const out = await edited({ kind: 'mask', maskUrl: `${base}/mask.png`, maskedPixels: 7850, sourceWidth: W, sourceHeight: H });
    let outsideChanged = 0;
    let inside = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        if (maskPixels[y * W + x]! >= 128) inside++;
        else if (at(out.pixels, W, x, y) !== src(x, y)) outsideChanged++;
      }
    expect(inside).toBeGreaterThan(7000);
    expect(outsideChanged).toBe(0);
  });

  it('a mask that is not an image fails the job permanently (it is refunded)', async () => {
    const error = await edited({ kind: 'mask', maskUrl: `${base}/page.html`, maskedPixels: 10, sourceWidth: W, sourceHeight: H }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).reason).toBe('source_image');
  });

  it('a mask on a host that is not Discord is refused before anything is fetched', async () => {
    const error = await edited({ kind: 'mask', maskUrl: 'https://example.com/mask.png', maskedPixels: 10, sourceWidth: W, sourceHeight: H }).catch(
      (e: unknown) => e,
    );
    expect((error as ProviderError).reason).toBe('source_image');
  });
});
