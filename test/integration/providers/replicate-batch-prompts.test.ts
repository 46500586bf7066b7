// A /batch of distinct prompts on Replicate: one prediction per prompt, each with the
// single-prediction guarantees (stored before waiting, resumed on retry, a lost create adopted
// rather than re-sent), and a prompt that fails for good left out instead of failing the batch.
import { describe, expect, it } from 'vitest';
import { aGenerationRequest } from '../../factories/generation-request.js';
import { useReplicate } from './replicate-fixture.js';

const f = useReplicate();
const prompts = ['a red fox', 'a blue whale', 'a green owl'];
const batchRequest = () => aGenerationRequest({ prompt: prompts.join(' | '), prompts, count: 3, seed: 50 });
const createdInputs = () => f.fake.creates().map((r) => (r.body as { input: Record<string, unknown> }).input);

describe('replicate provider: a batch of distinct prompts', () => {
  it('creates one prediction per prompt (seed + i, one output), each stored before the next is created', async () => {
    const request = batchRequest();
    const { result } = await f.generate(request);
    expect(createdInputs().map((input) => [input['prompt'], input['seed'], input['num_outputs']])).toEqual([
      ['a red fox', 50, 1],
      ['a blue whale', 51, 1],
      ['a green owl', 52, 1],
    ]);
    const ids = f.fake.predictionIds();
    const { jobId } = request;
    expect(f.store.calls).toEqual([0, 1, 2].flatMap((part) => [`get ${jobId}#${part}`, `markCreating ${jobId}#${part}`, `save ${jobId}#${part} ${ids[part]}`]));
    expect(result.images.map((image) => image.index)).toEqual([0, 1, 2]);
    expect(result.providerPredictionId).toBe(ids[0]);
    // The job's own (single-prediction) record is untouched.
    expect(f.store.records.has(jobId)).toBe(false);
  });

  it('a retried batch resumes every stored prediction and creates none again', async () => {
    f.fake.script({ polls: 6 });
    const request = batchRequest();
    const controller = new AbortController();
    const first = await f.failure(
      request,
      {},
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.percent !== undefined) controller.abort(new Error('worker shutting down'));
        },
      },
    );
    expect(first.transient).toBe(true);
    expect(f.fake.creates()).toHaveLength(3);
    const { result } = await f.generate(request);
    expect(f.fake.creates()).toHaveLength(3);
    expect(result.images).toHaveLength(3);
  });

  it('a lost create of one prompt stops the batch there; the retry adopts it and creates only the rest', async () => {
    f.fake.scriptFor('a blue whale', { dropCreateResponse: true });
    const request = batchRequest();
    const lost = await f.failure(request);
    expect(lost.reason).toBe('network');
    expect(createdInputs().map((input) => input['prompt'])).toEqual(['a red fox', 'a blue whale']);

    f.fake.scriptFor('a blue whale', {});
    const { result } = await f.generate(request);
    expect(createdInputs().map((input) => input['prompt'])).toEqual(['a red fox', 'a blue whale', 'a green owl']);
    expect(f.fake.predictionIds()).toHaveLength(3);
    expect(f.store.records.get(`${request.jobId}#1`)?.predictionId).toBe(f.fake.predictionIds()[1]);
    expect(result.images.map((image) => image.index)).toEqual([0, 1, 2]);
  });

  it('a prompt blocked for good is left out (its share is refunded by the job); the others are delivered', async () => {
    f.fake.scriptFor('a blue whale', { outcome: 'nsfw' });
    const { result } = await f.generate(batchRequest());
    expect(result.images.map((image) => image.index)).toEqual([0, 2]);
  });

  it('when every prompt fails for good, the batch fails with the reason', async () => {
    for (const prompt of prompts) f.fake.scriptFor(prompt, { outcome: 'nsfw' });
    const failure = await f.failure(batchRequest());
    expect(failure.reason).toBe('safety');
    expect(failure.transient).toBe(false);
  });
});
