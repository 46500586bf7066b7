// An edit end to end with Replicate: the real bot on the fake Discord, a worker on the Replicate
// provider against the fake Replicate. The quote comes from the card, the source is fetched from
// the job message when the edit runs, FLUX.1 Fill gets the canvas and mask, the result lands on
// the edit's own job message and the quote is charged; a failed prediction is refunded.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgGuildSettingsStore } from '../../../src/db/guild-settings-store.js';
import type { createBot } from '../../../src/discord/bot.js';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { createReplicateProvider } from '../../../src/providers/replicate-provider.js';
import { FakeDiscord, type Json } from '../../../src/playground/local-discord/fake-discord.js';
import { FakeReplicate } from '../../fakes/fake-replicate.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { buttonIds, contentOf, embedText } from '../../support/discord-payloads.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { finished, jobOfGenerate, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '240000000000000001';
const CHANNEL = '240000000000000002';
const STARTER_ROLE = '240000000000000003';
const owner = { id: '340000000000000001', username: 'painter' };
const actor = { guildId: GUILD, channelId: CHANNEL, user: owner, roles: [STARTER_ROLE] };

const f = usePipeline(1);
let fake: FakeDiscord;
let replicate: FakeReplicate;
let bot: ReturnType<typeof createBot>;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  replicate = await FakeReplicate.start();
  fake.addGuild({
    id: GUILD,
    name: 'Replicate Edits',
    channels: [{ id: CHANNEL, name: 'art', type: 0 }],
    roles: [{ id: STARTER_ROLE, name: 'Starter', permissions: '0' }],
  });
  await createPgGuildSettingsStore(f.database.db.prisma).setRoleTier(GUILD, STARTER_ROLE, 'starter', 'test-admin');
  bot = await startTestBot(f, fake, await loadPriceCardOrThrow());
  f.startWorker(
    createReplicateProvider({
      token: replicate.token,
      baseUrl: replicate.baseUrl,
      pollIntervalMs: 10,
      downloadRetryDelayMs: 5,
      // The fake Discord's CDN is on 127.0.0.1 over http.
      allowedSourceHosts: ['127.0.0.1'],
      allowedSourceProtocols: ['http:'],
    }),
    { delivery: createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, jobs: f.jobs, progressEveryMs: 500 }) },
  );
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await replicate?.close();
});

const click = (customId: string) => fake.buttonClick({ ...actor, customId }).answer();
async function generate(quoteData: unknown) {
  const generateId = buttonIds(quoteData).find((id) => id.startsWith('quote:generate:'))!;
  expect(contentOf((await click(generateId)).data)).toMatch(/^Confirmed/);
  return jobOfGenerate(f, generateId);
}
const delivered = (messageId: string) =>
  fake.waitForMessage((m) => m.messageId === messageId && m.action === 'edit' && m.files.length > 0 && buttonIds(m.payload).length > 0, 20_000);

let original: { jobId: string; messageId: string };

describe('an edit on Replicate, through Discord', () => {
  it('Pan left: quoted from the card, FLUX.1 Fill gets the 1024² canvas and mask, the result lands on its message, the quote is charged', async () => {
    const imagine = await fake.slashCommand({ ...actor, name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a lake at dawn' } as Json] }).answer();
    original = await generate(imagine.data);
    await delivered(original.messageId);
    await finished(f, original.jobId);
    await waitFor(async () => (await f.ledger.balance(owner.id, GUILD)).held === 0, 5000, 'the first settlement');
    const before = await f.ledger.balance(owner.id, GUILD);

    const quoted = await click(`edit:pan:${original.jobId}:1:left`);
    expect(embedText(quoted.data)).toContain('flux-fill 4/MP × 0.52 MP added to 1024x1024 × 28/28 steps × outpaint 1 = 3 credits ($0.03)');
    const pan = await generate(quoted.data);
    const result = await delivered(pan.messageId);
    expect(result.files).toHaveLength(1);

    const create = replicate.creates().find((r) => r.path === '/v1/models/black-forest-labs/flux-fill-dev/predictions')!;
    const input = (create.body as { input: Record<string, string | number> }).input;
    expect(input).toMatchObject({ prompt: 'a lake at dawn', num_outputs: 1, num_inference_steps: 28, megapixels: 'match_input' });
    const mask = await sharp(Buffer.from(String(input['mask']).split(',')[1]!, 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([mask.info.width, mask.info.height]).toEqual([1024, 1024]);
    // Pan left: the left half is new (white), the right half is the old left half (black).
    expect([mask.data[100 * 1024 + 10], mask.data[100 * 1024 + 1000]]).toEqual([255, 0]);

    expect((await finished(f, pan.jobId)).status).toBe('succeeded');
    await waitFor(async () => (await f.ledger.balance(owner.id, GUILD)).held === 0, 5000, 'the settlement');
    expect((await f.ledger.balance(owner.id, GUILD)).available).toBe(before.available - 3);
  });

  it('a prediction that fails refunds the edit in full and says so on its message', async () => {
    replicate.scriptFor('a burning lake', { outcome: 'failed', error: 'CUDA out of memory' });
    const before = await f.ledger.balance(owner.id, GUILD);
    const quoted = await fake
      .modalSubmit({ ...actor, customId: `edit:region-modal:${original.jobId}:1:centre`, fields: { prompt: 'a burning lake' } })
      .answer();
    expect(embedText(quoted.data)).toContain('0.26 MP repainted of 1024x1024');
    const region = await generate(quoted.data);
    expect((await finished(f, region.jobId)).status).toBe('failed');
    await waitFor(async () => (await f.ledger.balance(owner.id, GUILD)).held === 0, 5000, 'the refund');
    expect((await f.ledger.balance(owner.id, GUILD)).available).toBe(before.available);
    const message = await fake.waitForMessage((m) => m.messageId === region.messageId && String(m.message['content']).includes('❌'), 10_000);
    expect(String(message.message['content'])).toContain('credits back in your balance');
  });

  it('leaves the ledger consistent', async () => {
    await expectLedgerConsistent(f.database);
  });
});
