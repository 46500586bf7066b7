import Replicate from 'replicate';
import { describe, expect, it } from 'vitest';
import { aGenerationRequest } from '../../factories/generation-request.js';
import { useReplicate } from './replicate-fixture.js';

const f = useReplicate();

describe('replicate provider: one prediction per job', () => {
  it('creates one prediction and stores its id before it polls', async () => {
    const request = aGenerationRequest();
    const { result } = await f.generate(request);

    expect(f.fake.creates()).toHaveLength(1);
    const [id] = f.fake.predictionIds();
    expect(result.providerPredictionId).toBe(id);
    expect(f.store.calls).toEqual([`get ${request.jobId}`, `markCreating ${request.jobId}`, `save ${request.jobId} ${id}`]);
    expect(f.store.records.get(request.jobId)?.creatingSince).toBeInstanceOf(Date);
  });

  it('saves the id before the first poll of the prediction', async () => {
    const request = aGenerationRequest();
    let requestsAtSave = -1;
    const save = f.store.save.bind(f.store);
    f.store.save = async (jobId, predictionId) => {
      requestsAtSave = f.fake.requests.length;
      await save(jobId, predictionId);
    };
    await f.generate(request);

    const firstPoll = f.fake.requests.findIndex((r) => r.method === 'GET' && r.path.startsWith('/v1/predictions/'));
    expect(requestsAtSave).toBeGreaterThan(0);
    expect(firstPoll).toBeGreaterThanOrEqual(requestsAtSave);
  });

  it('a retried job resumes its stored prediction and creates no second one', async () => {
    f.fake.script({ polls: 6 });
    const request = aGenerationRequest();
    const controller = new AbortController();
    const firstAttempt = await f.failure(
      request,
      {},
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.percent !== undefined) controller.abort(new Error('worker shutting down'));
        },
      },
    );
    expect(firstAttempt.reason).toBe('timeout');
    expect(firstAttempt.transient).toBe(true);
    const [id] = f.fake.predictionIds();
    expect(f.fake.status(id ?? '')).toBe('processing');

    const { result } = await f.generate(request);
    expect(f.fake.creates()).toHaveLength(1);
    expect(result.providerPredictionId).toBe(id);
    expect(result.images).toHaveLength(1);
  });

  it('a job whose stored prediction already finished delivers it without creating', async () => {
    const request = aGenerationRequest({ count: 2 });
    const id = f.fake.seed({ version: 'v', input: { num_outputs: 2 }, createdAt: new Date() });
    await f.store.save(request.jobId, id);

    const { result } = await f.generate(request);
    expect(f.fake.creates()).toHaveLength(0);
    expect(result.images.map((i) => i.index)).toEqual([0, 1]);
  });

  it('a create whose response was lost is one POST, a transient error, and adopted by the next attempt', async () => {
    f.fake.script({ dropCreateResponse: true });
    const request = aGenerationRequest();
    const lost = await f.failure(request);
    expect(lost.reason).toBe('network');
    expect(lost.transient).toBe(true);
    expect(f.fake.creates()).toHaveLength(1);
    expect(f.store.records.get(request.jobId)).toMatchObject({ predictionId: null, creatingSince: expect.any(Date) });

    f.fake.script({});
    const { result } = await f.generate(request);
    const [id] = f.fake.predictionIds();
    expect(f.fake.creates()).toHaveLength(1);
    expect(f.fake.predictionIds()).toHaveLength(1);
    expect(result.providerPredictionId).toBe(id);
    expect(f.store.records.get(request.jobId)?.predictionId).toBe(id);
  });

  it('recovery adopts only the same model and input created since the create started', async () => {
    const request = aGenerationRequest();
    const since = new Date();
    const input = { prompt: request.prompt, width: 512, height: 512, num_inference_steps: 20, seed: 1234, num_outputs: 1 };
    const version = '7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc';
    const decoys = [
      f.fake.seed({ version, input, createdAt: new Date(since.getTime() - 10 * 60_000) }),
      f.fake.seed({ version, input: { ...input, seed: 99 }, createdAt: new Date(since.getTime() + 1000) }),
      f.fake.seed({ version: 'another-version', input, createdAt: new Date(since.getTime() + 1000) }),
    ];
    await f.store.markCreating(request.jobId, since);

    const { result } = await f.generate(request, { clockToleranceMs: 0 });
    expect(f.fake.creates()).toHaveLength(1);
    expect(decoys).not.toContain(result.providerPredictionId);
  });

  it('recovery pages back through the list until it reaches the create time', async () => {
    f.fake.script({ dropCreateResponse: true });
    const request = aGenerationRequest();
    await f.failure(request);
    const [lostId] = f.fake.predictionIds();
    for (let n = 1; n <= 5; n++) f.fake.seed({ version: 'other', input: { n }, createdAt: new Date(Date.now() + n * 1000) });
    f.fake.listPageSize = 2;
    f.fake.script({});

    const { result } = await f.generate(request);
    expect(result.providerPredictionId).toBe(lostId);
    expect(f.fake.creates()).toHaveLength(1);
    expect(f.fake.requests.filter((r) => r.path.startsWith('/v1/predictions?cursor=')).length).toBe(2);
  });

  it('the bare client would re-send a create whose response was lost (why the provider guards creates)', async () => {
    f.fake.script({ dropCreateResponse: true });
    const client = new Replicate({ auth: f.fake.token, baseUrl: f.fake.baseUrl, useFileOutput: false });
    await expect(client.predictions.create({ version: 'v', input: { prompt: 'x' } })).rejects.toThrow('fetch failed');
    expect(f.fake.creates().length).toBeGreaterThan(1);
    expect(f.fake.predictionIds().length).toBe(f.fake.creates().length);
  });
});

describe('replicate provider: refused creates', () => {
  it('a 429 on create is rate_limited with the Retry-After hint, after one POST and with nothing created', async () => {
    f.fake.script({ createError: { status: 429, retryAfter: '7' } });
    const error = await f.failure(aGenerationRequest());
    expect(error.reason).toBe('rate_limited');
    expect(error.transient).toBe(true);
    expect(error.options.retryAfterMs).toBe(7000);
    expect(f.fake.creates()).toHaveLength(1);
    expect(f.fake.predictionIds()).toHaveLength(0);
  });

  it('a 500 on create is a transient server_error; the next attempt finds nothing to adopt and creates', async () => {
    f.fake.script({ createError: { status: 500 } });
    const request = aGenerationRequest();
    const error = await f.failure(request);
    expect(error.reason).toBe('server_error');
    expect(error.transient).toBe(true);
    expect(f.fake.creates()).toHaveLength(1);

    f.fake.script({});
    const { result } = await f.generate(request);
    expect(result.images).toHaveLength(1);
    expect(f.fake.creates()).toHaveLength(2);
    expect(f.fake.predictionIds()).toHaveLength(1);
  });

  it('a 422 on create is permanent invalid_input', async () => {
    f.fake.script({ createError: { status: 422, detail: 'num_outputs must be less than or equal to 4' } });
    const error = await f.failure(aGenerationRequest({ count: 9 }));
    expect(error.reason).toBe('invalid_input');
    expect(error.transient).toBe(false);
    expect(error.message).toContain('num_outputs must be less than or equal to 4');
  });

  it('a wrong token is refused (401) as a permanent error naming the status', async () => {
    const error = await f.failure(aGenerationRequest(), { token: 'r8_wrong' });
    expect(error.reason).toBe('invalid_input');
    expect(error.message).toContain('401');
    expect(f.fake.predictionIds()).toHaveLength(0);
  });
});
