// Any Discord user can own a guild and invite the bot, so a guild's admin may be an attacker of
// every other guild's service. Here one bans the worst regular expressions they can think of and
// their members send the prompts those patterns are worst at, while members of another guild ask
// for their balance: the real bot against the fake Discord with Discord's real limits, on the real
// database. With JavaScript's backtracking RegExp, `(a|a)*b` alone took about a second on 24 `a`s,
// doubling with each `a`, and blocked the bot's event loop for every guild.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createBot } from '../../../src/discord/bot.js';
import { maxPromptLength } from '../../../src/domain/jobs/job-request.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord, type InteractionHandle, type Json } from '../../../src/playground/local-discord/fake-discord.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { contentOf, embedText } from '../../support/discord-payloads.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const HOSTILE = { guildId: '290000000000000001', channelId: '290000000000000002' };
const CALM = { guildId: '290000000000000011', channelId: '290000000000000012' };
const MANAGE_GUILD = 1n << 5n;
const EVERYONE = (1n << 10n) | (1n << 11n) | (1n << 31n);
let sequence = 0;
const aUser = () => ({ id: `39000000000000${String(++sequence).padStart(4, '0')}`, username: `user${sequence}` });
type User = ReturnType<typeof aUser>;

/** What an admin who wants to stall the bot would ban: nested and overlapping repetition, long alternations. */
const WORST_PATTERNS = [
  '(a|a)*b',
  '(a+)+$',
  '(.*a){20}',
  '(?:x+x+)+y',
  '(\\w+\\s?)+!$',
  '(.*.*.*.*.*)*z',
  '(?:a|aa|aaa|aaaa|aaaaa|aaaaaa|b|bb|bbb|ab|ba|aab|abb|bba|baa)+c',
  '[ab]*a[ab]{40}c',
];

let seed = 12345;
const randomAb = (length: number) => Array.from({ length }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 2 === 0 ? 'a' : 'b')).join('');

const f = usePipeline(1);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
const admin = aUser();
const hostileMembers = Array.from({ length: 5 }, aUser);
const calmMembers = Array.from({ length: 5 }, aUser);

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.addGuild({ id: HOSTILE.guildId, name: 'Hostile', channels: [{ id: HOSTILE.channelId, name: 'art', type: 0 }] });
  fake.addGuild({ id: CALM.guildId, name: 'Calm', channels: [{ id: CALM.channelId, name: 'art', type: 0 }] });
  bot = await startTestBot(f, fake, await loadPriceCardOrThrow());
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

interface Timed {
  readonly ms: number;
  readonly data: Record<string, unknown> | null;
}

/** Dispatches an interaction and waits for what the member sees; never answered within 15 s is `Infinity`. */
async function timed(dispatch: () => InteractionHandle): Promise<Timed> {
  const started = performance.now();
  const handle = dispatch();
  try {
    const answer = await handle.answer(15_000);
    return { ms: performance.now() - started, data: (answer.data ?? null) as Record<string, unknown> | null };
  } catch {
    return { ms: Infinity, data: null };
  }
}

const command =
  (where: typeof HOSTILE, user: User, name: string, options: Json[] = [], permissions = EVERYONE) =>
  () =>
    fake.slashCommand({ ...where, user, name, options, permissions: permissions.toString() });
const imagine = (user: User, prompt: string, negative?: string) =>
  timed(command(HOSTILE, user, 'imagine', [{ name: 'prompt', type: 3, value: prompt }, ...(negative ? [{ name: 'negative', type: 3, value: negative }] : [])]));
const balance = (user: User) => timed(command(CALM, user, 'balance'));

/** The calm guild's members ask for their balance, again and again, until `busy` settles. */
async function balancesDuring(busy: Promise<unknown>): Promise<Timed[]> {
  let done = false;
  void busy.finally(() => {
    done = true;
  });
  const answers: Timed[] = [];
  await Promise.all(
    calmMembers.map(async (member) => {
      do answers.push(await balance(member));
      while (!done);
    }),
  );
  return answers;
}

/** Every answer is a quote or a refusal that names a rule, never an error. */
const expectQuoteOrRefusal = (answer: Timed) =>
  expect(
    embedText(answer.data).includes('credits') || /banned pattern \(#\d\)|too long to check|at most 64 prompts/.test(contentOf(answer.data)),
    `${contentOf(answer.data)}${embedText(answer.data)}`.slice(0, 300),
  ).toBe(true);

function expectAnsweredInTime(answers: readonly Timed[]) {
  const slowest = Math.max(...answers.map((answer) => answer.ms));
  expect(slowest, `slowest /balance in the other guild: ${slowest.toFixed(0)} ms`).toBeLessThan(3_000);
  for (const answer of answers) expect(embedText(answer.data)).toContain('credits');
  expect(Math.max(...fake.latencies().map((latency) => latency.latencyMs))).toBeLessThan(3_000);
  expect(fake.unacknowledged()).toEqual([]);
}

describe('a hostile guild cannot freeze the bot', () => {
  it('its admin may ban the worst patterns there are: on RE2 they are harmless', async () => {
    for (const [at, pattern] of WORST_PATTERNS.entries()) {
      const answer = await timed(
        command(
          HOSTILE,
          admin,
          'admin',
          [{ type: 2, name: 'config', options: [{ type: 1, name: 'ban-pattern', options: [{ type: 3, name: 'regex', value: pattern }] }] }],
          EVERYONE | MANAGE_GUILD,
        ),
      );
      expect(contentOf(answer.data)).toMatch(new RegExp(`^Banned pattern #${at + 1}: `));
    }
  });

  it('prompts that took the old engine seconds each: the other guild’s /balance is still answered within 3 s', async () => {
    // 22 to 26 `a`s: about 0.2, 0.4, 0.9, 1.8 and 3.6 s of blocked event loop each with `(a|a)*b` on a backtracking engine.
    const hostile = Promise.all(hostileMembers.map((member, i) => imagine(member, 'a'.repeat(22 + i))));
    const calm = await balancesDuring(hostile);
    const refused = await hostile;
    for (const answer of refused) expect(contentOf(answer.data)).toMatch(/matches a banned pattern \(#2\)/);
    expectAnsweredInTime(calm);
  });

  it('long adversarial prompts, negative prompts and batches: every one answered, the other guild within 3 s', async () => {
    const adversarial: ((member: User) => Promise<Timed>)[] = [
      (member) => imagine(member, 'a'.repeat(40)),
      (member) => imagine(member, `${'a'.repeat(60)}!`),
      (member) => imagine(member, 'a'.repeat(maxPromptLength)),
      (member) => imagine(member, `${'x'.repeat(maxPromptLength - 1)}!`),
      (member) => imagine(member, randomAb(maxPromptLength)),
      (member) => imagine(member, 'a '.repeat(maxPromptLength / 2)),
      (member) => imagine(member, 'a\u200b'.repeat(maxPromptLength / 2)),
      (member) => imagine(member, 'a fox', 'a'.repeat(maxPromptLength)),
      (member) => imagine(member, 'x'.repeat(maxPromptLength), 'x'.repeat(maxPromptLength)),
      (member) => timed(command(HOSTILE, member, 'batch', [{ name: 'prompts', type: 3, value: Array.from({ length: 64 }, () => 'a'.repeat(90)).join('|') }])),
      (member) => timed(command(HOSTILE, member, 'batch', [{ name: 'prompts', type: 3, value: Array.from({ length: 64 }, () => randomAb(90)).join('|') }])),
    ];
    const hostile = Promise.all(
      hostileMembers.map(async (member) => {
        const answers: Timed[] = [];
        for (const send of adversarial) answers.push(await send(member));
        return answers;
      }),
    );
    const calm = await balancesDuring(hostile);
    const answers = (await hostile).flat();
    expect(answers).toHaveLength(hostileMembers.length * adversarial.length);
    for (const answer of answers) expectQuoteOrRefusal(answer);
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(3_000);
    expectAnsweredInTime(calm);
  });
});
