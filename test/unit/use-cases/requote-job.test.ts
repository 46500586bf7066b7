// The buttons under a delivered result: each is a new quote made from the job, for its owner only.
import { describe, expect, it } from 'vitest';
import type { JobRequest } from '../../../src/domain/jobs/job-request.js';
import { requoteJob } from '../../../src/use-cases/requote-job.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const owner = { userId: 'u1', guildId: 'g1', channelId: 'c1', roleIds: ['r-starter'] };
const request: JobRequest = {
  model: 'sdxl',
  providerModelId: 'acme/quality',
  operation: 'txt2img',
  prompt: 'a lighthouse',
  negativePrompt: 'fog',
  width: 1024,
  height: 1024,
  steps: 20,
  count: 4,
  seed: 1,
};

function botWithJob(jobRequest: JobRequest = request) {
  const bot = fakeBot(card);
  bot.guildSettings.map('g1', 'r-starter', 'starter');
  bot.jobStore.addJob({ id: 'job-1', userId: 'u1', request: jobRequest, messageId: 'm1', channelId: 'c1' });
  const stored = (quoteId: string) => bot.jobStore.quotes.get(quoteId)?.request;
  return { bot, stored };
}

describe('requoteJob', () => {
  it('re-rolls with the job’s model, size, steps, count and negative prompt, and a new seed', async () => {
    const { bot, stored } = botWithJob();
    const sut = await requoteJob(bot.deps, { member: owner, jobId: 'job-1', action: 'reroll' });
    if (!sut.ok) throw new Error(sut.error.code);
    expect(stored(sut.value.quoted.quoteId)).toMatchObject({
      model: 'sdxl',
      width: 1024,
      height: 1024,
      steps: 20,
      count: 4,
      negativePrompt: 'fog',
      operation: 'txt2img',
      seed: 42,
    });
  });

  it('upscales one image of a grid of four: its cell, one image, on a model that can upscale', async () => {
    const { bot, stored } = botWithJob();
    const sut = await requoteJob(bot.deps, { member: owner, jobId: 'job-1', action: 'upscale', image: 2 });
    if (!sut.ok) throw new Error(sut.error.code);
    expect(stored(sut.value.quoted.quoteId)).toMatchObject({
      operation: 'upscale',
      model: 'sdxl',
      count: 1,
      sourceImage: { channelId: 'c1', messageId: 'm1', attachmentIndex: 0, gridCell: 1 },
    });
  });

  it('makes variations of one image, as many as the job made', async () => {
    const { bot, stored } = botWithJob({ ...request, count: 2 });
    const sut = await requoteJob(bot.deps, { member: owner, jobId: 'job-1', action: 'variation', image: 2 });
    if (!sut.ok) throw new Error(sut.error.code);
    expect(stored(sut.value.quoted.quoteId)).toMatchObject({ operation: 'variation', count: 2, sourceImage: { attachmentIndex: 1 } });
  });

  it('acts only for the job’s owner, and quotes nothing for anyone else', async () => {
    const { bot } = botWithJob();
    const sut = await requoteJob(bot.deps, { member: { ...owner, userId: 'u2' }, jobId: 'job-1', action: 'reroll' });
    expect(sut).toEqual({ ok: false, error: { code: 'not_job_owner', ownerId: 'u1' } });
    expect(bot.jobStore.quotes.size).toBe(0);
  });

  it('says when there is no such job or image', async () => {
    const { bot } = botWithJob();
    expect(await requoteJob(bot.deps, { member: owner, jobId: 'job-9', action: 'reroll' })).toEqual({ ok: false, error: { code: 'job_not_found' } });
    expect(await requoteJob(bot.deps, { member: owner, jobId: 'job-1', action: 'upscale', image: 5 })).toEqual({
      ok: false,
      error: { code: 'no_such_image', image: 5 },
    });
  });

  it('refuses to re-roll from an uploaded picture whose link has expired, before quoting', async () => {
    const expired = `https://cdn.discordapp.com/attachments/1/2/in.png?ex=${(Date.parse('2026-12-02T11:00:00Z') / 1000).toString(16)}`;
    const { bot } = botWithJob({ ...request, operation: 'img2img', sourceImageUrl: expired });
    expect(await requoteJob(bot.deps, { member: owner, jobId: 'job-1', action: 'reroll' })).toEqual({ ok: false, error: { code: 'source_expired' } });
    expect(bot.jobStore.quotes.size).toBe(0);
  });
});
