// An edit job through the whole pipeline against the fake Replicate: the worker fetches the source
// when the job runs, sends FLUX.1 Fill the canvas and mask, and settles exactly — charged its
// quote when delivered, refunded in full when the model fails.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planEdit } from '../../../src/domain/edits/edit-geometry.js';
import type { ImageEdit } from '../../../src/domain/edits/image-edit.js';
import { createReplicateProvider } from '../../../src/providers/replicate-provider.js';
import { FakeReplicate, type FakeScript } from '../../fakes/fake-replicate.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { aRequest, chargesOf, confirm, finished, fund, guildId, newMember, quote, usePipeline } from '../../support/pipeline-fixture.js';

const f = usePipeline(1);
let fake: FakeReplicate;
beforeAll(async () => {
  fake = await FakeReplicate.start();
  f.startWorker(
    createReplicateProvider({
      token: fake.token,
      baseUrl: fake.baseUrl,
      pollIntervalMs: 10,
      timeoutMs: 2000,
      downloadRetryDelayMs: 5,
      allowedSourceHosts: ['127.0.0.1'],
      allowedSourceProtocols: ['http:'],
    }),
  );
});
afterAll(async () => {
  await fake?.close();
});

async function runEdit(prompt: string, edit: ImageEdit, script: FakeScript, price: number) {
  fake.scriptFor(prompt, script);
  const planned = planEdit(edit);
  if (!planned.ok) throw new Error(planned.error.code);
  const userId = newMember();
  await fund(f, userId, 100);
  const request = aRequest({
    prompt,
    model: 'flux-fill',
    providerModelId: 'black-forest-labs/flux-fill-dev',
    operation: planned.value.operation,
    width: planned.value.canvas.width,
    height: planned.value.canvas.height,
    steps: 28,
    sourceImageUrl: fake.sourceUrl('ok.png'),
    edit,
  });
  const confirmed = await confirm(f, await quote(f, userId, price, request), userId);
  if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
  const job = await finished(f, confirmed.value.jobId, 30_000);
  const creates = fake.creates().filter((r) => JSON.stringify(r.body).includes(prompt));
  return { job, charges: await chargesOf(f, job.id), balance: await f.ledger.balance(userId, guildId), creates };
}

describe('edits against the fake Replicate', () => {
  it('a 2× zoom of 1024² sends a 2048² canvas and mask, one prediction, and charges exactly its quote', async () => {
    const { charges, balance, creates } = await runEdit(
      'zoom harbour',
      { kind: 'zoom', factor: 2, sourceWidth: 1024, sourceHeight: 1024 },
      { outcome: 'succeeded' },
      13,
    );
    expect(charges).toMatchObject({ status: 'succeeded', images_delivered: 1, credits_charged: 13, credits_refunded: 0 });
    expect(balance).toMatchObject({ available: 87, held: 0 });
    expect(creates).toHaveLength(1);
    expect(creates[0]?.path).toBe('/v1/models/black-forest-labs/flux-fill-dev/predictions');
    const input = (creates[0]?.body as { input: { image: string; mask: string; num_outputs: number } }).input;
    const size = async (dataUrl: string) => {
      const { width, height } = await sharp(Buffer.from(dataUrl.split(',')[1]!, 'base64')).metadata();
      return [width, height];
    };
    expect(await size(input.image)).toEqual([2048, 2048]);
    expect(await size(input.mask)).toEqual([2048, 2048]);
    expect(input.num_outputs).toBe(1);
  });

  it('a model error on an edit refunds it in full', async () => {
    const { charges, balance } = await runEdit(
      'region fails',
      { kind: 'region', region: 'centre', sourceWidth: 1024, sourceHeight: 1024 },
      { outcome: 'failed', error: 'CUDA out of memory' },
      2,
    );
    expect(charges).toMatchObject({ status: 'failed', credits_charged: 0, credits_refunded: 2, failure_reason: 'model_error' });
    expect(balance).toMatchObject({ available: 100, held: 0 });
  });

  it('a source that is gone when the job runs ends it with a refund, before any prediction', async () => {
    fake.scriptFor('pan gone', { outcome: 'succeeded' });
    const userId = newMember();
    await fund(f, userId, 100);
    const request = aRequest({
      prompt: 'pan gone',
      model: 'flux-fill',
      providerModelId: 'black-forest-labs/flux-fill-dev',
      operation: 'outpaint',
      sourceImageUrl: fake.sourceUrl('gone.png'),
      edit: { kind: 'pan', direction: 'left', sourceWidth: 1024, sourceHeight: 1024 },
    });
    const confirmed = await confirm(f, await quote(f, userId, 3, request), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const job = await finished(f, confirmed.value.jobId, 30_000);
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'failed', credits_refunded: 3, failure_reason: 'source_image' });
    expect(fake.creates().filter((r) => JSON.stringify(r.body).includes('pan gone'))).toHaveLength(0);
  });

  it('leaves the ledger consistent', async () => {
    await expectLedgerConsistent(f.database);
  });
});
