// Real worker processes, killed with SIGKILL mid-job: the job must still be delivered and charged
// exactly once (or refunded), with no second paid prediction.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeReplicate } from '../../fakes/fake-replicate.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { aRequest, chargesOf, confirm, finished, fund, guildId, newMember, quote, usePipeline } from '../../support/pipeline-fixture.js';
import { redisUrl } from '../../support/redis.js';
import { waitFor } from '../../support/wait-for.js';

const root = path.resolve(import.meta.dirname, '../../..');
const f = usePipeline(5);
let fake: FakeReplicate;
let deliveryFile: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await FakeReplicate.start();
  deliveryFile = path.join(await mkdtemp(path.join(tmpdir(), 'crash-')), 'deliveries.jsonl');
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await fake?.close();
});

function startWorker(workerId: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/support/worker-process.ts')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: f.database.url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: f.prefix,
        WORKER_ID: workerId,
        PROVIDER: 'replicate',
        REPLICATE_API_URL: fake.baseUrl,
        REPLICATE_API_TOKEN: fake.token,
        POLL_MS: '100',
        DELIVERY_FILE: deliveryFile,
        LEASE_MS: '1500',
        LOCK_MS: '1500',
        CONCURRENCY: '2',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.on('exit', (code, signal) => signal === null && reject(new Error(`worker ${workerId} exited with ${code}`)));
  });
}

describe('a worker killed mid-job', () => {
  it('resumes the same prediction on another worker and charges once', async () => {
    const prompt = 'survives a crash';
    fake.scriptFor(prompt, { outcome: 'succeeded', polls: 40 });
    const userId = newMember();
    await fund(f, userId, 100);
    const first = await startWorker('doomed');
    const confirmed = await confirm(f, await quote(f, userId, 30, aRequest({ prompt, count: 2 })), userId);
    if (!confirmed.ok) throw new Error('confirm failed');
    const jobId = confirmed.value.jobId;

    // Kill it once the paid prediction exists and is being waited on.
    await waitFor(async () => (await chargesOf(f, jobId)).prediction_id, 20_000, 'the stored prediction id');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect((await f.jobs.get(jobId))?.status).toBe('running');

    await startWorker('rescuer');
    const job = await finished(f, jobId, 40_000);
    expect(await chargesOf(f, job.id)).toMatchObject({ status: 'succeeded', images_delivered: 2, credits_charged: 30, credits_refunded: 0 });
    expect(fake.creates().filter((r) => JSON.stringify(r.body).includes(prompt))).toHaveLength(1);
    const deliveries = (await readFile(deliveryFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { jobId: string; worker: string });
    expect(deliveries.filter((d) => d.jobId === jobId)).toEqual([expect.objectContaining({ jobId, worker: 'rescuer' })]);
    expect(await f.ledger.balance(userId, guildId)).toMatchObject({ available: 70, held: 0 });
    await expectLedgerConsistent(f.database);
  });
});
