import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { aGenerationRequest } from '../../factories/generation-request.js';
import { useReplicate } from './replicate-fixture.js';

const f = useReplicate();

describe('replicate provider: delivering outputs', () => {
  it('a batch is one prediction with num_outputs, downloaded as real images in order', async () => {
    const { result } = await f.generate(aGenerationRequest({ count: 4 }));
    expect(f.fake.creates()).toHaveLength(1);
    expect(f.fake.creates()[0]?.body).toMatchObject({ input: { num_outputs: 4 } });
    expect(result.images.map((i) => [i.index, i.contentType])).toEqual([0, 1, 2, 3].map((n) => [n, 'image/png']));
    const sizes = await Promise.all(result.images.map(async (i) => (await sharp(i.data).metadata()).width));
    expect(sizes).toEqual([16, 16, 16, 16]);
  });

  it('accepts an output that is a single URL rather than a list', async () => {
    f.fake.script({ outputAsString: true });
    const { result } = await f.generate(aGenerationRequest());
    expect(result.images).toHaveLength(1);
  });

  it('ignores outputs beyond the count asked for', async () => {
    f.fake.script({ outputs: ['ok', 'ok', 'ok'] });
    const { result } = await f.generate(aGenerationRequest({ count: 2 }));
    expect(result.images).toHaveLength(2);
  });

  it('delivers the outputs that downloaded when others are missing or not images, and says which failed', async () => {
    f.fake.script({ outputs: ['ok', 'missing', 'ok', 'not-image'] });
    const warn = vi.fn();
    const { result } = await f.generate(aGenerationRequest({ count: 4 }), { logger: { info: () => {}, warn } });
    expect(result.images.map((i) => i.index)).toEqual([0, 2]);
    expect(warn.mock.calls.map(([fields]) => (fields as { failure: { index: number } }).failure.index)).toEqual([1, 3]);
  });

  it('abandons an output over maxImageBytes, whether or not its size is declared', async () => {
    f.fake.script({ outputs: ['oversize', 'oversize-chunked', 'ok'] });
    const { result } = await f.generate(aGenerationRequest({ count: 3 }), { maxImageBytes: 64 * 1024 });
    expect(result.images.map((i) => i.index)).toEqual([2]);
  });

  it('an output of exactly maxImageBytes is delivered', async () => {
    const probe = await f.generate(aGenerationRequest());
    const size = probe.result.images[0]?.data.length ?? 0;
    const { result } = await f.generate(aGenerationRequest(), { maxImageBytes: size });
    expect(result.images).toHaveLength(1);
    expect(await f.failure(aGenerationRequest(), { maxImageBytes: size - 1 })).toMatchObject({ reason: 'model_error' });
  });

  it('no deliverable output at all is a permanent model_error', async () => {
    f.fake.script({ outputs: ['missing', 'not-image'] });
    const error = await f.failure(aGenerationRequest({ count: 2 }));
    expect([error.reason, error.transient]).toEqual(['model_error', false]);
  });

  it('outputs that keep failing with 5xx are retried, then a transient server_error', async () => {
    f.fake.script({ outputs: ['server-error'] });
    const error = await f.failure(aGenerationRequest());
    expect([error.reason, error.transient]).toEqual(['server_error', true]);
    expect(f.fake.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(3);
  });

  it('a download that stalls is abandoned after downloadTimeoutMs and retried', async () => {
    f.fake.script({ outputs: ['stall', 'ok'] });
    const started = performance.now();
    const { result } = await f.generate(aGenerationRequest({ count: 2 }), { downloadTimeoutMs: 100 });
    expect(result.images.map((i) => i.index)).toEqual([1]);
    expect(f.fake.requests.filter((r) => r.path.endsWith('/0.png'))).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('prices the run from predict time when a rate is configured', async () => {
    f.fake.script({ predictTime: 3 });
    const { result } = await f.generate(aGenerationRequest(), { usdPerSecond: 0.001 });
    expect(result.predictTimeSeconds).toBe(3);
    expect(result.providerCostUsd).toBeCloseTo(0.003, 10);
  });

  it('leaves the cost unknown without a rate', async () => {
    const { result } = await f.generate(aGenerationRequest());
    expect(result.providerCostUsd).toBeNull();
    expect(result.predictTimeSeconds).toBe(2.5);
  });
});
