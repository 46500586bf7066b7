// /show job, Keep ⭐, Cancel and /usage: the rules of what a member may see and do with their jobs.
import { describe, expect, it } from 'vitest';
import type { JobRequest } from '../../../src/domain/jobs/job-request.js';
import { usageRange } from '../../../src/domain/usage/usage-summary.js';
import { cancelQuote } from '../../../src/use-cases/cancel-quote.js';
import { keepJob } from '../../../src/use-cases/keep-job.js';
import type { UsageQuery, UsageReader } from '../../../src/use-cases/ports/usage-reader.js';
import { showJob } from '../../../src/use-cases/show-job.js';
import { showUsage } from '../../../src/use-cases/show-usage.js';
import { fakeBot, strict } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const request: JobRequest = {
  model: 'schnell',
  providerModelId: 'acme/fast',
  operation: 'txt2img',
  prompt: 'a lighthouse',
  width: 1024,
  height: 1024,
  steps: 4,
  count: 1,
  seed: 1,
};

describe('showJob', () => {
  it('shows a delivered job to its owner and to the guild’s admins; to anyone else it does not exist', async () => {
    const bot = fakeBot(card);
    bot.jobStore.addJob({ id: 'job-1', userId: 'u1', request });
    const ask = (userId: string, askerIsAdmin = false, guildId = 'g1') => showJob(bot.deps, { jobId: 'job-1', userId, guildId, askerIsAdmin });
    expect((await ask('u1')).ok).toBe(true);
    expect((await ask('u2', true)).ok).toBe(true);
    expect(await ask('u2')).toEqual({ ok: false, error: { code: 'not_found' } });
    expect(await ask('u1', true, 'g2')).toEqual({ ok: false, error: { code: 'not_found' } });
  });

  it('says why a job has nothing to show', async () => {
    const bot = fakeBot(card);
    bot.jobStore.addJob({ id: 'running', userId: 'u1', request, status: 'running' });
    bot.jobStore.addJob({ id: 'failed', userId: 'u1', request, status: 'failed' });
    bot.jobStore.addJob({ id: 'unposted', userId: 'u1', request, messageId: null });
    const codes = await Promise.all(
      ['running', 'failed', 'unposted'].map(async (jobId) => {
        const shown = await showJob(bot.deps, { jobId, userId: 'u1', guildId: 'g1', askerIsAdmin: false });
        return shown.ok ? 'shown' : shown.error.code;
      }),
    );
    expect(codes).toEqual(['still_running', 'failed', 'never_posted']);
  });
});

describe('keepJob and cancelQuote', () => {
  it('keeps a delivered job for its owner only', async () => {
    const bot = fakeBot(card);
    bot.jobStore.addJob({ id: 'job-1', userId: 'u1', request });
    expect(await keepJob(bot.deps, { jobId: 'job-1', userId: 'u2' })).toBe('not_owner');
    expect(await keepJob(bot.deps, { jobId: 'job-1', userId: 'u1' })).toBe('kept');
  });

  it('cancels an open quote for its owner only', async () => {
    const bot = fakeBot(card);
    const quoteId = await bot.deps.jobs.createQuote({
      userId: 'u1',
      guildId: 'g1',
      channelId: 'c1',
      request,
      breakdown: {},
      price: 2,
      tierName: 'none',
      expiresAt: new Date(),
    });
    expect(await cancelQuote(bot.deps, { quoteId, userId: 'u2' })).toBe(false);
    expect(await cancelQuote(bot.deps, { quoteId, userId: 'u1' })).toBe(true);
    expect(await cancelQuote(bot.deps, { quoteId, userId: 'u1' })).toBe(false);
  });
});

describe('showUsage', () => {
  it('reads the member’s last `days` days, and refuses a period out of range or a model the card lacks before reading', async () => {
    const queries: UsageQuery[] = [];
    const usage = strict<UsageReader>('usage', { buckets: async (query) => (queries.push(query), []) });
    const bot = fakeBot(card, { usage });
    expect(await showUsage(bot.deps, { userId: 'u1', guildId: 'g1', days: 0 })).toEqual({ ok: false, error: { code: 'days_out_of_range', max: 365 } });
    expect(await showUsage(bot.deps, { userId: 'u1', guildId: 'g1', days: 7, model: 'schnel' })).toEqual({
      ok: false,
      error: { code: 'unknown_model', guess: 'schnell', models: ['schnell', 'sdxl', 'dev', 'pro'] },
    });
    expect(queries).toEqual([]);
    const sut = await showUsage(bot.deps, { userId: 'u1', guildId: 'g1', days: 7, model: 'sdxl' });
    expect(sut.ok && sut.value.summary.totals.jobs).toBe(0);
    expect(queries).toMatchObject([{ userId: 'u1', guildId: 'g1', model: 'sdxl' }]);
    const { since, until } = usageRange(bot.deps.now(), 7);
    expect(queries[0]).toMatchObject({ since, until });
  });
});
