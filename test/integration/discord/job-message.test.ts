// The public job message through the real discord.js bot, the fake Discord and a worker on the
// local provider: queued (position) → progress → images on one message; the 2×2 grid with
// U1–U4 / V1–V4; upscale and variations as new quoted jobs from a delivered image; img2img from
// an uploaded attachment; re-encoding to fit the upload limit; a deleted message reposted; a
// failure edited to the refund; /show job after a bot restart. The ledger is checked at the end.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgGuildSettingsStore } from '../../../src/db/guild-settings-store.js';
import type { createBot } from '../../../src/discord/bot.js';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import { ProviderError, type ImageProvider } from '../../../src/use-cases/ports/image-provider.js';
import { FakeDiscord, type Json, type RecordedMessage } from '../../../src/playground/local-discord/fake-discord.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { buttonIds, buttonLabels, embedText } from '../../support/discord-payloads.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { finished, jobOfGenerate, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '220000000000000001';
const CHANNEL = '220000000000000002';
const STARTER_ROLE = '220000000000000003';
const UPLOAD_LIMIT = 1024 * 1024;
let sequence = 0;
const aMember = () => ({ id: `32000000000000${String(++sequence).padStart(4, '0')}`, username: `member${sequence}` });
type Member = ReturnType<typeof aMember>;

const f = usePipeline(2);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
let card: PriceCard;

/** The local provider (reading sources from the fake's CDN), slowed, failing or noisy by prompt. */
function scriptedLocalProvider(): ImageProvider {
  const sourcePolicy = { allowedSourceHosts: ['127.0.0.1'], allowedSourceProtocols: ['http:'] };
  const fast = createLocalProvider(sourcePolicy);
  const slow = createLocalProvider({ ...sourcePolicy, delayMs: 2400 });
  const flakyCalls = new Map<string, number>();
  return {
    name: 'local',
    async generate(request, context) {
      if (request.prompt.includes('forbidden')) throw new ProviderError('safety', 'The image was blocked by the safety filter. Your credits were refunded.');
      if (request.prompt.includes('flaky')) {
        const calls = (flakyCalls.get(request.jobId) ?? 0) + 1;
        flakyCalls.set(request.jobId, calls);
        context.onProgress?.({ percent: 50 });
        if (calls === 1) throw new ProviderError('server_error', 'The image service had a problem.');
      }
      if (request.prompt.includes('noise')) {
        // Random pixels do not compress: a 1024×1024 PNG of about 3 MiB, over the upload limit.
        const data = await sharp(randomBytes(1024 * 1024 * 3), { raw: { width: 1024, height: 1024, channels: 3 } })
          .png()
          .toBuffer();
        return { images: [{ index: 0, data, contentType: 'image/png' }], providerCostUsd: 0, predictTimeSeconds: 0, providerPredictionId: null };
      }
      if (request.prompt.includes('half')) {
        // A batch the provider could only partly make: the first image of each pair.
        const made = await fast.generate(request, context);
        return { ...made, images: made.images.filter((_, i) => i % 2 === 0) };
      }
      return (request.prompt.includes('slow') ? slow : fast).generate(request, context);
    },
  };
}

beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  fake = await FakeDiscord.start();
  fake.addGuild({
    id: GUILD,
    name: 'Job Test',
    channels: [{ id: CHANNEL, name: 'art', type: 0 }],
    roles: [{ id: STARTER_ROLE, name: 'Starter', permissions: '0' }],
  });
  await createPgGuildSettingsStore(f.database.db.prisma).setRoleTier(GUILD, STARTER_ROLE, 'starter', 'test-admin');
  bot = await startTestBot(f, fake, card);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

const content = (message: RecordedMessage) => String(message.message['content']);

async function quoteFor(user: Member, options: Json[], roles: string[] = [], resolved?: Json) {
  const handle = fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, roles, name: 'imagine', options, ...(resolved ? { resolved } : {}) });
  return (await handle.answer()).data as Record<string, unknown>;
}

/** Presses Generate on a quote; returns the job and its public message id. */
async function generate(user: Member, quoteData: Record<string, unknown>, roles: string[] = []) {
  const generateId = buttonIds(quoteData).find((id) => id.startsWith('quote:generate:'))!;
  const click = await fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, roles, customId: generateId }).answer();
  expect(String((click.data as { content: string }).content)).toMatch(/^Confirmed/);
  return jobOfGenerate(f, generateId);
}

const prompt = (value: string): Json => ({ name: 'prompt', type: 3, value });
const resultOf = (messageId: string, timeoutMs = 20_000) =>
  fake.waitForMessage((m) => m.messageId === messageId && m.action === 'edit' && m.files.length > 0 && buttonIds(m.payload).length > 0, timeoutMs);
const dimensions = async (data: Buffer) => {
  const { width, height, format } = await sharp(data).metadata();
  return { width, height, format };
};

let gridJob: { jobId: string; messageId: string; owner: Member };

describe('the job message', () => {
  it('is posted queued with its position, then edited to progress and to the images — one message throughout', async () => {
    const first = aMember();
    const second = aMember();
    const a = await generate(first, await quoteFor(first, [prompt('slow lighthouse')]));
    const b = await generate(second, await quoteFor(second, [prompt('slow harbour')]));
    expect(content(await fake.waitForMessage((m) => m.messageId === a.messageId && m.action === 'create'))).toMatch(/^<@\d+>’s job — queued, next up/);
    const queued = await fake.waitForMessage((m) => m.messageId === b.messageId && m.action === 'create');
    expect(content(queued)).toMatch(/queued, position 1 \(1 job ahead\)/);
    expect(content(queued)).toContain('slow harbour');

    f.startWorker(scriptedLocalProvider(), {
      delivery: createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, jobs: f.jobs, progressEveryMs: 500, maxUploadBytes: UPLOAD_LIMIT }),
      availableCredits: async (job) => (await f.ledger.balance(job.userId, job.guildId)).available,
    });
    const result = await resultOf(b.messageId);
    const history = fake.messages.filter((m) => m.messageId === b.messageId).map(content);
    expect(history[0]).toMatch(/queued/);
    expect(history.some((text) => /Generating… \d+%/.test(text))).toBe(true);
    // The finished job says what it cost and the balance after it (issue 14.9).
    const [, cost, after] = /— done · (\d+) credits? · balance (\d+)/.exec(history.at(-1)!) ?? [];
    const job = await f.jobs.get(b.jobId);
    expect(Number(cost)).toBe(job!.price);
    await waitFor(async () => (await f.ledger.balance(second.id, GUILD)).held === 0, 5000, 'the settlement');
    expect(Number(after)).toBe((await f.ledger.balance(second.id, GUILD)).available);
    // Throttled: the provider reports four steps in 2.4 s, edits stay ≥ 0.5 s apart.
    expect(history.filter((text) => text.includes('Generating')).length).toBeLessThanOrEqual(5);
    // No second message was posted for this job, and every write went through the Generate
    // interaction's webhook (its own rate-limit budget), none through the busy channel.
    expect(fake.messages.filter((m) => m.action === 'create' && content(m).includes('slow harbour'))).toHaveLength(1);
    expect(new Set(fake.messages.filter((m) => m.messageId === b.messageId).map((m) => m.via))).toEqual(new Set(['interaction']));
    expect(result.files).toHaveLength(1);
    expect(buttonIds(result.payload)).toEqual([
      `job:upscale:${b.jobId}:1`,
      `job:variation:${b.jobId}:1`,
      `job:reroll:${b.jobId}`,
      `job:keep:${b.jobId}`,
      `edit:open:${b.jobId}`,
    ]);
    expect((await finished(f, b.jobId)).status).toBe('succeeded');
  });

  it('shows a batch of four as one 2×2 grid with U1–U4, V1–V4, re-roll and keep', async () => {
    const owner = aMember();
    const job = await generate(owner, await quoteFor(owner, [prompt('four glass whales'), { name: 'count', type: 4, value: 4 }], [STARTER_ROLE]), [
      STARTER_ROLE,
    ]);
    const result = await resultOf(job.messageId);
    expect(result.files.map((file) => file.name)).toEqual(['grid.png']);
    expect(await dimensions(result.files[0]!.data)).toEqual({ width: 2048, height: 2048, format: 'png' });
    expect(buttonLabels(result.payload)).toEqual(['U1', 'U2', 'U3', 'U4', 'V1', 'V2', 'V3', 'V4', 'Re-roll', 'Keep', 'Edit']);
    expect((await finished(f, job.jobId)).imagesDelivered).toBe(4);
    gridJob = { ...job, owner };
  });

  it('a partly made batch says how many credits came back, and charges only the rest (issue 14.8)', async () => {
    const owner = aMember();
    const job = await generate(owner, await quoteFor(owner, [prompt('half a pair of herons'), { name: 'count', type: 4, value: 2 }], [STARTER_ROLE]), [
      STARTER_ROLE,
    ]);
    const result = await resultOf(job.messageId);
    const done = await finished(f, job.jobId);
    const { rows } = await f.database.sql.query(`SELECT credits_charged, credits_refunded FROM generation_job WHERE id = $1`, [job.jobId]);
    expect(done.imagesDelivered).toBe(1);
    expect(rows[0].credits_refunded).toBeGreaterThan(0);
    expect(content(result)).toContain(`— done · ${rows[0].credits_charged} credit`);
    expect(content(result)).toContain(`1 of 2 images could not be made; ${rows[0].credits_refunded} credit`);
  });

  it('edits the message to the failure and the refund when the job fails', async () => {
    const owner = aMember();
    const job = await generate(owner, await quoteFor(owner, [prompt('something forbidden')]));
    const edited = await fake.waitForMessage((m) => m.messageId === job.messageId && content(m).includes('❌'), 20_000);
    expect(content(edited)).toMatch(/blocked by the safety filter.*\(2 credits back in your balance\)/);
    expect(edited.message['components']).toEqual([]);
    expect(await f.ledger.balance(owner.id, GUILD)).toMatchObject({ held: 0, available: 20 });
  });

  it('posts a new message (and remembers it) when the job message was deleted', async () => {
    const owner = aMember();
    const job = await generate(owner, await quoteFor(owner, [prompt('slow vanishing ship')]));
    expect(fake.deleteMessage(job.messageId)).toBe(true);
    const reposted = await fake.waitForMessage(
      (m) => m.action === 'create' && m.messageId !== job.messageId && content(m).includes('slow vanishing ship'),
      20_000,
    );
    await resultOf(reposted.messageId);
    expect((await f.jobs.get(job.jobId))?.messageId).toBe(reposted.messageId);
    expect(fake.messages.filter((m) => m.action === 'create' && content(m).includes('slow vanishing ship'))).toHaveLength(2);
  });

  it('a retried job (after a transient failure) edits the same message', async () => {
    const owner = aMember();
    const job = await generate(owner, await quoteFor(owner, [prompt('flaky kite')]));
    await resultOf(job.messageId);
    expect(await finished(f, job.jobId)).toMatchObject({ status: 'succeeded', attempts: 2, messageId: job.messageId });
    expect(fake.messages.filter((m) => m.action === 'create' && content(m).includes('flaky kite'))).toHaveLength(1);
  });

  it('re-encodes an image over the upload limit so it still arrives (and is charged)', async () => {
    const owner = aMember();
    const job = await generate(owner, await quoteFor(owner, [prompt('pure noise')]));
    const result = await resultOf(job.messageId);
    const [file] = result.files;
    expect(file!.data.length).toBeLessThanOrEqual(UPLOAD_LIMIT);
    expect(file!.name).toBe('image-1.jpg');
    expect((await dimensions(file!.data)).format).toBe('jpeg');
    expect((await finished(f, job.jobId)).imagesDelivered).toBe(1);
  });
});

describe('upscale and variations', () => {
  it('U2 by a stranger is refused and quotes nothing', async () => {
    const stranger = aMember();
    const click = await fake
      .buttonClick({ guildId: GUILD, channelId: CHANNEL, user: stranger, messageId: gridJob.messageId, customId: `job:upscale:${gridJob.jobId}:2` })
      .answer();
    expect(click.data).toMatchObject({ flags: 64, content: expect.stringMatching(/Only <@\d+> can upscale this/) });
    expect((await f.database.sql.query(`SELECT count(*)::int AS n FROM quote WHERE user_id = $1`, [stranger.id])).rows[0].n).toBe(0);
  });

  it('U2 by the owner quotes an upscale of the second grid image on the upscaler, and Generate upscales that cell 2×', async () => {
    const { owner } = gridJob;
    const heldBefore = (await f.ledger.balance(owner.id, GUILD)).held;
    const click = await fake
      .buttonClick({
        guildId: GUILD,
        channelId: CHANNEL,
        user: owner,
        roles: [STARTER_ROLE],
        messageId: gridJob.messageId,
        customId: `job:upscale:${gridJob.jobId}:2`,
      })
      .answer();
    const quoteData = click.data as Record<string, unknown>;
    expect(quoteData['flags']).toBe(64);
    // real-esrgan 2/MP × 1.05 MP × upscale 0.5 = ceil(1.05) = 2 credits.
    expect(embedText(quoteData)).toContain('2 credits ($0.02)');
    expect(embedText(quoteData)).toContain('upscale 0.5');
    expect(embedText(quoteData)).toContain('real-esrgan');
    expect(embedText(quoteData)).toContain('Upscale image #2');
    expect((await f.ledger.balance(owner.id, GUILD)).held).toBe(heldBefore);

    const upscale = await generate(owner, quoteData, [STARTER_ROLE]);
    expect((await f.jobs.get(upscale.jobId))?.request).toMatchObject({
      operation: 'upscale',
      model: 'real-esrgan',
      sourceImage: { channelId: CHANNEL, messageId: gridJob.messageId, attachmentIndex: 0, gridCell: 1 },
    });
    const result = await resultOf(upscale.messageId);
    // The worker fetched the grid message again for a fresh attachment URL.
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/api/v10/channels/${CHANNEL}/messages/${gridJob.messageId}`)).toBe(true);
    expect(await dimensions(result.files[0]!.data)).toEqual({ width: 2048, height: 2048, format: 'png' });
    // It is the second cell (top right) enlarged, not another picture.
    const grid = fake.messages.find((m) => m.messageId === gridJob.messageId && m.files.length > 0)!.files[0]!.data;
    const cell = await sharp(grid).extract({ left: 1024, top: 0, width: 1024, height: 1024 }).resize(64, 64).raw().toBuffer();
    const upscaled = await sharp(result.files[0]!.data).resize(64, 64).raw().toBuffer();
    const meanDifference = cell.reduce((sum, value, index) => sum + Math.abs(value - upscaled[index]!), 0) / cell.length;
    expect(meanDifference).toBeLessThan(8);
    expect(await finished(f, upscale.jobId)).toMatchObject({ status: 'succeeded', price: 2 });
  });

  it('V3 by the owner quotes variations of the third image with the variation factor', async () => {
    const { owner } = gridJob;
    const click = await fake
      .buttonClick({
        guildId: GUILD,
        channelId: CHANNEL,
        user: owner,
        roles: [STARTER_ROLE],
        messageId: gridJob.messageId,
        customId: `job:variation:${gridJob.jobId}:3`,
      })
      .answer();
    const text = embedText(click.data);
    // flux-schnell keeps the model: 1.5/MP × 1.05 MP × variation 1 = 1.572864 per image; four cost ceil(× 3) = 5.
    expect(text).toContain('variation 1');
    expect(text).toContain('5 credits ($0.05)');
    const quoteId = buttonIds(click.data)[0]!.split(':')[2];
    const { rows } = await f.database.sql.query(`SELECT request FROM quote WHERE id = $1`, [quoteId]);
    expect(rows[0].request).toMatchObject({
      operation: 'variation',
      model: 'flux-schnell',
      count: 4,
      sourceImage: { messageId: gridJob.messageId, gridCell: 2 },
    });
  });

  it('an image number that is not on the job is refused', async () => {
    const click = await fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: gridJob.owner, customId: `job:upscale:${gridJob.jobId}:7` }).answer();
    expect(click.data).toMatchObject({ flags: 64, content: expect.stringMatching(/no image #7/) });
  });
});

describe('img2img', () => {
  const upload = async (name: string, contentType: string, data: Buffer, extra: Json = {}) => {
    const attachment = fake.uploadAttachment({ field: 'files[0]', name, contentType, data }, extra);
    return {
      option: { name: 'image', type: 11, value: attachment['id'] } as Json,
      resolved: { attachments: { [attachment['id'] as string]: attachment } } as Json,
    };
  };

  it('an uploaded image makes an img2img quote on a model that can, priced with the img2img factor, and it runs', async () => {
    const owner = aMember();
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#aa3355' } })
      .png()
      .toBuffer();
    const image = await upload('cat.png', 'image/png', png, { width: 640, height: 480 });
    const quoteData = await quoteFor(owner, [prompt('as an oil painting'), image.option], [STARTER_ROLE], image.resolved);
    // sdxl (the starter's first model that does img2img): 4/MP × 1.05 MP × 30/30 × img2img 1 = 5.
    expect(embedText(quoteData)).toContain('5 credits ($0.05)');
    expect(embedText(quoteData)).toContain('img2img 1');
    const job = await generate(owner, quoteData, [STARTER_ROLE]);
    expect((await f.jobs.get(job.jobId))?.request).toMatchObject({
      operation: 'img2img',
      model: 'sdxl',
      sourceImageUrl: expect.stringContaining('/attachments/'),
    });
    const result = await resultOf(job.messageId);
    expect(await dimensions(result.files[0]!.data)).toMatchObject({ width: 1024, height: 1024 });
    expect(await finished(f, job.jobId)).toMatchObject({ status: 'succeeded' });
  });

  it('a re-roll after Discord stopped serving the uploaded picture is refused up front, without a quote', async () => {
    const owner = aMember();
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#3355aa' } })
      .png()
      .toBuffer();
    const image = await upload('dog.png', 'image/png', png, { width: 256, height: 256 });
    const job = await generate(owner, await quoteFor(owner, [prompt('as a watercolour'), image.option], [STARTER_ROLE], image.resolved), [STARTER_ROLE]);
    expect(await finished(f, job.jobId)).toMatchObject({ status: 'succeeded' });
    const reroll = () =>
      fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: owner, roles: [STARTER_ROLE], customId: `job:reroll:${job.jobId}` }).answer();
    // Within the day the link lives: an ordinary quote.
    expect(buttonIds((await reroll()).data)).toEqual([expect.stringMatching(/^quote:generate:/), expect.stringMatching(/^quote:cancel:/)]);
    const quotes = async () => (await f.database.sql.query(`SELECT count(*)::int AS n FROM quote WHERE user_id = $1`, [owner.id])).rows[0].n as number;
    const quotesBefore = await quotes();
    // A day later: the stored link's signed expiry has passed.
    const yesterday = Math.floor(Date.now() / 1000) - 60;
    await f.database.sql.query(
      `UPDATE generation_job SET request = jsonb_set(request, '{sourceImageUrl}', to_jsonb(regexp_replace(request->>'sourceImageUrl', 'ex=[0-9a-f]+', 'ex=' || $2))) WHERE id = $1`,
      [job.jobId, yesterday.toString(16)],
    );
    const refused = (await reroll()).data;
    expect(refused).toMatchObject({
      flags: 64,
      content: expect.stringMatching(/Discord no longer serves it\. Run `\/imagine` again with the picture attached\. Nothing was charged/),
    });
    expect(buttonIds(refused)).toEqual([]);
    expect(await quotes()).toBe(quotesBefore);
  });

  it('refuses a file that is not a usable image, with a reason, and stores nothing', async () => {
    const owner = aMember();
    const text = await upload('notes.txt', 'text/plain', Buffer.from('hello'));
    const refused = await quoteFor(owner, [prompt('x'), text.option], [STARTER_ROLE], text.resolved);
    expect(refused).toMatchObject({ flags: 64, content: expect.stringMatching(/PNG, JPEG or WebP.*text\/plain.*Nothing was charged/) });
    const tiny = await upload('dot.png', 'image/png', Buffer.alloc(10), { width: 8, height: 8 });
    expect(await quoteFor(owner, [prompt('x'), tiny.option], [STARTER_ROLE], tiny.resolved)).toMatchObject({
      content: expect.stringMatching(/between 64 and 4096 pixels/),
    });
    expect((await f.database.sql.query(`SELECT count(*)::int AS n FROM quote WHERE user_id = $1`, [owner.id])).rows[0].n).toBe(0);
  });
});

describe('/show job', () => {
  const show = (user: Member, id: string, permissions?: string) =>
    fake.slashCommand({
      guildId: GUILD,
      channelId: CHANNEL,
      user,
      name: 'show',
      ...(permissions ? { permissions } : {}),
      options: [{ name: 'job', type: 1, options: [{ name: 'id', type: 3, value: id }] }],
    });

  it('brings back the images and working buttons after the bot restarts; a stranger learns nothing', async () => {
    await bot.stop();
    bot = await startTestBot(f, fake, card);
    const handle = show(gridJob.owner, gridJob.jobId);
    expect((await handle.answer()).type).toBe(5);
    const edit = await handle.waitForWebhookCall('edit-original', 10_000);
    expect(edit.files.map((file) => file.name)).toEqual(['grid.png']);
    const original = fake.messages.find((m) => m.messageId === gridJob.messageId && m.files.length > 0)!.files[0]!.data;
    expect(edit.files[0]!.data.equals(original)).toBe(true);
    expect(buttonLabels(edit.payload)).toEqual(['U1', 'U2', 'U3', 'U4', 'V1', 'V2', 'V3', 'V4', 'Re-roll', 'Keep', 'Edit']);
    // A button of the shown message works on the new bot.
    const keep = await fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: gridJob.owner, customId: `job:keep:${gridJob.jobId}` }).answer();
    expect(keep.data).toMatchObject({ content: expect.stringMatching(/^Kept ⭐/) });

    const stranger = await show(aMember(), gridJob.jobId, '0').answer();
    expect(stranger.data).toMatchObject({ flags: 64, content: expect.stringMatching(/found no job of yours/) });
    const admin = show(aMember(), gridJob.jobId, String(1n << 5n));
    expect((await admin.answer()).type).toBe(5);
    expect((await admin.waitForWebhookCall('edit-original', 10_000)).files).toHaveLength(1);
  });

  it('suggests the member’s recent jobs as they type', async () => {
    const handle = fake.autocomplete({
      guildId: GUILD,
      channelId: CHANNEL,
      user: gridJob.owner,
      name: 'show',
      options: [{ name: 'job', type: 1, options: [{ name: 'id', type: 3, value: 'whales', focused: true }] }],
    });
    const callback = await handle.answer();
    expect(callback.type).toBe(8);
    // Newest first: the upscale made from the grid, then the grid itself.
    expect((callback.data as { choices: unknown[] }).choices).toEqual([
      { name: expect.stringMatching(/^upscale: four glass whales · succeeded · \d{4}-/), value: expect.any(String) },
      { name: expect.stringMatching(/^four glass whales · succeeded/), value: gridJob.jobId },
    ]);
  });

  it('leaves the ledger consistent', async () => {
    await expectLedgerConsistent(f.database);
  });
});
