// A /batch of distinct prompts through the whole pipeline against the fake Replicate: one
// prediction per prompt, stored in PostgreSQL (job_prediction_part) before waiting, adopted
// after a lost create instead of paid twice; a prompt blocked for good is refunded alone; on the
// last attempt, the prompts that succeeded are delivered and charged even if another never ends.
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
  f.startWorker(createReplicateProvider({ token: fake.token, baseUrl: fake.baseUrl, pollIntervalMs: 10, timeoutMs: 2000, downloadRetryDelayMs: 5 }), {
    concurrency: 4,
  });
});
afterAll(async () => {
  await fake?.close();
});

async function runBatch(prompts: string[], scripts: Record<string, FakeScript>, price: number) {
  for (const [prompt, script] of Object.entries(scripts)) fake.scriptFor(prompt, script);
  const userId = newMember();
  await fund(f, userId, 100);
  const request = aRequest({
    prompt: prompts.join(' | '),
    prompts,
    count: prompts.length,
    model: 'sdxl',
    providerModelId: 'stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc',
  });
  const confirmed = await confirm(f, await quote(f, userId, price, request), userId);
  if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
  const job = await finished(f, confirmed.value.jobId, 30_000);
  const creates = fake.creates().filter((r) => prompts.includes(String((r.body as { input: { prompt: unknown } }).input.prompt)));
  const { rows: parts } = await f.database.sql.query(`SELECT part, prediction_id FROM job_prediction_part WHERE job_id = $1 ORDER BY part`, [job.id]);
  return { job, userId, creates, parts, charges: await chargesOf(f, job.id) };
}

describe('a batch of distinct prompts on Replicate', () => {
  it('a lost create is adopted on the retry: three prompts, three predictions, all delivered and charged once', async () => {
    const prompts = ['lost-create fox', 'lost-create whale', 'lost-create owl'];
    // The whale's first create reaches Replicate but its answer is lost; later creates answer.
    let dropped = false;
    fake.scriptFor('lost-create whale', { dropCreateResponse: true });
    const waitForDrop = (async () => {
      await waitFor(async () => fake.creates().some((r) => JSON.stringify(r.body).includes('lost-create whale')), 20_000, 'the dropped create');
      fake.scriptFor('lost-create whale', {});
      dropped = true;
    })();
    const { charges, creates, parts, userId } = await runBatch(prompts, {}, 9);
    await waitForDrop;
    expect(dropped).toBe(true);
    expect(creates.map((r) => (r.body as { input: { prompt: string } }).input.prompt)).toEqual(prompts);
    expect(parts).toEqual([0, 1, 2].map((part) => ({ part, prediction_id: expect.any(String) })));
    expect(new Set(parts.map((p) => p['prediction_id'])).size).toBe(3);
    expect(charges).toMatchObject({ status: 'succeeded', images_delivered: 3, credits_charged: 9, credits_refunded: 0 });
    expect(charges.attempts).toBeGreaterThanOrEqual(2);
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 91, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('a prompt blocked by the safety filter is left out and its share refunded; the rest are charged', async () => {
    const prompts = ['partial fox', 'partial whale', 'partial owl'];
    const { charges, creates, userId } = await runBatch(prompts, { 'partial whale': { outcome: 'nsfw' } }, 9);
    expect(creates).toHaveLength(3);
    expect(charges).toMatchObject({ status: 'partial', images_delivered: 2 });
    expect(charges.credits_charged + charges.credits_refunded).toBe(9);
    expect(charges.credits_refunded).toBeGreaterThan(0);
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 100 - charges.credits_charged, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('on the last attempt, a prompt that never finishes is refunded alone: the paid predictions that did are delivered', async () => {
    const prompts = ['last-try fox', 'last-try whale', 'last-try owl'];
    // The whale's prediction never ends: every attempt times out waiting for it (2 s here).
    const { charges, creates, parts, userId } = await runBatch(prompts, { 'last-try whale': { outcome: 'hang' } }, 9);
    // One prediction per prompt across all three attempts: retries resumed them.
    expect(creates).toHaveLength(3);
    expect(new Set(parts.map((p) => p['prediction_id'])).size).toBe(3);
    expect(charges).toMatchObject({ status: 'partial', images_delivered: 2, attempts: 3 });
    expect(charges.credits_charged + charges.credits_refunded).toBe(9);
    expect(charges.credits_charged).toBeGreaterThan(0);
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 100 - charges.credits_charged, held: 0 });
    // Given up on, the whale's prediction is canceled at Replicate (it would bill on), the others not.
    const whale = parts.find((p) => p['part'] === 1)!['prediction_id'] as string;
    const cancels = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/cancel')).map((r) => r.path);
    expect(cancels.filter((path) => parts.some((p) => path.includes(String(p['prediction_id']))))).toEqual([`/v1/predictions/${whale}/cancel`]);
    await expectLedgerConsistent(f.database);
  });
});
