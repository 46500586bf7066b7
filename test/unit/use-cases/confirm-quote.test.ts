import type { Lane } from '../../../src/domain/pricing/card-terms.js';
// Confirming a quote: the rules that used to live in the Discord handler — queue priority from
// the quote's tier, the job deadline, the low-balance warning — and the order the member hears
// things in: credits held, answer, public job message, then the queue.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/shared/logger.js';
import { confirmQuote, type ConfirmedForMember } from '../../../src/use-cases/confirm-quote.js';
import type { JobRequest } from '../../../src/domain/jobs/job-request.js';
import type { JobMessages } from '../../../src/use-cases/ports/job-messages.js';
import type { SpendingLimits } from '../../../src/use-cases/ports/spending-limits.js';
import { fakeBot, fakeQueue, strict } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const webhook = { applicationId: 'app', token: 'token', expiresAt: new Date('2026-12-02T12:15:00Z') };
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

/** A bot whose member u1 has `credits` and an open quote at `tierName` for `price`. */
async function withQuote(options: { tierName?: string; price?: number; credits?: number; lane?: Lane; overrides?: Parameters<typeof fakeBot>[1] } = {}) {
  const bot = fakeBot(card, options.overrides);
  bot.wallets.set('u1', 'g1', options.credits ?? 50);
  const quoteId = await bot.deps.jobs.createQuote({
    userId: 'u1',
    guildId: 'g1',
    channelId: 'c1',
    request: options.lane ? { ...request, lane: options.lane } : request,
    breakdown: {},
    price: options.price ?? 10,
    tierName: options.tierName ?? 'none',
    expiresAt: new Date('2026-12-02T12:10:00Z'),
  });
  const answers: ConfirmedForMember[] = [];
  const confirm = (userId = 'u1') =>
    confirmQuote(bot.deps, {
      quoteId,
      userId,
      guildId: 'g1',
      interaction: webhook,
      log: createLogger('silent'),
      roleIds: [],
      onHeld: (job) => bot.events.push(`onHeld:${job.price}`),
      answer: async (confirmed) => {
        bot.events.push('answer');
        answers.push(confirmed);
      },
    });
  return { bot, quoteId, answers, confirm };
}

describe('confirmQuote', () => {
  it('queues at the priority of the lane, then the tier the quote was priced at', async () => {
    for (const [tierName, priority] of [
      ['none', 110],
      ['pro', 105],
      ['ultra', 102],
    ] as const) {
      const { bot, confirm } = await withQuote({ tierName });
      expect((await confirm()).ok).toBe(true);
      expect(bot.queue.enqueued.map((job) => job.priority)).toEqual([priority]);
      expect(bot.jobStore.confirms.map((c) => c.priority)).toEqual([priority]);
    }
  });

  it('queues Turbo ahead of every Fast job and Relax behind every paying job', async () => {
    for (const [lane, tierName, priority] of [
      ['turbo', 'pro', 5],
      ['turbo', 'none', 10],
      ['fast', 'ultra', 102],
      ['relax', 'ultra', 1000],
    ] as const) {
      const { bot, confirm } = await withQuote({ tierName, lane });
      expect((await confirm()).ok).toBe(true);
      expect(bot.queue.enqueued.map((job) => job.priority)).toEqual([priority]);
    }
  });

  it('gives the job a deadline 45 minutes from now, or the configured one', async () => {
    const standard = await withQuote();
    await standard.confirm();
    expect(standard.bot.jobStore.confirms[0]?.deadlineAt).toEqual(new Date('2026-12-02T12:45:00Z'));
    const short = await withQuote({ overrides: { jobDeadlineMs: 60_000 } });
    await short.confirm();
    expect(short.bot.jobStore.confirms[0]?.deadlineAt).toEqual(new Date('2026-12-02T12:01:00Z'));
  });

  it('holds first, answers the member, posts the job message at its place, and only then queues the job', async () => {
    const { bot, answers, confirm } = await withQuote();
    const sut = await confirm();
    expect(bot.events).toEqual(['onHeld:10', 'answer', 'postQueued', 'recordQueuePlace:0', 'enqueue']);
    expect(sut).toEqual({ ok: true, value: answers[0] });
    expect(answers[0]).toMatchObject({ price: 10, replayed: false, ahead: 0, lowBalance: null });
    expect(bot.wallets.get('u1', 'g1')).toBe(40);
    const job = bot.jobStore.jobs.get(answers[0]!.jobId);
    expect(job).toMatchObject({ interaction: webhook, queuePlaceShown: 0, enqueued: true });
  });

  it('a double click holds nothing more and posts nothing: it answers where the job is', async () => {
    const { bot, answers, confirm } = await withQuote();
    await confirm();
    const again = await confirm();
    expect(again.ok && again.value).toMatchObject({ replayed: true, jobId: answers[0]!.jobId });
    expect(bot.jobMessages.posted).toHaveLength(1);
    expect(bot.wallets.get('u1', 'g1')).toBe(40);
    expect(answers).toHaveLength(2);
  });

  it('refuses someone else’s click and a member short of credits: nothing held, answered or posted', async () => {
    const other = await withQuote();
    expect(await other.confirm('u2')).toEqual({ ok: false, error: { code: 'not_quote_owner' } });
    const short = await withQuote({ credits: 3 });
    expect(await short.confirm()).toMatchObject({
      ok: false,
      error: { code: 'insufficient_credits', needed: 10, available: 3, refills: { free: expect.any(Object) } },
    });
    for (const { bot } of [other, short]) expect(bot.events).toEqual([]);
  });

  it('warns when the credits left fall under the member’s low-balance threshold', async () => {
    const { bot, answers, confirm } = await withQuote({ credits: 15 });
    await bot.memberSettings.update('u1', 'g1', { lowBalanceWarningAt: 10 });
    await confirm();
    expect(answers[0]?.lowBalance).toBe(5);
  });

  it('says how many jobs are ahead, on the answer and the job message', async () => {
    const first = await withQuote();
    await first.confirm();
    const quoteId = await first.bot.deps.jobs.createQuote({
      userId: 'u1',
      guildId: 'g1',
      channelId: 'c1',
      request,
      breakdown: {},
      price: 10,
      tierName: 'none',
      expiresAt: new Date('2026-12-02T12:10:00Z'),
    });
    const answers: ConfirmedForMember[] = [];
    await confirmQuote(first.bot.deps, {
      quoteId,
      userId: 'u1',
      guildId: 'g1',
      interaction: webhook,
      log: createLogger('silent'),
      roleIds: [],
      answer: async (c) => answers.push(c),
    });
    expect(answers[0]?.ahead).toBe(1);
    expect(first.bot.jobMessages.posted.at(-1)?.ahead).toBe(1);
  });

  it('still queues the job when its message cannot be posted (the worker posts it), and keeps it when the queue is down (the reconciler queues it)', async () => {
    const failingMessages = strict<JobMessages>('jobMessages', { postQueued: () => Promise.reject(new Error('missing access')) });
    const unposted = await withQuote({ overrides: { jobMessages: failingMessages } });
    expect((await unposted.confirm()).ok).toBe(true);
    expect(unposted.bot.queue.enqueued).toHaveLength(1);

    const down = await withQuote({ overrides: { queue: fakeQueue([], { fails: true }) } });
    const sut = await down.confirm();
    expect(sut.ok).toBe(true);
    expect(down.bot.jobStore.jobs.get(down.answers[0]!.jobId)?.enqueued).toBeUndefined();
  });
});

describe('confirmQuote with server caps', () => {
  it("passes the server's caps for the confirming member, from their roles, into the confirm", async () => {
    const rules = [
      { kind: 'role' as const, subjectId: 'g1', daily: 20, monthly: null },
      { kind: 'role' as const, subjectId: 'trusted', daily: 80, monthly: 900 },
    ];
    const { bot, quoteId } = await withQuote({
      overrides: { spendingLimits: strict<SpendingLimits>('spendingLimits', { serverCapRules: async () => rules }) },
    });
    const confirmed = await confirmQuote(bot.deps, {
      quoteId,
      userId: 'u1',
      guildId: 'g1',
      interaction: webhook,
      log: createLogger('silent'),
      roleIds: ['trusted'],
      answer: async () => undefined,
    });
    expect(confirmed.ok).toBe(true);
    expect(bot.jobStore.confirms.map((c) => c.serverCaps)).toEqual([{ daily: 80, monthly: 900 }]);
  });
});
