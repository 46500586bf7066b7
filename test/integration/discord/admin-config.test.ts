// /admin config through the real discord.js client against the fake Discord, on the real
// database: admins change settings (each change audited with who, old → new, why), everyone
// else is refused, and /imagine obeys the result before any credit moves — banned words and
// patterns, allowed channels, the free daily amount, the NSFW decision on the quoted job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgGuildSettingsStore } from '../../../src/db/guild-settings-store.js';
import type { createBot } from '../../../src/discord/bot.js';
import { noGrants, type GrantPolicy } from '../../../src/domain/admin/grant-policy.js';
import { applyServerAdminPolicy } from '../../../src/use-cases/apply-server-admin-policy.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { resolvedChannels } from '../../../src/playground/local-discord/interaction-payloads.js';
import type { FakeChannelInput, Json } from '../../../src/playground/local-discord/payloads.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { contentOf, embedText } from '../../support/discord-payloads.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '220000000000000001';
const OTHER_GUILD = '220000000000000009';
const ART: FakeChannelInput = { id: '220000000000000002', name: 'art', type: 0 };
const CHAT: FakeChannelInput = { id: '220000000000000003', name: 'chat', type: 0 };
const LOUNGE: FakeChannelInput = { id: '220000000000000004', name: 'lounge', type: 0, nsfw: true };
const OTHER_CHANNEL: FakeChannelInput = { id: '220000000000000010', name: 'elsewhere', type: 0 };
const OTHER_ADMIN_ROLE = '220000000000000011';
const MANAGE_GUILD = 1n << 5n;
const EVERYONE = (1n << 10n) | (1n << 11n) | (1n << 31n);
const adminPermissions = (EVERYONE | MANAGE_GUILD).toString();
const memberPermissions = EVERYONE.toString();

let sequence = 0;
const aUser = () => ({ id: `32000000000000${String(++sequence).padStart(4, '0')}`, username: `user${sequence}` });

const f = usePipeline(3);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
let card: PriceCard;
const admin = aUser();
// The operator lets servers give up to 100 free credits a day; a test lowers it.
const policy: { -readonly [K in keyof GrantPolicy]: GrantPolicy[K] } = { ...noGrants, freeDailyMax: 100 };

beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Config Test', channels: [ART, CHAT, LOUNGE] });
  fake.addGuild({
    id: OTHER_GUILD,
    name: 'Other',
    channels: [OTHER_CHANNEL],
    roles: [{ id: OTHER_ADMIN_ROLE, name: 'Admins', permissions: (EVERYONE | MANAGE_GUILD).toString() }],
  });
  bot = await startTestBot(f, fake, card, {
    operatorBannedWords: ['forbiddenfruit', 'two words'],
    grantPolicy: policy,
    guildSettings: applyServerAdminPolicy(createPgGuildSettingsStore(f.database.db.prisma), policy, card),
  });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

interface Invocation {
  readonly user?: { id: string; username: string };
  readonly guildId?: string;
  readonly channelId?: string;
  readonly permissions?: string;
  readonly roles?: string[];
}

/** `/admin config <sub> …options`; returns the reply's data. */
async function config(sub: string, options: readonly Json[] = [], as: Invocation = {}, resolved?: Json) {
  const handle = fake.slashCommand({
    guildId: as.guildId ?? GUILD,
    channelId: as.channelId ?? ART.id,
    user: as.user ?? admin,
    name: 'admin',
    ...(as.roles ? { roles: as.roles } : { permissions: as.permissions ?? adminPermissions }),
    options: [{ type: 2, name: 'config', options: [{ type: 1, name: sub, options }] }],
    ...(resolved ? { resolved } : {}),
  });
  return (await handle.answer()).data as Record<string, unknown>;
}
const channelOption = (channel: FakeChannelInput, guildId = GUILD): [Json[], Json] => [
  [{ type: 7, name: 'channel', value: channel.id }],
  resolvedChannels(guildId, [channel]),
];

async function imagine(user: { id: string; username: string }, prompt: string, channelId = ART.id, extra: Json[] = []) {
  const handle = fake.slashCommand({
    guildId: GUILD,
    channelId,
    user,
    name: 'imagine',
    permissions: memberPermissions,
    options: [{ name: 'prompt', type: 3, value: prompt }, ...extra],
  });
  return (await handle.answer()).data as Record<string, unknown>;
}

const auditRows = async (guildId = GUILD) =>
  (await f.database.sql.query(`SELECT actor_id, action, subject, details, reason FROM admin_audit WHERE guild_id = $1 ORDER BY id`, [guildId])).rows;
const storedConfig = async (guildId = GUILD) => (await f.database.sql.query(`SELECT * FROM guild_config WHERE guild_id = $1`, [guildId])).rows[0];
const quotesOf = async (userId: string) =>
  (await f.database.sql.query(`SELECT request FROM quote WHERE user_id = $1 ORDER BY created_at`, [userId])).rows as { request: Json }[];
const entriesOf = async (userId: string) =>
  (await f.database.sql.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE user_id = $1`, [userId])).rows[0].n as number;

/** A prompt refused before any credit moved: no quote, no ledger entry (not even today's free grant). */
async function expectNothingMoved(userId: string) {
  expect(await quotesOf(userId)).toEqual([]);
  expect(await entriesOf(userId)).toBe(0);
  expect(await f.ledger.balance(userId, GUILD)).toMatchObject({ available: 0, held: 0 });
  await expectLedgerConsistent(f.database);
}

describe('/admin config: who may change what', () => {
  it('shows the defaults to an admin', async () => {
    const data = await config('show');
    expect(data['flags']).toBe(64);
    expect(embedText(data)).toContain('20 (the bot’s default)');
    expect(embedText(data)).toContain('everywhere');
    expect(embedText(data)).toContain('blocked everywhere');
    expect(embedText(data)).toContain('2 word(s) the bot’s operator bans');
  });

  it('an admin’s change is stored and audited with who, old → new and why', async () => {
    const data = await config('job-limit', [
      { type: 4, name: 'count', value: 3 },
      { type: 3, name: 'reason', value: 'busy weekend' },
    ]);
    expect(contentOf(data)).toMatch(/the tier’s limit → \*\*at most 3\*\*/);
    expect(await storedConfig()).toMatchObject({ max_running_jobs_per_member: 3, updated_by: admin.id });
    expect((await auditRows()).at(-1)).toEqual({
      actor_id: admin.id,
      action: 'config.set',
      subject: 'maxRunningJobsPerMember',
      reason: 'busy weekend',
      details: { change: 'job-limit', from: null, to: 3 },
    });
    await config('job-limit', []);
    expect((await auditRows()).at(-1)).toMatchObject({ details: { change: 'job-limit', from: 3, to: null }, reason: null });
    expect(embedText(await config('show'))).toContain('the tier’s limit');
  });

  it('refuses a member without Manage Server, and changes nothing', async () => {
    const before = await auditRows();
    const data = await config('free-daily', [{ type: 4, name: 'amount', value: 999 }], { user: aUser(), permissions: memberPermissions });
    expect(data).toMatchObject({ flags: 64, content: expect.stringMatching(/Only server admins/) });
    expect((await storedConfig())?.free_daily_credits ?? null).toBeNull();
    expect(await auditRows()).toEqual(before);
    expect((await config('show', [], { user: aUser(), permissions: memberPermissions }))['content']).toMatch(/Only server admins/);
  });

  it('an admin of another guild changes nothing here, and only their own guild there', async () => {
    const otherAdmin = aUser();
    const before = await auditRows();
    // In this guild they hold no role with Manage Server: refused.
    const here = await config('spoiler', [{ type: 5, name: 'on', value: true }], { user: otherAdmin, roles: [] });
    expect(contentOf(here)).toMatch(/Only server admins/);
    expect((await storedConfig())?.spoiler_results ?? false).toBe(false);
    expect(await auditRows()).toEqual(before);
    // In their own guild (Manage Server through a role) the change lands there, not here.
    const there = await config('spoiler', [{ type: 5, name: 'on', value: true }], {
      user: otherAdmin,
      guildId: OTHER_GUILD,
      channelId: OTHER_CHANNEL.id,
      roles: [OTHER_ADMIN_ROLE],
    });
    expect(contentOf(there)).toMatch(/off → \*\*on\*\*/);
    expect((await storedConfig(OTHER_GUILD))?.spoiler_results).toBe(true);
    expect(await auditRows(OTHER_GUILD)).toEqual([expect.objectContaining({ actor_id: otherAdmin.id, subject: 'spoilerResults' })]);
    expect(await auditRows()).toEqual(before);
  });
});

describe('/admin config: moderation before any credit moves', () => {
  it('a banned word refuses the prompt naming the word; case, look-alikes and zero-width characters do not get past it', async () => {
    const data = await config('ban-word', [
      { type: 3, name: 'word', value: 'Dragon' },
      { type: 3, name: 'reason', value: 'no dragons' },
    ]);
    expect(contentOf(data)).toMatch(/Banned `dragon`/);
    expect((await auditRows()).at(-1)).toMatchObject({
      actor_id: admin.id,
      subject: 'bannedWords',
      reason: 'no dragons',
      details: { from: [], to: ['dragon'] },
    });

    for (const prompt of ['a DRAGON in the sky', 'a ｄｒａｇｏｎ (full width)', 'a dra\u200bgon with a zero-width space', 'dragon']) {
      const member = aUser();
      const refused = await imagine(member, prompt);
      expect(refused).toMatchObject({ flags: 64, content: expect.stringContaining('contains “dragon”, which this server does not allow') });
      expect(refused['components'] ?? []).toEqual([]);
      await expectNothingMoved(member.id);
    }
    // Whole words only: "dragonfly" is fine, and gets its quote (and today's free credits).
    const member = aUser();
    const quoted = await imagine(member, 'a dragonfly');
    expect(embedText(quoted)).toContain('20 → **18** after this');
    expect(await quotesOf(member.id)).toHaveLength(1);
  });

  it('checks the negative prompt too, and the operator’s BANNED_WORDS in every guild', async () => {
    const negative = aUser();
    expect(contentOf(await imagine(negative, 'a castle', ART.id, [{ type: 3, name: 'negative', value: 'no dragon please' }]))).toMatch(
      /Your negative prompt contains “dragon”/,
    );
    await expectNothingMoved(negative.id);
    const operator = aUser();
    expect(contentOf(await imagine(operator, 'a bowl of ForbiddenFruit'))).toMatch(/contains “forbiddenfruit”, which this bot does not allow/);
    const phrase = aUser();
    expect(contentOf(await imagine(phrase, 'TWO   words here'))).toMatch(/contains “two words”, which this bot does not allow/);
    await expectNothingMoved(operator.id);
    await expectNothingMoved(phrase.id);
  });

  it('a banned pattern refuses the prompt naming the pattern’s number; unbanning lets it through', async () => {
    expect(contentOf(await config('ban-pattern', [{ type: 3, name: 'regex', value: 'blood(y|shed)' }]))).toMatch(/Banned pattern #1/);
    expect(contentOf(await config('ban-pattern', [{ type: 3, name: 'regex', value: '\\bgore\\b' }]))).toMatch(
      /Banned pattern #2: .*\(this server’s patterns use 23 of 300 steps\)/,
    );
    const member = aUser();
    expect(contentOf(await imagine(member, 'a field of GORE'))).toMatch(/matches a banned pattern \(#2\)/);
    expect(contentOf(await imagine(member, 'a bloodshed'))).toMatch(/matches a banned pattern \(#1\)/);
    await expectNothingMoved(member.id);

    expect(contentOf(await config('unban-pattern', [{ type: 3, name: 'regex', value: '#2' }]))).toMatch(/Removed pattern `\\bgore\\b`/);
    expect(embedText(await imagine(member, 'a field of gore'))).toContain('credits');
    expect(await quotesOf(member.id)).toHaveLength(1);
    await expectLedgerConsistent(f.database);
  });

  it('a stored pattern RE2 refuses (from before RE2) is shown inactive and skipped; the others still apply; it can be unbanned', async () => {
    const before = (await storedConfig())?.banned_patterns as string[];
    await f.database.sql.query(`UPDATE guild_config SET banned_patterns = $2 WHERE guild_id = $1`, [GUILD, ['(?<=x)y', 'wyvern', '(a)\\1']]);
    const fields = ((await config('show'))['embeds'] as { fields: { name: string; value: string }[] }[])[0]!.fields;
    const shown = fields.find((field) => field.name.startsWith('Banned patterns'))!;
    expect(shown.name).toBe('Banned patterns (3; 8 of 300 steps)');
    expect(shown.value.split('\n')).toEqual([
      expect.stringMatching(/^1\. `\(\?<=x\)y` — \*\*inactive\*\* \(never checked\): uses a lookahead or lookbehind .*; unban it$/),
      '2. `wyvern`',
      expect.stringMatching(/^3\. `\(a\)\\1` — \*\*inactive\*\* \(never checked\): uses a backreference .*; unban it$/),
    ]);

    const member = aUser();
    expect(embedText(await imagine(member, 'aa xy'))).toContain('credits');
    expect(contentOf(await imagine(member, 'a WYVERN'))).toMatch(/matches a banned pattern \(#2\)/);
    expect(contentOf(await config('unban-pattern', [{ type: 3, name: 'regex', value: '3' }]))).toMatch(/Removed pattern `\(a\)\\1`/);
    expect((await storedConfig())?.banned_patterns).toEqual(['(?<=x)y', 'wyvern']);
    await f.database.sql.query(`UPDATE guild_config SET banned_patterns = $2 WHERE guild_id = $1`, [GUILD, before]);
  });

  it('refuses a bad or dangerous regex with a friendly message, and stores and audits nothing', async () => {
    const before = await auditRows();
    const patterns = (await storedConfig())?.banned_patterns;
    const attempts: [string, RegExp][] = [
      ['(unclosed', /not a valid regular expression \(RE2 syntax\): missing closing \)/],
      ['dragon(?=fly)', /uses a lookahead or lookbehind .*RE2 does not support: .*time proportional to its length/],
      ['(?<!red )panda', /uses a lookahead or lookbehind/],
      ['(a)\\1', /uses a backreference .*RE2 does not support/],
      ['\\p{Letter}{3}', /RE2 does not know `\\p\{Letter\}`/],
      ['x{299}', /too big to check quickly: it compiles to 301 steps/],
      ['a'.repeat(201), /at most 200 characters/],
      ['x*', /matches an empty prompt/],
      ['blood(y|shed)', /already banned/],
    ];
    for (const [regex, why] of attempts) {
      const data = await config('ban-pattern', [{ type: 3, name: 'regex', value: regex }]);
      expect(contentOf(data)).toMatch(/^Nothing changed: /);
      expect(contentOf(data)).toMatch(why);
    }
    expect(contentOf(await config('unban-word', [{ type: 3, name: 'word', value: 'unicorn' }]))).toMatch(/Nothing changed: “unicorn” is not banned/);
    expect((await storedConfig())?.banned_patterns).toEqual(patterns);
    expect(await auditRows()).toEqual(before);
  });
});

describe('/admin config: channels, free credits, NSFW', () => {
  it('outside the allowed channels /imagine names where to go and nothing happens', async () => {
    const [allowArt, resolvedArt] = channelOption(ART);
    expect(contentOf(await config('channel-allow', allowArt, {}, resolvedArt))).toMatch(/everywhere|<#/);
    const [allowLounge, resolvedLounge] = channelOption(LOUNGE);
    await config('channel-allow', allowLounge, {}, resolvedLounge);
    expect(contentOf(await config('channel-allow', allowArt, {}, resolvedArt))).toMatch(/Nothing changed: <#\d+> is already allowed/);

    const member = aUser();
    const refused = await imagine(member, 'a quiet harbour', CHAT.id);
    expect(contentOf(refused)).toBe(`Images are made only in <#${ART.id}> or <#${LOUNGE.id}> on this server — use one of those.`);
    await expectNothingMoved(member.id);
    expect(embedText(await imagine(member, 'a quiet harbour', ART.id))).toContain('credits');

    expect((await auditRows()).filter((row) => row.subject === 'allowedChannelIds').map((row) => row.details.to)).toEqual([[ART.id], [ART.id, LOUNGE.id]]);
    await config('channels-clear');
    expect(embedText(await imagine(aUser(), 'a quiet harbour', CHAT.id))).toContain('credits');
  });

  it('the guild’s free daily amount is what a member gets today', async () => {
    expect(contentOf(await config('free-daily', [{ type: 4, name: 'amount', value: 50 }]))).toMatch(/20 \(default\) → \*\*50\*\*/);
    const member = aUser();
    expect(embedText(await imagine(member, 'a lantern'))).toContain('50 → **48** after this');
    const balance = await f.ledger.balance(member.id, GUILD);
    expect(balance).toMatchObject({ available: 50, held: 0 });
    expect(balance.buckets.free.available).toBe(50);
    // /balance grants the same amount (a member who looks before generating gets 50 too).
    const looker = aUser();
    const shown = await fake.slashCommand({ guildId: GUILD, channelId: ART.id, user: looker, name: 'balance', permissions: memberPermissions }).answer();
    expect(JSON.stringify(shown.data)).toContain('50 credits');
    expect(embedText(await imagine(looker, 'a lantern'))).toContain('50 → **48** after this');
    await config('free-daily', [{ type: 4, name: 'amount', value: 0 }]);
    const none = aUser();
    expect(embedText(await imagine(none, 'a lantern'))).toContain('0 — **2 short**');
    expect(await entriesOf(none.id)).toBe(0);
    await config('free-daily');
    await expectLedgerConsistent(f.database);
  });

  it('refuses free daily credits above the operator’s ceiling, and a ceiling lowered later lowers what members get at once', async () => {
    const before = await auditRows();
    expect(contentOf(await config('free-daily', [{ type: 4, name: 'amount', value: 150 }]))).toMatch(
      /Nothing changed: servers may give at most \*\*100\*\* free credits a day on this bot.*GUILD_FREE_DAILY_MAX/,
    );
    expect(await auditRows()).toEqual(before);
    expect(contentOf(await config('free-daily', [{ type: 4, name: 'amount', value: 80 }]))).toMatch(/→ \*\*80\*\*/);
    expect(embedText(await imagine(aUser(), 'a lantern'))).toContain('80 → **78** after this');
    policy.freeDailyMax = 30;
    try {
      const member = aUser();
      expect(embedText(await imagine(member, 'a lantern'))).toContain('30 → **28** after this');
      expect((await f.ledger.balance(member.id, GUILD)).buckets.free.available).toBe(30);
    } finally {
      policy.freeDailyMax = 100;
      await config('free-daily');
    }
    await expectLedgerConsistent(f.database);
  });

  it('marks a job NSFW-allowed only in an age-restricted channel, and only when the guild allows it', async () => {
    const member = aUser();
    await imagine(member, 'a portrait', LOUNGE.id);
    expect((await quotesOf(member.id)).at(-1)!.request).not.toHaveProperty('allowNsfw');

    expect(contentOf(await config('nsfw', [{ type: 3, name: 'mode', value: 'age-restricted-channels' }]))).toMatch(
      /→ \*\*allowed in age-restricted channels only\*\*/,
    );
    await imagine(member, 'a portrait', LOUNGE.id);
    expect((await quotesOf(member.id)).at(-1)!.request).toMatchObject({ allowNsfw: true });
    await imagine(member, 'a portrait', ART.id);
    expect((await quotesOf(member.id)).at(-1)!.request).not.toHaveProperty('allowNsfw');

    expect(contentOf(await config('nsfw', [{ type: 3, name: 'mode', value: 'sometimes' }]))).toMatch(/Nothing changed: The NSFW mode must be one of/);
    await config('nsfw', [{ type: 3, name: 'mode', value: 'blocked' }]);
    await imagine(member, 'a portrait', LOUNGE.id);
    expect((await quotesOf(member.id)).at(-1)!.request).not.toHaveProperty('allowNsfw');
    expect((await auditRows()).filter((row) => row.subject === 'nsfw').map((row) => [row.details.from, row.details.to])).toEqual([
      ['blocked', 'age-restricted-channels'],
      ['age-restricted-channels', 'blocked'],
    ]);
  });
});
