// /imagine and /batch: a quote, or — within the member's auto-confirm threshold — the
// confirmation itself, through the Generate button's path.
import { describe, expect, it } from 'vitest';
import { defaultGuildConfig } from '../../../src/domain/guild-config.js';
import { createLogger } from '../../../src/shared/logger.js';
import type { ConfirmedForMember } from '../../../src/use-cases/confirm-quote.js';
import { requestGeneration } from '../../../src/use-cases/request-generation.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

// Members without a tier role get only the free daily credits (20 on this card).
const card = testCard((raw) => {
  raw.tiers[0]!.allowance = 0;
});
const member = { userId: 'u1', guildId: 'g1', channelId: 'c1', roleIds: [] as string[] };
const webhook = { applicationId: 'app', token: 'token', expiresAt: new Date('2026-12-02T12:15:00Z') };

function request(bot: ReturnType<typeof fakeBot>) {
  const answers: ConfirmedForMember[] = [];
  const requested = requestGeneration(bot.deps, {
    member,
    request: { prompt: 'a lighthouse' },
    confirmation: { interaction: webhook, log: createLogger('silent'), roleIds: [], answer: async (confirmed) => answers.push(confirmed) },
  });
  return { requested, answers };
}

describe('requestGeneration', () => {
  it('answers with the quote when the member has no auto-confirm threshold: nothing is held', async () => {
    const bot = fakeBot(card);
    const { requested, answers } = request(bot);
    const sut = await requested;
    expect(sut.ok && sut.value.kind).toBe('quoted');
    expect(answers).toEqual([]);
    expect(bot.jobStore.confirms).toEqual([]);
  });

  it('confirms at once a quote within the threshold, telling the member it was auto-confirmed', async () => {
    const bot = fakeBot(card);
    await bot.memberSettings.update('u1', 'g1', { autoConfirmMaxCredits: 5 });
    const { requested, answers } = request(bot);
    const sut = await requested;
    if (!sut.ok || sut.value.kind !== 'auto_confirmed') throw new Error('expected auto-confirmed');
    expect(answers).toEqual([sut.value.confirmed]);
    expect(sut.value.confirmed).toMatchObject({ autoConfirmedAtMost: 5, replayed: false, price: sut.value.quoted.quote.total });
    expect(bot.queue.enqueued.map((job) => job.jobId)).toEqual([sut.value.confirmed.jobId]);
  });

  it('keeps the quote when a price above the threshold needs the member’s click', async () => {
    const bot = fakeBot(card);
    await bot.memberSettings.update('u1', 'g1', { autoConfirmMaxCredits: 1 });
    const sut = await request(bot).requested;
    expect(sut.ok && sut.value.kind).toBe('quoted');
  });

  it('shows the quote with why when auto-confirm is refused (too few credits): its Generate button still works later', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.configs.set('g1', { ...defaultGuildConfig('g1'), freeDailyCredits: 0 });
    await bot.memberSettings.update('u1', 'g1', { autoConfirmMaxCredits: 50 });
    const { requested, answers } = request(bot);
    const sut = await requested;
    if (!sut.ok || sut.value.kind !== 'not_auto_confirmed') throw new Error('expected not auto-confirmed');
    expect(sut.value.rejection).toMatchObject({ code: 'insufficient_credits', available: 0 });
    expect(answers).toEqual([]);
    expect(bot.jobStore.quotes.get(sut.value.quoted.quoteId)?.state).toBe('open');
  });
});
