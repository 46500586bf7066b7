import { describe, expect, it } from 'vitest';
import { parseModelRef } from '../../../src/providers/replicate/model-ref.js';
import { parseProgress } from '../../../src/providers/replicate/progress.js';
import { fromFailedPrediction, parseRetryAfter } from '../../../src/providers/replicate/replicate-errors.js';
import { sameInput } from '../../../src/providers/replicate/replicate-input.js';

describe('progress in model logs', () => {
  it('reads the last tqdm bar', () => {
    const logs = 'Loading pipeline\n  0%|          | 0/28 [00:00<?, ?it/s]\r 45%|████▌     | 13/28 [00:02<00:03, 7.50it/s]';
    expect(parseProgress(logs)).toEqual({ percent: 45, step: 13, total: 28 });
  });

  it('reads "step n/N" and "Step n of N"', () => {
    expect(parseProgress('step 7/28')).toEqual({ percent: 25, step: 7, total: 28 });
    expect(parseProgress('Step 10 of 40')).toEqual({ percent: 25, step: 10, total: 40 });
  });

  it('takes whichever form was printed last', () => {
    expect(parseProgress(' 50%|█████     | 14/28\nstep 21/28')?.step).toBe(21);
    expect(parseProgress('step 21/28\n 50%|█████     | 14/28')?.step).toBe(14);
  });

  it('returns null without recognisable progress', () => {
    expect(parseProgress('')).toBeNull();
    expect(parseProgress(null)).toBeNull();
    expect(parseProgress('Using seed: 42\nstep 3/0')).toBeNull();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, never negative', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:28:10 GMT'))).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('model ids', () => {
  it('tells pinned versions from official models', () => {
    expect(parseModelRef('stability-ai/sdxl:abc123')).toEqual({ kind: 'version', version: 'abc123' });
    expect(parseModelRef('black-forest-labs/flux-schnell')).toEqual({ kind: 'model', model: 'black-forest-labs/flux-schnell' });
    expect(parseModelRef('a'.repeat(64))).toEqual({ kind: 'version', version: 'a'.repeat(64) });
    expect(parseModelRef('sdxl')).toBeNull();
    expect(parseModelRef('a/b/c')).toBeNull();
  });
});

describe('failed predictions', () => {
  it.each([
    ['NSFW content detected. Try running it again, or try a different prompt.', 'safety'],
    ['Potential safety issue detected in output', 'safety'],
    ['Invalid input: width must be a multiple of 8', 'invalid_input'],
    ['CUDA error: out of memory', 'model_error'],
  ])('%s → %s', (error, reason) => {
    expect(fromFailedPrediction(error, 'p1').reason).toBe(reason);
  });
});

describe('input equality for adopting a lost prediction', () => {
  it('ignores key order but not values or extra keys', () => {
    expect(sameInput({ seed: 1, prompt: 'a' }, { prompt: 'a', seed: 1 })).toBe(true);
    expect(sameInput({ seed: 2, prompt: 'a' }, { prompt: 'a', seed: 1 })).toBe(false);
    expect(sameInput({ seed: 1, prompt: 'a', x: 1 }, { prompt: 'a', seed: 1 })).toBe(false);
    expect(sameInput(null, { prompt: 'a' })).toBe(false);
  });
});
