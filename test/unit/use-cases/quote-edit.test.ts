// Edits of a delivered image: a new quote planned from the image's size, for its owner only; an
// edit that cannot be made says why and stores nothing.
import { describe, expect, it } from 'vitest';
import type { JobRequest } from '../../../src/domain/jobs/job-request.js';
import { quoteEdit } from '../../../src/use-cases/quote-edit.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

// The fixture card plus a fill model the starter tier (class quality) may use.
const card = testCard((raw) => {
  Object.assign(raw.models, {
    fill: {
      label: 'Fill',
      providerModelId: 'acme/fill',
      class: 'quality',
      baseCreditsPerMegapixel: 4,
      defaultSteps: 28,
      maxSteps: 50,
      sizes: ['1024x1024'],
      operations: ['inpaint', 'outpaint'],
    },
  });
});
const owner = { userId: 'u1', guildId: 'g1', channelId: 'c1', roleIds: ['r-starter'] };
const request: JobRequest = {
  model: 'sdxl',
  providerModelId: 'acme/quality',
  operation: 'txt2img',
  prompt: 'a lighthouse',
  width: 1344,
  height: 768,
  steps: 20,
  count: 4,
  seed: 1,
};

function botWithJob() {
  const bot = fakeBot(card);
  bot.guildSettings.map('g1', 'r-starter', 'starter');
  bot.jobStore.addJob({ id: 'job-1', userId: 'u1', request, messageId: 'm1', channelId: 'c1' });
  return { bot, stored: (quoteId: string) => bot.jobStore.quotes.get(quoteId) };
}

describe('quoteEdit', () => {
  it('zooms one grid cell out on the card’s fill model: canvas from the image’s size, priced on the pixels added', async () => {
    const { bot, stored } = botWithJob();
    const sut = await quoteEdit(bot.deps, { member: owner, jobId: 'job-1', image: 3, choice: { kind: 'zoom', factor: 1.5 } });
    if (!sut.ok) throw new Error(sut.error.code);
    const quote = stored(sut.value.quoted.quoteId);
    expect(quote?.request).toMatchObject({
      model: 'fill',
      operation: 'outpaint',
      prompt: 'a lighthouse',
      width: 2016,
      height: 1152,
      count: 1,
      edit: { kind: 'zoom', factor: 1.5, sourceWidth: 1344, sourceHeight: 768 },
      sourceImage: { channelId: 'c1', messageId: 'm1', attachmentIndex: 0, gridCell: 2 },
    });
    // 2016 × 1152 − 1344 × 768 = 1,290,240 px added: ceil(4 × 1.29024) = 6.
    expect(quote?.price).toBe(6);
  });

  it('a region with a new prompt repaints with that prompt', async () => {
    const { bot, stored } = botWithJob();
    const sut = await quoteEdit(bot.deps, {
      member: owner,
      jobId: 'job-1',
      image: 1,
      choice: { kind: 'region', region: 'border' },
      prompt: '  a stone frame ',
    });
    if (!sut.ok) throw new Error(sut.error.code);
    expect(stored(sut.value.quoted.quoteId)?.request).toMatchObject({ operation: 'inpaint', prompt: 'a stone frame', width: 1344, height: 768 });
  });

  it('a zoom whose canvas would pass 4096 px says the largest that fits, and stores nothing', async () => {
    const { bot } = botWithJob();
    const sut = await quoteEdit(bot.deps, { member: owner, jobId: 'job-1', image: 1, choice: { kind: 'zoom', factor: 4 } });
    expect(sut).toEqual({
      ok: false,
      error: { code: 'edit_not_possible', message: 'That zoom would make the image too large; for this image the largest zoom is 3.04×.' },
    });
    expect(bot.jobStore.quotes.size).toBe(0);
  });

  it('acts only for the owner, on an image the job has', async () => {
    const { bot } = botWithJob();
    const choice = { kind: 'pan', direction: 'up' } as const;
    expect(await quoteEdit(bot.deps, { member: { ...owner, userId: 'u2' }, jobId: 'job-1', image: 1, choice })).toEqual({
      ok: false,
      error: { code: 'not_job_owner', ownerId: 'u1' },
    });
    expect(await quoteEdit(bot.deps, { member: owner, jobId: 'job-1', image: 5, choice })).toEqual({ ok: false, error: { code: 'no_such_image', image: 5 } });
    expect(await quoteEdit(bot.deps, { member: owner, jobId: 'job-9', image: 1, choice })).toEqual({ ok: false, error: { code: 'job_not_found' } });
    expect(bot.jobStore.quotes.size).toBe(0);
  });

  it('a member whose tier has no fill model is told which tier unlocks edits', async () => {
    const { bot } = botWithJob();
    bot.jobStore.addJob({ id: 'job-2', userId: 'u3', request, messageId: 'm2', channelId: 'c1' });
    const sut = await quoteEdit(bot.deps, {
      member: { ...owner, userId: 'u3', roleIds: [] },
      jobId: 'job-2',
      image: 1,
      choice: { kind: 'pan', direction: 'up' },
    });
    expect(sut.ok).toBe(false);
    if (!sut.ok && sut.error.code === 'rejected') expect(sut.error.rejection.message).toContain('Starter');
    else throw new Error('expected a rejection');
  });
});
