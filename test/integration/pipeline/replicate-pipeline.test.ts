// The whole pipeline against a fake Replicate speaking its HTTP API, driven through the real
// `replicate` client: every path must end with the ledger exact — charged once for what was
// delivered, refunded otherwise, never both — and with one prediction per job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplicateProvider } from '../../../src/providers/replicate-provider.js';
import { FakeReplicate, type FakeScript } from '../../fakes/fake-replicate.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { aRequest, chargesOf, confirm, finished, fund, guildId, newMember, quote, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const f = usePipeline(3);
let fake: FakeReplicate;
beforeAll(async () => {
  fake = await FakeReplicate.start();
  f.startWorker(
    createReplicateProvider({ token: fake.token, baseUrl: fake.baseUrl, pollIntervalMs: 10, timeoutMs: 400, downloadRetryDelayMs: 5, usdPerSecond: 0.001 }),
    { concurrency: 8 },
  );
});
afterAll(async () => {
  await fake?.close();
});

async function runScripted(prompt: string, script: FakeScript, count = 1, price = 30) {
  fake.scriptFor(prompt, script);
  const userId = newMember();
  await fund(f, userId, 100);
  const confirmed = await confirm(
    f,
    await quote(
      f,
      userId,
      price,
      aRequest({ prompt, count, model: 'sdxl', providerModelId: 'stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc' }),
    ),
    userId,
  );
  if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
  const job = await finished(f, confirmed.value.jobId, 30_000);
  const creates = fake.creates().filter((request) => JSON.stringify(request.body).includes(prompt)).length;
  return { job, charges: await chargesOf(f, job.id), balance: await f.ledger.balance(userId, guildId), creates };
}

describe('the pipeline against a fake Replicate', () => {
  it('succeeds: images delivered, charged once, one prediction, provider cost recorded', async () => {
    const { charges, balance, creates } = await runScripted('replicate ok', { outcome: 'succeeded', polls: 2, predictTime: 2.5 }, 2);
    expect(charges).toMatchObject({
      status: 'succeeded',
      images_delivered: 2,
      credits_charged: 30,
      credits_refunded: 0,
      predict_time_seconds: 2.5,
      provider_cost_usd: 0.0025,
    });
    expect(charges.prediction_id).toMatch(/\w+/);
    expect(balance).toMatchObject({ available: 70, held: 0 });
    expect(creates).toBe(1);
  });

  it('a model error refunds at once', async () => {
    const { charges, balance, creates } = await runScripted('replicate fails', { outcome: 'failed', error: 'CUDA out of memory' });
    expect(charges).toMatchObject({ status: 'failed', credits_charged: 0, credits_refunded: 30, attempts: 1, failure_reason: 'model_error' });
    expect(balance).toMatchObject({ available: 100, held: 0 });
    expect(creates).toBe(1);
  });

  it('an NSFW block refunds at once and says so plainly', async () => {
    const { job, charges, balance } = await runScripted('replicate nsfw', { outcome: 'nsfw' });
    expect(charges).toMatchObject({ status: 'failed', credits_refunded: 30, attempts: 1, failure_reason: 'safety' });
    expect(f.delivery.failures.get(job.id)?.message).toMatch(/safety/i);
    expect(balance.available).toBe(100);
  });

  it('a 429 on create is retried after its Retry-After, then succeeds and charges once', async () => {
    fake.scriptFor('replicate 429', { createError: { status: 429, retryAfter: '1' } });
    const userId = newMember();
    await fund(f, userId, 100);
    const confirmed = await confirm(f, await quote(f, userId, 30, aRequest({ prompt: 'replicate 429' })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    // Lift the rate limit once the first create was refused.
    await waitFor(async () => fake.creates().some((r) => JSON.stringify(r.body).includes('replicate 429')), 2000, 'the first create');
    fake.scriptFor('replicate 429', { outcome: 'succeeded' });
    const job = await finished(f, confirmed.value.jobId, 30_000);
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'succeeded', credits_charged: 30, attempts: 2 });
    expect(fake.creates().filter((r) => JSON.stringify(r.body).includes('replicate 429'))).toHaveLength(2); // one refused, one made
    expect(fake.predictionIds().length).toBeGreaterThan(0);
  });

  it('500s while polling are retried on the same prediction', async () => {
    const { charges, creates } = await runScripted('replicate flaky', { getErrors: 3, polls: 2 });
    expect(charges).toMatchObject({ status: 'succeeded', credits_charged: 30 });
    expect(creates).toBe(1);
  });

  it('a prediction that hangs is retried by resuming it, then refunded after the last attempt — and canceled at Replicate', async () => {
    const { charges, balance, creates } = await runScripted('replicate hangs', { outcome: 'hang' });
    expect(charges).toMatchObject({ status: 'failed', credits_refunded: 30, attempts: 3, failure_reason: 'timeout' });
    expect(balance).toMatchObject({ available: 100, held: 0 });
    expect(creates).toBe(1);
    // Only the last attempt gives up on it; the earlier ones hand it to the next attempt running.
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/predictions/${charges.prediction_id}/cancel`)).toHaveLength(1);
  });

  it('an aborted or canceled prediction ends the job with a refund', async () => {
    for (const outcome of ['aborted', 'canceled'] as const) {
      const { charges, balance } = await runScripted(`replicate ${outcome}`, { outcome });
      expect(charges).toMatchObject({ status: 'failed', credits_refunded: 30, attempts: 1, failure_reason: outcome });
      expect(balance.available).toBe(100);
    }
  });

  it('a batch with a missing output charges only the delivered images', async () => {
    const { charges, balance } = await runScripted('replicate partial', { outputs: ['ok', 'missing', 'ok', 'ok'] }, 4, 30);
    expect(charges).toMatchObject({ status: 'partial', images_delivered: 3, credits_charged: 22, credits_refunded: 8 });
    expect(balance).toMatchObject({ available: 78, held: 0 });
  });

  it('leaves the ledger consistent after all of the above', async () => {
    await expectLedgerConsistent(f.database);
  });
});
