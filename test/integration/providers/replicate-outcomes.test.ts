import { describe, expect, it } from 'vitest';
import { aGenerationRequest } from '../../factories/generation-request.js';
import { useReplicate } from './replicate-fixture.js';

const f = useReplicate();

describe('replicate provider: how a prediction ends', () => {
  it('an NSFW failure is a permanent safety error with a plain message', async () => {
    f.fake.script({ outcome: 'nsfw' });
    const error = await f.failure(aGenerationRequest());
    expect(error.reason).toBe('safety');
    expect(error.transient).toBe(false);
    expect(error.memberMessage).toBe("The image was blocked by the provider's safety filter. Your credits were refunded.");
    expect(error.message).toContain('NSFW content detected');
  });

  it('a model that fails is a permanent model_error', async () => {
    f.fake.script({ outcome: 'failed', error: 'CUDA error: out of memory' });
    const error = await f.failure(aGenerationRequest());
    expect(error.reason).toBe('model_error');
    expect(error.transient).toBe(false);
  });

  it('a model that reports invalid input is a permanent invalid_input', async () => {
    f.fake.script({ outcome: 'failed', error: 'Invalid input: width must be a multiple of 8' });
    expect((await f.failure(aGenerationRequest())).reason).toBe('invalid_input');
  });

  it('a prediction canceled at the provider is permanent canceled', async () => {
    f.fake.script({ outcome: 'canceled' });
    const error = await f.failure(aGenerationRequest());
    expect([error.reason, error.transient]).toEqual(['canceled', false]);
  });

  it('a prediction canceled by someone else while we poll is permanent canceled', async () => {
    f.fake.script({ outcome: 'hang' });
    let canceled = false;
    const error = await f.failure(
      aGenerationRequest(),
      {},
      {
        onProgress: () => {
          const [id] = f.fake.predictionIds();
          if (canceled || id === undefined) return;
          canceled = true;
          void fetch(`${f.fake.baseUrl}/predictions/${id}/cancel`, { method: 'POST', headers: { Authorization: `Bearer ${f.fake.token}` } });
        },
      },
    );
    expect([error.reason, error.transient]).toEqual(['canceled', false]);
  });

  it('a prediction the provider aborted is permanent aborted', async () => {
    f.fake.script({ outcome: 'aborted' });
    const error = await f.failure(aGenerationRequest());
    expect([error.reason, error.transient]).toEqual(['aborted', false]);
  });
});

describe('replicate provider: waiting', () => {
  it('a prediction that never finishes is a transient timeout after timeoutMs', async () => {
    f.fake.script({ outcome: 'hang' });
    const started = performance.now();
    const error = await f.failure(aGenerationRequest(), { timeoutMs: 150, pollIntervalMs: 20 });
    const elapsed = performance.now() - started;
    expect([error.reason, error.transient]).toEqual(['timeout', true]);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
  });

  it('the caller aborting stops the wait at once, leaving the prediction running for a retry', async () => {
    f.fake.script({ outcome: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutdown')), 100);
    const started = performance.now();
    const error = await f.failure(aGenerationRequest(), { pollIntervalMs: 10_000 }, { signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(1000);
    expect([error.reason, error.transient]).toEqual(['timeout', true]);
    expect(error.message).toContain('shutdown');
    expect(f.fake.status(f.fake.predictionIds()[0] ?? '')).toBe('starting');
  });

  it('an already aborted signal creates nothing', async () => {
    const error = await f.failure(aGenerationRequest(), {}, { signal: AbortSignal.abort() });
    expect(error.reason).toBe('timeout');
    expect(f.fake.requests).toHaveLength(0);
  });

  it('a few 500s while polling are absorbed by the client', async () => {
    f.fake.script({ getErrors: 3 });
    const { result } = await f.generate(aGenerationRequest());
    expect(result.images).toHaveLength(1);
  });

  it('polling that keeps failing is a transient server_error, and the retry resumes without creating', async () => {
    f.fake.script({ getErrors: 6 });
    const request = aGenerationRequest();
    const error = await f.failure(request);
    expect([error.reason, error.transient]).toEqual(['server_error', true]);

    const { result } = await f.generate(request);
    expect(result.images).toHaveLength(1);
    expect(f.fake.creates()).toHaveLength(1);
  });

  it('reports progress parsed from tqdm bars in the logs', async () => {
    f.fake.script({ polls: 4 });
    const { progress } = await f.generate(aGenerationRequest({ steps: 28 }));
    const percents = progress.flatMap((p) => (p.percent === undefined ? [] : [p.percent]));
    expect(percents).toEqual([25, 50, 75, 100]);
    expect(progress[0]).toEqual({ message: 'starting' });
    expect(progress.at(-1)).toEqual({ percent: 100, message: 'succeeded: step 28/28' });
  });

  it('reports progress from "step n/N" lines too', async () => {
    f.fake.script({ polls: 2, logStyle: 'steps' });
    const { progress } = await f.generate(aGenerationRequest({ steps: 10 }));
    expect(progress.map((p) => p.percent)).toEqual([undefined, 50, 100]);
  });

  it('a progress callback that throws does not fail the generation', async () => {
    const { result } = await f.generate(
      aGenerationRequest(),
      {},
      {
        onProgress: () => {
          throw new Error('display broke');
        },
      },
    );
    expect(result.images).toHaveLength(1);
  });
});
