// Zoom Out, Pan and Vary (Region) through the real discord.js bot, the fake Discord and a worker
// on the local provider: each edit quotes from the card, is owner-only, runs with the source
// fetched fresh from Discord, is delivered into its job's message, charges exactly its quote and
// refunds a failure. Bad input changes nothing. The ledger is checked at the end.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgGuildSettingsStore } from '../../../src/db/guild-settings-store.js';
import type { createBot } from '../../../src/discord/bot.js';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import { ProviderError, type ImageProvider } from '../../../src/use-cases/ports/image-provider.js';
import { FakeDiscord, type Json } from '../../../src/playground/local-discord/fake-discord.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { buttonIds, contentOf, embedText } from '../../support/discord-payloads.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { finished, jobOfGenerate, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '230000000000000001';
const CHANNEL = '230000000000000002';
const STARTER_ROLE = '230000000000000003';
const roles = [STARTER_ROLE];
let sequence = 0;
const aMember = () => ({ id: `33000000000000${String(++sequence).padStart(4, '0')}`, username: `editor${sequence}` });
type Member = ReturnType<typeof aMember>;

const f = usePipeline(1);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;

/** The local provider reading sources from the fake's CDN; a prompt with "broken" fails as the model would. */
function provider(): ImageProvider {
  const local = createLocalProvider({ allowedSourceHosts: ['127.0.0.1'], allowedSourceProtocols: ['http:'] });
  return {
    name: 'local',
    generate: (request, context) =>
      request.prompt.includes('broken')
        ? Promise.reject(new ProviderError('model_error', 'The model failed to make your image. Your credits were refunded.'))
        : local.generate(request, context),
  };
}

beforeAll(async () => {
  const card = await loadPriceCardOrThrow();
  fake = await FakeDiscord.start();
  fake.addGuild({
    id: GUILD,
    name: 'Edit Test',
    channels: [{ id: CHANNEL, name: 'art', type: 0 }],
    roles: [{ id: STARTER_ROLE, name: 'Starter', permissions: '0' }],
  });
  await createPgGuildSettingsStore(f.database.db.prisma).setRoleTier(GUILD, STARTER_ROLE, 'starter', 'test-admin');
  bot = await startTestBot(f, fake, card);
  f.startWorker(provider(), { delivery: createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, jobs: f.jobs, progressEveryMs: 500 }) });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

const actor = (user: Member) => ({ guildId: GUILD, channelId: CHANNEL, user, roles });
const click = (user: Member, customId: string, messageId?: string) =>
  fake.buttonClick({ ...actor(user), customId, ...(messageId ? { messageId } : {}) }).answer();

/** Presses Generate on a quote; returns the job and its public message id. */
async function generate(user: Member, quoteData: unknown) {
  const generateId = buttonIds(quoteData).find((id) => id.startsWith('quote:generate:'))!;
  expect(contentOf((await click(user, generateId)).data)).toMatch(/^Confirmed/);
  return jobOfGenerate(f, generateId);
}

/** The image the job's message ends up with, decoded to raw RGBA. */
async function deliveredPixels(messageId: string) {
  const message = await fake.waitForMessage(
    (m) => m.messageId === messageId && m.action === 'edit' && m.files.length > 0 && buttonIds(m.payload).length > 0,
    20_000,
  );
  const { data, info } = await sharp(message.files[0]!.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
const rgba = (image: { data: Buffer; width: number }, x: number, y: number) => image.data.readUInt32BE((y * image.width + x) * 4);
const quotesOf = async (user: Member) => (await f.database.sql.query(`SELECT count(*)::int AS n FROM quote WHERE user_id = $1`, [user.id])).rows[0].n as number;

const owner = aMember();
let original: { jobId: string; messageId: string; pixels: Awaited<ReturnType<typeof deliveredPixels>> };

describe('the Edit button', () => {
  it('is on every result; for its owner it opens a private panel of zoom, pan and region choices', async () => {
    const imagine = await fake
      .slashCommand({ ...actor(owner), name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a quiet harbour town' } as Json] })
      .answer();
    const job = await generate(owner, imagine.data);
    original = { ...job, pixels: await deliveredPixels(job.messageId) };
    // The message shows the images a moment before the job is recorded as done.
    expect((await finished(f, job.jobId)).status).toBe('succeeded');
    expect([original.pixels.width, original.pixels.height]).toEqual([1024, 1024]);

    const panel = await click(owner, `edit:open:${job.jobId}`, job.messageId);
    expect(panel.data).toMatchObject({ flags: 64 });
    expect(contentOf(panel.data)).toContain('Edit image #1');
    const ids = buttonIds(panel.data);
    expect(ids).toEqual([
      `edit:zoom:${job.jobId}:1:1.5`,
      `edit:zoom:${job.jobId}:1:2`,
      `edit:zoom-ask:${job.jobId}:1`,
      `edit:pan:${job.jobId}:1:left`,
      `edit:pan:${job.jobId}:1:right`,
      `edit:pan:${job.jobId}:1:up`,
      `edit:pan:${job.jobId}:1:down`,
      `edit:region:${job.jobId}:1`,
    ]);
  });

  it('a stranger gets no panel and no quote from any edit control', async () => {
    const stranger = aMember();
    for (const customId of [`edit:open:${original.jobId}`, `edit:zoom:${original.jobId}:1:2`, `edit:pan:${original.jobId}:1:left`]) {
      expect(contentOf((await click(stranger, customId)).data)).toMatch(/^Only <@\d+> can edit this image/);
    }
    expect(await quotesOf(stranger)).toBe(0);
  });
});

describe('a batch of four (one grid)', () => {
  it('Edit asks which image; the picked one gets its panel, and its edit works from that grid cell', async () => {
    const imagine = await fake
      .slashCommand({
        ...actor(owner),
        name: 'imagine',
        options: [{ name: 'prompt', type: 3, value: 'four small boats' } as Json, { name: 'count', type: 4, value: 4 } as Json],
      })
      .answer();
    const batch = await generate(owner, imagine.data);
    await deliveredPixels(batch.messageId);
    await finished(f, batch.jobId);
    const picker = await click(owner, `edit:open:${batch.jobId}`, batch.messageId);
    expect(buttonIds(picker.data)).toEqual([1, 2, 3, 4].map((k) => `edit:pick:${batch.jobId}:${k}`));
    const panel = await click(owner, `edit:pick:${batch.jobId}:2`);
    expect(panel.type).toBe(6);
    expect(contentOf(panel.data)).toContain('Edit image #2');
    expect(buttonIds(panel.data)).toContain(`edit:pan:${batch.jobId}:2:up`);

    const quoted = await click(owner, `edit:zoom:${batch.jobId}:2:1.5`);
    expect(embedText(quoted.data)).toContain('Zoom Out 1.5× of image #2');
    const zoom = await generate(owner, quoted.data);
    expect((await f.jobs.get(zoom.jobId))?.request).toMatchObject({
      sourceImage: { messageId: batch.messageId, attachmentIndex: 0, gridCell: 1 },
      width: 1536,
      height: 1536,
    });
    const out = await deliveredPixels(zoom.messageId);
    expect([out.width, out.height]).toEqual([1536, 1536]);
    // Settled before the next test reads the owner's balance.
    expect((await finished(f, zoom.jobId)).status).toBe('succeeded');
    await waitFor(async () => (await f.ledger.balance(owner.id, GUILD)).held === 0, 5000, 'the settlement');
    expect(contentOf((await click(owner, `edit:zoom:${batch.jobId}:5:2`)).data)).toBe('There is no image #5 on this job to edit.');
  });
});

describe('Zoom Out', () => {
  it('2× quotes the 3.15 MP it adds on FLUX.1 Fill, charges exactly that, and delivers a 2048² image with the original unchanged at its centre', async () => {
    const before = await f.ledger.balance(owner.id, GUILD);
    const quoted = await click(owner, `edit:zoom:${original.jobId}:1:2`);
    // flux-fill 4/MP × 3.145728 MP added × outpaint 1 = 12.58 → 13 credits.
    expect(embedText(quoted.data)).toContain('flux-fill 4/MP × 3.15 MP added to 2048x2048 × 28/28 steps × outpaint 1 = 13 credits ($0.13)');
    expect(embedText(quoted.data)).toContain('Zoom Out 2× of image #1');
    expect((await f.ledger.balance(owner.id, GUILD)).held).toBe(before.held);

    const zoom = await generate(owner, quoted.data);
    expect((await f.jobs.get(zoom.jobId))?.request).toMatchObject({
      operation: 'outpaint',
      model: 'flux-fill',
      providerModelId: 'black-forest-labs/flux-fill-dev',
      width: 2048,
      height: 2048,
      count: 1,
      prompt: 'a quiet harbour town',
      edit: { kind: 'zoom', factor: 2, sourceWidth: 1024, sourceHeight: 1024 },
      sourceImage: { channelId: CHANNEL, messageId: original.messageId, attachmentIndex: 0 },
    });
    const out = await deliveredPixels(zoom.messageId);
    expect([out.width, out.height]).toEqual([2048, 2048]);
    let changed = 0;
    for (let y = 0; y < 1024; y += 3) for (let x = 0; x < 1024; x += 3) if (rgba(out, x + 512, y + 512) !== rgba(original.pixels, x, y)) changed++;
    expect(changed).toBe(0);
    // The worker asked Discord for the source message again (a fresh attachment link).
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/api/v10/channels/${CHANNEL}/messages/${original.messageId}`)).toBe(true);

    const done = await finished(f, zoom.jobId);
    expect(done.status).toBe('succeeded');
    await waitFor(async () => (await f.ledger.balance(owner.id, GUILD)).held === 0, 5000, 'the settlement');
    expect((await f.ledger.balance(owner.id, GUILD)).available).toBe(before.available - 13);
  });

  it('Custom Zoom opens a modal; "abc", 0.5 and 100 get a friendly message and quote nothing; 1.5 with a new prompt quotes', async () => {
    const modal = await click(owner, `edit:zoom-ask:${original.jobId}:1`);
    expect(modal.type).toBe(9);
    expect(modal.data).toMatchObject({ custom_id: `edit:zoom-modal:${original.jobId}:1` });
    const quotesBefore = await quotesOf(owner);
    const heldBefore = (await f.ledger.balance(owner.id, GUILD)).held;
    const submit = (factor: string, prompt = '') =>
      fake.modalSubmit({ ...actor(owner), customId: `edit:zoom-modal:${original.jobId}:1`, fields: { factor, prompt } }).answer();
    expect(contentOf((await submit('abc')).data)).toBe('"abc" is not a zoom factor: type a number such as 1.5 or 3. Nothing was charged.');
    expect(contentOf((await submit('0.5')).data)).toBe('A zoom factor must be between 1.1 and 4 (you typed 0.5). Nothing was charged.');
    expect(contentOf((await submit('100')).data)).toContain('between 1.1 and 4 (you typed 100)');
    expect(await quotesOf(owner)).toBe(quotesBefore);
    expect((await f.ledger.balance(owner.id, GUILD)).held).toBe(heldBefore);

    const quoted = await submit('1.5', 'a harbour town with mountains around it');
    // 1536² canvas: 1.31 MP added → ceil(4 × 1.310720) = 6 credits.
    expect(embedText(quoted.data)).toContain('1.31 MP added to 1536x1536');
    expect(embedText(quoted.data)).toContain('6 credits');
  });
});

describe('Pan', () => {
  it('pan right quotes the half it adds and delivers the original right half on the left', async () => {
    const quoted = await click(owner, `edit:pan:${original.jobId}:1:right`);
    // 512 × 1024 new = 0.52 MP → ceil(4 × 0.524288) = 3 credits.
    expect(embedText(quoted.data)).toContain('0.52 MP added to 1024x1024');
    expect(embedText(quoted.data)).toContain('3 credits');
    const pan = await generate(owner, quoted.data);
    const out = await deliveredPixels(pan.messageId);
    expect([out.width, out.height]).toEqual([1024, 1024]);
    let changed = 0;
    for (let y = 0; y < 1024; y += 3) for (let x = 0; x < 512; x += 3) if (rgba(out, x, y) !== rgba(original.pixels, x + 512, y)) changed++;
    expect(changed).toBe(0);
    expect((await finished(f, pan.jobId)).price).toBe(3);
    const message = fake.messages.filter((m) => m.messageId === pan.messageId).at(-1)!;
    expect(String(message.message['content'])).toContain('a quiet harbour town** — flux-fill, 1024×1024 · Pan ➡️');

    // Re-roll of an edit: the same edit of the same image with a new seed, priced as it was.
    const rerolled = await click(owner, `job:reroll:${pan.jobId}`);
    expect(embedText(rerolled.data)).toContain('0.52 MP added to 1024x1024');
    const again = await generate(owner, rerolled.data);
    expect((await f.jobs.get(again.jobId))?.request).toMatchObject({
      edit: { kind: 'pan', direction: 'right' },
      sourceImage: { messageId: original.messageId },
    });
    expect((await finished(f, again.jobId)).status).toBe('succeeded');
  });
});

describe('Vary (Region)', () => {
  it('a preset region from the select menu, then a prompt in the modal: repaints only the region', async () => {
    const modal = await fake
      .selectMenu({ ...actor(owner), messageId: original.messageId, customId: `edit:region:${original.jobId}:1`, values: ['top-left'] })
      .answer();
    expect(modal.type).toBe(9);
    expect(modal.data).toMatchObject({ custom_id: `edit:region-modal:${original.jobId}:1:top-left` });
    const offMenu = await fake
      .selectMenu({ ...actor(owner), messageId: original.messageId, customId: `edit:region:${original.jobId}:1`, values: ['everywhere'] })
      .answer();
    expect(offMenu.data).toMatchObject({ flags: 64, content: 'Pick one of the regions in the menu.' });
    const quoted = await fake
      .modalSubmit({ ...actor(owner), customId: `edit:region-modal:${original.jobId}:1:top-left`, fields: { prompt: 'a red lighthouse' } })
      .answer();
    // A quarter of 1024² = 0.26 MP repainted → ceil(4 × 0.262144) = 2 credits.
    expect(embedText(quoted.data)).toContain('0.26 MP repainted of 1024x1024 × 28/28 steps × inpaint 1');
    expect(embedText(quoted.data)).toContain('a red lighthouse');
    const region = await generate(owner, quoted.data);
    expect((await f.jobs.get(region.jobId))?.request).toMatchObject({
      operation: 'inpaint',
      prompt: 'a red lighthouse',
      edit: { kind: 'region', region: 'top-left' },
    });
    const out = await deliveredPixels(region.messageId);
    let outsideChanged = 0;
    let insideChanged = 0;
    for (let y = 0; y < 1024; y += 2)
      for (let x = 0; x < 1024; x += 2) {
        const same = rgba(out, x, y) === rgba(original.pixels, x, y);
        if (x < 512 && y < 512) insideChanged += same ? 0 : 1;
        else outsideChanged += same ? 0 : 1;
      }
    expect(outsideChanged).toBe(0);
    expect(insideChanged).toBeGreaterThan(0);
  });

  it('a failed edit is refunded in full and the job message says so', async () => {
    const before = await f.ledger.balance(owner.id, GUILD);
    const quoted = await fake
      .modalSubmit({ ...actor(owner), customId: `edit:region-modal:${original.jobId}:1:centre`, fields: { prompt: 'a broken bridge' } })
      .answer();
    const failing = await generate(owner, quoted.data);
    const done = await finished(f, failing.jobId);
    expect(done.status).toBe('failed');
    await waitFor(async () => (await f.ledger.balance(owner.id, GUILD)).held === 0, 5000, 'the refund');
    expect((await f.ledger.balance(owner.id, GUILD)).available).toBe(before.available);
    const message = await fake.waitForMessage((m) => m.messageId === failing.messageId && String(m.message['content']).includes('❌'), 10_000);
    expect(String(message.message['content'])).toContain('credits back in your balance');
  });

  describe('with an uploaded mask (/edit)', () => {
    const upload = async (name: string, contentType: string, data: Buffer, size?: { width: number; height: number }) => {
      const attachment = fake.uploadAttachment({ field: 'files[0]', name, contentType, data }, size ?? {});
      return {
        option: { name: 'mask', type: 11, value: attachment['id'] } as Json,
        resolved: { attachments: { [attachment['id'] as string]: attachment } } as Json,
      };
    };
    const maskPng = (width: number, height: number, svg: string) =>
      sharp(
        Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/>${svg}</svg>`),
      )
        .png()
        .toBuffer();
    const editCommand = async (user: Member, mask: Awaited<ReturnType<typeof upload>>, prompt?: string) =>
      (
        await fake
          .slashCommand({
            ...actor(user),
            name: 'edit',
            options: [
              { name: 'job', type: 3, value: original.jobId } as Json,
              mask.option,
              ...(prompt ? [{ name: 'prompt', type: 3, value: prompt } as Json] : []),
            ],
            resolved: mask.resolved,
          })
          .answer()
      ).data;

    it('a bad mask gets a sentence and quotes nothing: not a picture, another size, nothing white', async () => {
      const quotesBefore = await quotesOf(owner);
      const text = await upload('mask.txt', 'text/plain', Buffer.from('hello'));
      expect(contentOf(await editCommand(owner, text))).toContain('The mask must be a PNG, JPEG or WebP picture');
      const small = await upload('small.png', 'image/png', await maskPng(512, 512, ''), { width: 512, height: 512 });
      expect(contentOf(await editCommand(owner, small))).toBe(
        'The mask must be the same size as the image: 1024×1024 (this one is 512×512). Nothing was charged.',
      );
      const black = await upload('black.png', 'image/png', await maskPng(1024, 1024, ''), { width: 1024, height: 1024 });
      expect(contentOf(await editCommand(owner, black))).toContain('no white area');
      const lying = await upload('lying.png', 'image/png', Buffer.from('not really a png'), { width: 1024, height: 1024 });
      expect(contentOf(await editCommand(owner, lying))).toBe('The mask could not be read as a 1024×1024 picture. Nothing was charged.');
      // Discord's size says 1024×1024; the file is 512×512.
      const shrunk = await upload('shrunk.png', 'image/png', await maskPng(512, 512, '<rect width="10" height="10" fill="white"/>'), {
        width: 1024,
        height: 1024,
      });
      expect(contentOf(await editCommand(owner, shrunk))).toBe('The mask could not be read as a 1024×1024 picture. Nothing was charged.');
      expect(await quotesOf(owner)).toBe(quotesBefore);
      expect(contentOf(await editCommand(aMember(), black))).toMatch(/^Only <@\d+> can edit this image/);
    });

    it('a good mask is priced by its white pixels and repaints only them', async () => {
      const png = await maskPng(1024, 1024, '<rect x="600" y="100" width="300" height="400" fill="white"/>');
      const mask = await upload('mask.png', 'image/png', png, { width: 1024, height: 1024 });
      const quoted = await editCommand(owner, mask, 'a hot air balloon');
      // 300 × 400 = 0.12 MP repainted → ceil(4 × 0.12) = 1 credit.
      expect(embedText(quoted)).toContain('0.12 MP repainted of 1024x1024');
      expect(embedText(quoted)).toContain('1 credit');
      const job = await generate(owner, quoted);
      expect((await f.jobs.get(job.jobId))?.request).toMatchObject({ operation: 'inpaint', edit: { kind: 'mask', maskedPixels: 120_000 } });
      const out = await deliveredPixels(job.messageId);
      let outsideChanged = 0;
      let insideChanged = 0;
      for (let y = 0; y < 1024; y += 2)
        for (let x = 0; x < 1024; x += 2) {
          const same = rgba(out, x, y) === rgba(original.pixels, x, y);
          if (x >= 600 && x < 900 && y >= 100 && y < 500) insideChanged += same ? 0 : 1;
          else outsideChanged += same ? 0 : 1;
        }
      expect(outsideChanged).toBe(0);
      expect(insideChanged).toBeGreaterThan(0);
      expect((await finished(f, job.jobId)).status).toBe('succeeded');
    });
  });

  it('keeps the ledger consistent', async () => {
    await expectLedgerConsistent(f.database);
  });
});
