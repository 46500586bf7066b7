// /usage through the fake Discord on a month of real jobs: each confirmed and finished through the
// real job store (so holds, captures and refunds are real ledger entries) with the database's
// clock set to the day it ran. Checks the figures, the chart attachment as a real PNG, and the refusals.
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPgJobStore } from '../../../src/db/job-store.js';
import { createSqlJobCredits } from '../../../src/ledger/sql-job-credits.js';
import { SPEND_CHART_SIZE } from '../../../src/charts/spend-chart.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { setDatabaseClock } from '../../support/database.js';
import { aRequest, usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '230000000000000001';
const CHANNEL = '230000000000000002';
const DAY_MS = 86_400_000;
let sequence = 0;
const aMember = () => ({ id: `33000000000000${String(++sequence).padStart(4, '0')}`, username: `member${sequence}` });

const f = usePipeline(3);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Usage Test', channelId: CHANNEL });

interface SeedJob {
  daysAgo: number;
  model: 'flux-schnell' | 'sdxl';
  price: number;
  count: number;
  delivered: number;
  kept: boolean;
}

/** Confirms and finishes a job as if on `daysAgo`; returns what the ledger charged and refunded. */
async function seed(userId: string, job: SeedJob) {
  const jobs = createPgJobStore(f.database.db);
  await setDatabaseClock(f.database, new Date(Date.now() - job.daysAgo * DAY_MS - 60_000));
  const request =
    job.model === 'sdxl' ? aRequest({ model: 'sdxl', providerModelId: 'stability-ai/sdxl', steps: 30, count: job.count }) : aRequest({ count: job.count });
  const quoteId = await jobs.createQuote({
    userId,
    guildId: GUILD,
    channelId: CHANNEL,
    request,
    breakdown: {},
    price: job.price,
    tierName: 'starter',
    expiresAt: new Date(Date.now() + 600_000),
  });
  const confirmed = await createSqlJobCredits(f.database.db.pool).confirmQuote({ quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 600_000) });
  if (!confirmed.ok) throw new Error(confirmed.error.code);
  const finished = await createSqlJobCredits(f.database.db.pool).finish(confirmed.value.jobId, {
    delivered: job.delivered,
    failureReason: job.delivered < job.count ? 'safety filter' : null,
    memberMessage: null,
    providerCostUsd: null,
    predictTimeSeconds: null,
  });
  if (job.kept) expect(await jobs.markKept(confirmed.value.jobId, userId)).toBe('kept');
  return finished;
}

async function usage(user: { id: string; username: string }, options: { name: string; type: number; value: string | number }[] = []) {
  return env.fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, name: 'usage', options });
}
const contentOf = async (handle: Awaited<ReturnType<typeof usage>>) => String((await handle.answer()).data?.['content']);

describe('/usage', () => {
  const member = aMember();
  const totals = { charged: 0, refunded: 0, delivered: 0, kept: 0, jobs: 0 };

  beforeAll(async () => {
    const granted = await f.ledger.grant({
      key: `usage-fund-${member.id}`,
      userId: member.id,
      guildId: GUILD,
      kind: 'grant',
      amount: 5000,
      expiresAt: null,
      actorId: 'test',
      reason: 'fund',
    });
    expect(granted.ok).toBe(true);
    // A month of use: flux-schnell most days, sdxl batches twice a week, a blocked image now and then.
    const month: SeedJob[] = [];
    for (let day = 0; day < 30; day++) {
      month.push({ daysAgo: day, model: 'flux-schnell', price: 2, count: 1, delivered: 1, kept: day % 3 === 0 });
      if (day % 2 === 0) month.push({ daysAgo: day, model: 'flux-schnell', price: 4, count: 2, delivered: day % 10 === 0 ? 1 : 2, kept: false });
      if (day % 4 === 1) month.push({ daysAgo: day, model: 'sdxl', price: 13, count: 4, delivered: 4, kept: true });
    }
    // Outside the 30 days: must not count.
    month.push({ daysAgo: 45, model: 'sdxl', price: 13, count: 4, delivered: 4, kept: true });
    for (const job of month) {
      const finished = await seed(member.id, job);
      if (job.daysAgo >= 30) continue;
      totals.jobs += 1;
      totals.charged += finished.charged;
      totals.refunded += finished.refunded;
      totals.delivered += job.delivered;
      if (job.kept) totals.kept += job.delivered;
    }
    await setDatabaseClock(f.database, null);
  });

  it('sums a month: spend, refunds, images delivered and kept, cost per kept image, and a chart of spend per day', async () => {
    const handle = await usage(member);
    const deferred = await handle.answer();
    expect(deferred.type).toBe(5);
    const edit = await handle.waitForWebhookCall('edit-original', 15_000);
    const text = JSON.stringify(edit.payload);
    expect(text).toContain(`${totals.charged} credits ($${(totals.charged / 100).toFixed(2)}) spent`);
    expect(text).toContain(`on ${totals.jobs} jobs`);
    expect(text).toContain(`${totals.refunded} refunded`);
    expect(text).toContain(`${totals.delivered} delivered · ${totals.kept} kept ⭐`);
    expect(text).toContain(`${(Math.round((totals.charged / totals.kept) * 10) / 10).toString()} credits`);
    expect(text).toMatch(/\*\*flux-schnell\*\* txt2img: \d+ spent/);
    expect(text).toMatch(/\*\*sdxl\*\* txt2img: \d+ spent/);
    expect(text).toContain('attachment://spend-per-day.png');

    expect(edit.files).toHaveLength(1);
    const png = edit.files[0]!.data;
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: SPEND_CHART_SIZE.width, height: SPEND_CHART_SIZE.height });
    // Not blank: bars in several colours on the dark background.
    const { channels } = await sharp(png).stats();
    expect(channels.slice(0, 3).every((channel) => channel.stdev > 10)).toBe(true);
    await writeFile('/tmp/imagine-credits-usage-chart.png', png);
  });

  it('narrows to one model and a shorter range', async () => {
    const handle = await usage(member, [
      { name: 'days', type: 4, value: 7 },
      { name: 'model', type: 3, value: 'sdxl' },
    ]);
    const edit = await handle.waitForWebhookCall('edit-original', 15_000);
    const text = JSON.stringify(edit.payload);
    expect(text).toContain('last 7 days · sdxl');
    expect(text).not.toContain('flux-schnell');
    // sdxl ran on days 1 and 5 of the last seven: two jobs of 4 images, 13 credits each.
    expect(text).toContain('26 credits ($0.26) spent');
  });

  it('refuses days outside 1–365 and unknown models (with a suggestion), changing nothing', async () => {
    expect(await contentOf(await usage(member, [{ name: 'days', type: 4, value: 0 }]))).toMatch(/days must be from 1 to 365/);
    expect(await contentOf(await usage(member, [{ name: 'days', type: 4, value: 500 }]))).toMatch(/you asked for 500/);
    expect(await contentOf(await usage(member, [{ name: 'model', type: 3, value: 'flux-shnell' }]))).toMatch(
      /no model called “flux-shnell”.*Did you mean \*\*flux-schnell\*\*/,
    );
  });

  it('says so when there is nothing to show', async () => {
    const handle = await usage(aMember());
    const edit = await handle.waitForWebhookCall('edit-original', 15_000);
    expect(edit.payload).toMatchObject({ content: expect.stringMatching(/No finished image jobs in the last 30 days/) });
    expect(edit.files).toHaveLength(0);
  });
});
