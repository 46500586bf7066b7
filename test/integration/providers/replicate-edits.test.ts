// What the Replicate provider sends for an edit, read back from the fake Replicate: the canvas and
// mask are real PNGs (data URLs), decoded and checked here.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { planEdit } from '../../../src/domain/edits/edit-geometry.js';
import type { ImageEdit } from '../../../src/domain/edits/image-edit.js';
import { DATA_URL_BUDGET_BYTES } from '../../../src/providers/edits/edit-files.js';
import type { GenerationRequest } from '../../../src/use-cases/ports/image-provider.js';
import { aGenerationRequest } from '../../factories/generation-request.js';
import { useReplicate } from './replicate-fixture.js';

const f = useReplicate();
const local = { allowedSourceHosts: ['127.0.0.1'], allowedSourceProtocols: ['http:'] };
const fill = { name: 'flux-fill', providerModelId: 'black-forest-labs/flux-fill-dev' };

function editRequest(edit: ImageEdit, overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  const planned = planEdit(edit);
  if (!planned.ok) throw new Error(planned.error.code);
  return aGenerationRequest({
    model: fill,
    operation: planned.value.operation,
    sourceImageUrl: f.fake.sourceUrl('ok.png'),
    width: planned.value.canvas.width,
    height: planned.value.canvas.height,
    steps: 28,
    edit,
    ...overrides,
  });
}

type SentInput = Record<string, unknown> & { image: string; mask: string };
const sentInput = (): SentInput => (f.fake.creates()[0]?.body as { input: SentInput }).input;

async function decode(dataUrl: string) {
  expect(dataUrl.startsWith('data:image/png;base64,')).toBe(true);
  const png = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('replicate provider: edits on FLUX.1 Fill', () => {
  it('a 2× zoom of a 1024² image sends a 2048² canvas and a mask that is white exactly where it is new', async () => {
    await f.generate(editRequest({ kind: 'zoom', factor: 2, sourceWidth: 1024, sourceHeight: 1024 }), local);
    expect(f.fake.creates()[0]?.path).toBe('/v1/models/black-forest-labs/flux-fill-dev/predictions');
    const input = sentInput();
    expect(input).toMatchObject({
      prompt: 'a lighthouse on a cliff at dusk',
      num_outputs: 1,
      num_inference_steps: 28,
      seed: 1234,
      megapixels: 'match_input',
      output_format: 'png',
    });
    const image = await decode(input.image);
    const mask = await decode(input.mask);
    expect([image.width, image.height, mask.width, mask.height]).toEqual([2048, 2048, 2048, 2048]);
    const white = (x: number, y: number) => mask.data[(y * mask.width + x) * mask.channels] === 255;
    // Corners and edges of the old image: black just inside, white just outside.
    expect([white(511, 511), white(512, 512), white(1535, 1535), white(1536, 1536), white(1024, 100), white(1024, 1024)]).toEqual([
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    let whites = 0;
    for (let i = 0; i < mask.width * mask.height; i++) if (mask.data[i * mask.channels] === 255) whites++;
    expect(whites).toBe(3 * 1024 * 1024);
    // The source (the fake CDN's small blue-ish PNG, stretched to 1024²) fills the middle, opaque.
    const middle = (1024 * image.width + 1024) * image.channels;
    expect(image.data[middle + 3]).toBe(255);
    expect(image.data[(10 * image.width + 10) * image.channels + 3]).toBe(0);
  });

  it('a pan left keeps the size and sends a mask white on the left half', async () => {
    await f.generate(editRequest({ kind: 'pan', direction: 'left', sourceWidth: 1024, sourceHeight: 768 }), local);
    const mask = await decode(sentInput().mask);
    expect([mask.width, mask.height]).toEqual([1024, 768]);
    expect(mask.data[(100 * mask.width + 511) * mask.channels]).toBe(255);
    expect(mask.data[(100 * mask.width + 512) * mask.channels]).toBe(0);
  });

  it('a region sends the image at its own size with the region white', async () => {
    await f.generate(editRequest({ kind: 'region', region: 'top-right', sourceWidth: 512, sourceHeight: 512 }), local);
    const mask = await decode(sentInput().mask);
    expect(mask.data[(10 * 512 + 300) * mask.channels]).toBe(255);
    expect(mask.data[(300 * 512 + 300) * mask.channels]).toBe(0);
  });

  it('turns the safety checker off only when the job allows it, like any image', async () => {
    await f.generate(editRequest({ kind: 'pan', direction: 'up', sourceWidth: 512, sourceHeight: 512 }, { allowNsfw: true }), local);
    expect(sentInput()['disable_safety_checker']).toBe(true);
  });

  it('a canvas too big for a data URL as PNG (a noisy photo) goes as JPEG, under the 1 MB Replicate advises; the mask stays PNG', async () => {
    const noise = await sharp(randomBytes(1024 * 1024 * 3), { raw: { width: 1024, height: 1024, channels: 3 } })
      .png()
      .toBuffer();
    const cdn = createServer((_, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(noise));
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    try {
      const sourceImageUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/noise.png`;
      await f.generate(editRequest({ kind: 'zoom', factor: 1.5, sourceWidth: 1024, sourceHeight: 1024 }, { sourceImageUrl }), local);
    } finally {
      await new Promise<void>((resolve) => cdn.close(() => resolve()));
    }
    const { image, mask } = sentInput();
    expect(image.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(Buffer.from(image.split(',')[1]!, 'base64').length).toBeLessThanOrEqual(DATA_URL_BUDGET_BYTES);
    expect(await sharp(Buffer.from(image.split(',')[1]!, 'base64')).metadata()).toMatchObject({ width: 1536, height: 1536, format: 'jpeg' });
    expect(mask.startsWith('data:image/png;base64,')).toBe(true);
  });

  it('a source that is gone fails permanently before any prediction is paid for', async () => {
    const error = await f.failure(
      editRequest({ kind: 'pan', direction: 'up', sourceWidth: 512, sourceHeight: 512 }, { sourceImageUrl: f.fake.sourceUrl('gone.png') }),
      local,
    );
    expect([error.reason, error.transient]).toEqual(['source_image', false]);
    expect(f.fake.creates()).toHaveLength(0);
  });
});
