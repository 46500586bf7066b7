import { describe, expect, it } from 'vitest';
import { aGenerationRequest } from '../../factories/generation-request.js';
import { useReplicate } from './replicate-fixture.js';

const f = useReplicate();
const discordImage = 'https://cdn.discordapp.com/attachments/1/2/cat.png';
/** The CDN is unreachable here, so these tests skip the HEAD check. */
const noProbe = { maxSourceImageBytes: 0 };

describe('replicate provider: what it sends', () => {
  it('a pinned version posts to /predictions with the mapped input', async () => {
    await f.generate(aGenerationRequest({ negativePrompt: 'blurry', seed: 7, steps: 30, width: 768, height: 512, count: 2 }));
    expect(f.fake.creates()).toEqual([
      {
        method: 'POST',
        path: '/v1/predictions',
        body: {
          version: '7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc',
          input: {
            prompt: 'a lighthouse on a cliff at dusk',
            negative_prompt: 'blurry',
            width: 768,
            height: 512,
            num_inference_steps: 30,
            seed: 7,
            num_outputs: 2,
          },
        },
      },
    ]);
  });

  it('an official model posts to /models/{owner}/{name}/predictions', async () => {
    const request = aGenerationRequest({ model: { name: 'flux', providerModelId: 'black-forest-labs/flux-schnell' } });
    await f.generate(request);
    expect(f.fake.creates()[0]?.path).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
  });

  it('official-model crash recovery matches on the model', async () => {
    f.fake.script({ dropCreateResponse: true });
    const request = aGenerationRequest({ model: { name: 'flux', providerModelId: 'black-forest-labs/flux-schnell' } });
    await f.failure(request);
    f.fake.script({});
    await f.generate(request);
    expect(f.fake.creates()).toHaveLength(1);
  });

  it('turns the safety checker off only for a job allowed NSFW (guild policy + age-restricted channel)', async () => {
    await f.generate(aGenerationRequest({ allowNsfw: true }));
    await f.generate(aGenerationRequest());
    expect(f.fake.creates().map((create) => (create.body as { input: Record<string, unknown> }).input['disable_safety_checker'])).toEqual([true, undefined]);
  });

  it('omits negative_prompt when none is given', async () => {
    await f.generate(aGenerationRequest());
    expect(f.fake.creates()[0]?.body).not.toHaveProperty('input.negative_prompt');
  });

  it('img2img passes the source image as `image`', async () => {
    await f.generate(aGenerationRequest({ operation: 'img2img', sourceImageUrl: discordImage }), noProbe);
    expect(f.fake.creates()[0]?.body).toMatchObject({ input: { image: discordImage, prompt: 'a lighthouse on a cliff at dusk' } });
  });

  it('an upscale sends only the image and a 2x scale', async () => {
    await f.generate(aGenerationRequest({ operation: 'upscale', sourceImageUrl: discordImage }), noProbe);
    expect(f.fake.creates()[0]?.body).toMatchObject({ input: { image: discordImage, scale: 2 } });
    expect(Object.keys((f.fake.creates()[0]?.body as { input: object }).input)).toEqual(['image', 'scale']);
  });

  it('a malformed model id is permanent invalid_input and sends nothing', async () => {
    const error = await f.failure(aGenerationRequest({ model: { name: 'broken', providerModelId: 'not a model' } }));
    expect([error.reason, error.transient]).toEqual(['invalid_input', false]);
    expect(f.fake.requests).toHaveLength(0);
  });
});

describe('replicate provider: source images', () => {
  it.each([
    ['http on a Discord host', 'http://cdn.discordapp.com/attachments/1/2/cat.png'],
    ['another host', 'https://example.com/cat.png'],
    ['a look-alike host', 'https://cdn.discordapp.com.evil.example/cat.png'],
    ['credentials in the URL', 'https://user:pw@cdn.discordapp.com/cat.png'],
    ['not a URL', 'cat.png'],
  ])('refuses %s before anything is created', async (_, sourceImageUrl) => {
    const error = await f.failure(aGenerationRequest({ operation: 'variation', sourceImageUrl }));
    expect([error.reason, error.transient]).toEqual(['source_image', false]);
    expect(error.memberMessage).toContain('uploaded to Discord');
    expect(f.fake.requests).toHaveLength(0);
  });

  it('refuses an img2img without a source image', async () => {
    expect((await f.failure(aGenerationRequest({ operation: 'img2img' }))).reason).toBe('source_image');
  });

  it('accepts media.discordapp.net too', async () => {
    const { result } = await f.generate(
      aGenerationRequest({ operation: 'img2img', sourceImageUrl: 'https://media.discordapp.net/attachments/1/2/a.webp' }),
      noProbe,
    );
    expect(result.images).toHaveLength(1);
  });

  describe('HEAD check (hosts opened to the fake for the test)', () => {
    const open = () => ({ allowedSourceHosts: ['127.0.0.1'], allowedSourceProtocols: ['http:'], maxSourceImageBytes: 100 * 1024 });

    it('passes a small image on an allowed host', async () => {
      const { result } = await f.generate(aGenerationRequest({ operation: 'img2img', sourceImageUrl: f.fake.sourceUrl('ok.png') }), open());
      expect(result.images).toHaveLength(1);
      expect(f.fake.requests[0]).toMatchObject({ method: 'HEAD', path: '/sources/ok.png' });
    });

    it.each([
      ['too large', 'big.png', 'too large'],
      ['gone', 'deleted.png', 'could not be fetched'],
      ['not an image', 'page.html', 'not an image'],
    ])('refuses a source image that is %s', async (_, name, said) => {
      const error = await f.failure(aGenerationRequest({ operation: 'img2img', sourceImageUrl: f.fake.sourceUrl(name) }), open());
      expect(error.reason).toBe('source_image');
      expect(error.memberMessage).toContain(said);
      expect(f.fake.creates()).toHaveLength(0);
    });
  });
});
