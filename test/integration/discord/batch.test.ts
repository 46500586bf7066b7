// /batch through the real discord.js client against the fake Discord, on the real ledger, job
// store and queue: one discounted quote for n prompts, the tier's max batch, too few or too long
// prompts; then a batch run by a worker with the local provider, image i drawn from prompt i.
import { describe, expect, it } from 'vitest';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import type { ImageDelivery } from '../../../src/use-cases/ports/image-delivery.js';
import type { GeneratedImage } from '../../../src/use-cases/ports/image-provider.js';
import type { JobRecord } from '../../../src/use-cases/ports/job-store.js';
import { InMemoryPredictionStore } from '../../fakes/in-memory-prediction-store.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { buttonIds, contentOf, embedText } from '../../support/discord-payloads.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { finished, usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '230000000000000001';
const CHANNEL = '230000000000000002';
const STARTER_ROLE = '230000000000000003';
let sequence = 0;
const aMember = () => ({ id: `33000000000000${String(++sequence).padStart(4, '0')}`, username: `member${sequence}` });
type Member = ReturnType<typeof aMember>;
type Option = { name: string; type: number; value: string | number | boolean };

/** Keeps the images each job delivered, to check which prompt drew which image. */
class CapturingDelivery implements ImageDelivery {
  readonly images = new Map<string, readonly GeneratedImage[]>();
  async deliver(job: JobRecord, images: readonly GeneratedImage[]) {
    this.images.set(job.id, images);
    return { delivered: images.length };
  }
  async reportFailure() {}
  async reportProgress() {}
}

const f = usePipeline(3);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Batch Test', channelId: CHANNEL, starterRoleId: STARTER_ROLE });

async function batch(user: Member, prompts: string, options: Option[] = [], roles: string[] = [STARTER_ROLE]) {
  const callback = await env.fake
    .slashCommand({ guildId: GUILD, channelId: CHANNEL, user, roles, name: 'batch', options: [{ name: 'prompts', type: 3, value: prompts }, ...options] })
    .answer();
  return callback.data as Record<string, unknown>;
}
const generate = (user: Member, data: Record<string, unknown>) =>
  env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: buttonIds(data)[0]! }).answer();
const jobsOf = async (user: Member) =>
  (await f.database.sql.query(`SELECT id, price, request FROM generation_job WHERE user_id = $1`, [user.id])).rows as {
    id: string;
    price: number;
    request: Record<string, unknown>;
  }[];
const quotesOf = async (user: Member) => (await f.database.sql.query(`SELECT count(*)::int AS n FROM quote WHERE user_id = $1`, [user.id])).rows[0].n as number;

describe('/batch', () => {
  it('takes an aspect ratio as /imagine does, mapped to the model’s nearest size, but not beside a size', async () => {
    const user = aMember();
    const wide = await batch(user, 'a wide sea | a wide sky', [{ name: 'aspect', type: 3, value: '16:9' }]);
    expect(embedText(wide)).toContain('flux-schnell · 1344x768');
    const both = await batch(user, 'a sea | a sky', [
      { name: 'aspect', type: 3, value: '16:9' },
      { name: 'size', type: 3, value: '1024x1024' },
    ]);
    expect(contentOf(both)).toBe('Give either a `size` or an `aspect`, not both. Nothing was charged.');
    expect(await quotesOf(user)).toBe(1);
  });

  it('quotes n prompts as one discounted batch; Generate makes one job with one prompt per image', async () => {
    const user = aMember();
    const data = await batch(user, ' a red fox | a blue whale || | a green owl ', [{ name: 'seed', type: 4, value: 7 }]);
    expect(data['flags']).toBe(64);
    // flux-schnell 1024×1024 is 1.572864 a image (2 alone); 3 images cost ceil(1.572864 × 2.5) = 4, not 6.
    expect(embedText(data)).toContain('4 credits ($0.04)');
    expect(embedText(data)).toContain('×3');
    expect(embedText(data)).toContain('1. a red fox');
    expect(embedText(data)).toContain('3. a green owl');
    const click = await generate(user, data);
    expect(String((click.data as { content: string }).content)).toMatch(/^Confirmed: 4 credits held/);
    const jobs = await jobsOf(user);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.price).toBe(4);
    expect(jobs[0]!.request).toMatchObject({
      count: 3,
      seed: 7,
      prompts: ['a red fox', 'a blue whale', 'a green owl'],
      prompt: 'a red fox | a blue whale | a green owl',
    });
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 220 - 4, held: 4 });
    await expectLedgerConsistent(f.database);
  });

  it('uses the member defaults and auto-confirm like /imagine', async () => {
    const user = aMember();
    await env.fake
      .slashCommand({
        guildId: GUILD,
        channelId: CHANNEL,
        user,
        roles: [STARTER_ROLE],
        name: 'settings',
        options: [
          { name: 'model', type: 3, value: 'sdxl' },
          { name: 'auto-confirm', type: 4, value: 20 },
        ],
      })
      .answer();
    const data = await batch(user, 'one | two');
    // sdxl 1024×1024: 4 × 1.048576 = 4.194304 a image (5 alone); 2 cost ceil(4.194304 × 1.8) = 8.
    expect(contentOf(data)).toMatch(/^Auto-confirmed under your 20-credit threshold.*: 8 credits held/);
    const [job] = await jobsOf(user);
    expect(job!.request).toMatchObject({ model: 'sdxl', count: 2, prompts: ['one', 'two'] });
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 220 - 8, held: 8 });
    await expectLedgerConsistent(f.database);
  });

  it('over the tier limit: refused with the tier that allows more, nothing quoted or held', async () => {
    const starter = aMember();
    const refused = await batch(starter, 'a | b | c | d | e');
    expect(contentOf(refused)).toBe('Your tier (Starter) allows up to 4 images at once (you asked for 5). The Pro tier allows 8.');
    expect(buttonIds(refused)).toEqual([]);
    const untiered = aMember();
    expect(contentOf(await batch(untiered, 'a | b', [], []))).toMatch(
      /Your tier \(No tier\) allows up to 1 image at once \(you asked for 2\). The Starter tier allows 4\./,
    );
    for (const user of [starter, untiered]) {
      expect(await quotesOf(user)).toBe(0);
      expect((await f.ledger.balance(user.id, GUILD)).held).toBe(0);
      expect(await jobsOf(user)).toEqual([]);
    }
    await expectLedgerConsistent(f.database);
  });

  it('too few prompts suggests /imagine; a prompt over the length limit is named; more than 64 prompts are refused; nothing is quoted', async () => {
    const user = aMember();
    for (const prompts of ['just one', ' | only one | ', '| |']) {
      const data = await batch(user, prompts);
      expect(data['flags']).toBe(64);
      expect(contentOf(data)).toMatch(/at least two prompts separated by \|.*use \/imagine/);
    }
    const long = await batch(user, `short | ${'x'.repeat(1501)}`);
    expect(contentOf(long)).toBe('Prompt 2 is 1501 characters long; each prompt may have at most 1500.');
    // 6000 characters of "a|a|…" would be 3000 prompts for moderation to check one by one.
    expect(contentOf(await batch(user, Array.from({ length: 65 }, () => 'a').join('|')))).toBe(
      'A batch may have at most 64 prompts (you gave 65); your tier’s limit may be lower (see /pricing).',
    );
    expect(contentOf(await batch(user, Array.from({ length: 64 }, () => 'a').join('|')))).toMatch(/Your tier \(Starter\) allows up to 4 images/);
    expect(await quotesOf(user)).toBe(0);
    expect((await f.ledger.balance(user.id, GUILD)).held).toBe(0);
  });

  it('a prompt of only invisible characters is named and refused before any credit moves; a blank negative prompt is dropped', async () => {
    const user = aMember();
    const data = await batch(user, 'a red fox | \u200b\u200d | a blue whale');
    expect(data).toMatchObject({
      flags: 64,
      content: expect.stringMatching(/^Prompt 2 of your batch is empty once invisible characters .* Nothing was charged\.$/),
    });
    expect(buttonIds(data)).toEqual([]);
    expect(await quotesOf(user)).toBe(0);
    expect(await f.database.sql.query(`SELECT 1 FROM ledger_entry WHERE user_id = $1`, [user.id])).toMatchObject({ rowCount: 0 });

    const quoted = await batch(user, 'a red fox | a blue whale', [{ name: 'negative', type: 3, value: '\u2060\u200b' }]);
    expect(embedText(quoted)).toContain('credits');
    const { rows } = await f.database.sql.query(`SELECT request FROM quote WHERE user_id = $1`, [user.id]);
    expect(rows).toEqual([{ request: expect.objectContaining({ prompts: ['a red fox', 'a blue whale'] }) }]);
    expect(rows[0].request).not.toHaveProperty('negativePrompt');
  });

  it('runs through a worker: N images delivered together, image i drawn from prompt i, all captured', async () => {
    const delivery = new CapturingDelivery();
    const provider = createLocalProvider();
    f.startWorker(provider, { delivery });
    const user = aMember();
    const prompts = ['a lighthouse', 'a teapot', 'a comet', 'a maple leaf'];
    const data = await batch(user, prompts.join(' | '), [
      { name: 'seed', type: 4, value: 100 },
      { name: 'size', type: 3, value: '1024x1024' },
    ]);
    await generate(user, data);
    const [job] = await jobsOf(user);
    const done = await finished(f, job!.id);
    expect(done.status).toBe('succeeded');
    const images = delivery.images.get(job!.id)!;
    expect(images.map((image) => image.index)).toEqual([0, 1, 2, 3]);
    // Each delivered image is exactly what the provider draws for that prompt alone (seed + i).
    for (const [i, prompt] of prompts.entries()) {
      const alone = await provider.generate(
        {
          jobId: `expected-${i}`,
          model: { name: 'flux-schnell', providerModelId: 'black-forest-labs/flux-schnell' },
          operation: 'txt2img',
          prompt,
          width: 1024,
          height: 1024,
          steps: 4,
          count: 1,
          seed: 100 + i,
        },
        { predictions: new InMemoryPredictionStore() },
      );
      expect(images[i]!.data.equals(alone.images[0]!.data), `image ${i} is drawn from "${prompt}"`).toBe(true);
    }
    expect(images[0]!.data.equals(images[1]!.data)).toBe(false);
    // 4 images at 1.572864 each: ceil(1.572864 × 3) = 5, all captured.
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 220 - 5, held: 0 });
    const { rows } = await f.database.sql.query(`SELECT images_delivered, credits_charged, credits_refunded FROM generation_job WHERE id = $1`, [job!.id]);
    expect(rows[0]).toEqual({ images_delivered: 4, credits_charged: 5, credits_refunded: 0 });
    await expectLedgerConsistent(f.database);
  });
});
