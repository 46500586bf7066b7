// /admin caps and /admin budget through the real discord.js client against the fake Discord, on
// the real ledger: who may set what, bad input that changes nothing, caps and the budget refusing
// a Generate with a clear message, and budget alerts delivered once (to a channel, or the owner by DM).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudgetAlertOutbox } from '../../../src/db/budget-alert-outbox.js';
import { createSpendingLimitsStore } from '../../../src/db/spending-limits-store.js';
import type { createBot } from '../../../src/discord/bot.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord, type FakeRoleInput, type FakeUser, type Json } from '../../../src/playground/local-discord/fake-discord.js';
import { resolvedOptions } from '../../../src/playground/local-discord/resolved-options.js';
import { deliverBudgetAlerts } from '../../../src/use-cases/deliver-budget-alerts.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { buttonIds, embedText } from '../../support/discord-payloads.js';
import { expectLedgerConsistent, testGrantPolicy } from '../../support/ledger-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const MANAGE_GUILD = (1n << 5n).toString();
const GUILD = '240000000000000001';
const CHANNEL = '240000000000000002';
const ALERTS = '240000000000000005';
const LOCKED = '240000000000000006';
const ADMIN_ROLE: FakeRoleInput = { id: '240000000000000003', name: 'Admins', permissions: MANAGE_GUILD };
const TRUSTED_ROLE: FakeRoleInput = { id: '240000000000000004', name: 'Trusted', permissions: '0' };
const OTHER_GUILD = '250000000000000001';
const OTHER_CHANNEL = '250000000000000002';
const OTHER_ADMIN_ROLE: FakeRoleInput = { id: '250000000000000003', name: 'Other admins', permissions: MANAGE_GUILD };

let sequence = 0;
const aUser = (name = 'member'): FakeUser => ({ id: `34000000000000${String(++sequence).padStart(4, '0')}`, username: `${name}${sequence}` });
const OPERATOR = aUser('operator');
const SERVER_OWNER = aUser('owner');
const ADMIN = aUser('admin');

const f = usePipeline(3);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
let card: PriceCard;

beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  fake = await FakeDiscord.start();
  fake.addGuild({
    id: GUILD,
    name: 'Limits Test',
    ownerId: SERVER_OWNER.id,
    channels: [
      { id: CHANNEL, name: 'art', type: 0 },
      { id: ALERTS, name: 'alerts', type: 0 },
      { id: LOCKED, name: 'locked', type: 0 },
    ],
    roles: [ADMIN_ROLE, TRUSTED_ROLE],
  });
  fake.addGuild({
    id: OTHER_GUILD,
    name: 'Elsewhere',
    ownerId: SERVER_OWNER.id,
    channels: [{ id: OTHER_CHANNEL, name: 'art', type: 0 }],
    roles: [OTHER_ADMIN_ROLE],
  });
  fake.forbiddenChannels.add(LOCKED);
  bot = await startTestBot(f, fake, card, { grantPolicy: { ...testGrantPolicy, ownerIds: [OPERATOR.id] }, guildOwnersMaySetBudget: true });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

type Option = { name: string; type: number; value: string | number };

async function admin(user: FakeUser, path: [string, string], options: Option[] = [], resolved?: Json, guildId = GUILD): Promise<string> {
  const [group, sub] = path;
  const data = (
    await fake
      .slashCommand({
        guildId,
        channelId: guildId === GUILD ? CHANNEL : OTHER_CHANNEL,
        user,
        roles: [guildId === GUILD ? ADMIN_ROLE.id : OTHER_ADMIN_ROLE.id],
        name: 'admin',
        options: [{ type: 2, name: group, options: [{ type: 1, name: sub, options }] }],
        ...(resolved ? { resolved } : {}),
      })
      .answer()
  ).data as Json;
  expect(data['flags']).toBe(64);
  return String(data['content'] ?? '');
}

/** /imagine then Generate; the text the member reads after clicking. */
async function generate(user: FakeUser, roles: string[] = [], guildId = GUILD): Promise<string> {
  const channelId = guildId === GUILD ? CHANNEL : OTHER_CHANNEL;
  const quoted = await fake
    .slashCommand({ guildId, channelId, user, roles, name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a lighthouse' }] })
    .answer();
  const click = await fake.buttonClick({ guildId, channelId, user, roles, customId: buttonIds(quoted.data)[0]! }).answer();
  return String((click.data as { content: string }).content);
}

const capRows = async () =>
  (await f.database.sql.query(`SELECT subject_kind, subject_id, daily_cap, monthly_cap FROM guild_spending_cap WHERE guild_id = $1 ORDER BY 1, 2`, [GUILD]))
    .rows;
const channelResolved = (id: string, name: string): Json => ({ channels: { [id]: { id, name, type: 0, permissions: '0' } } });
const deliver = () =>
  deliverBudgetAlerts({
    outbox: createBudgetAlertOutbox(f.database.db.pool),
    notifier: bot.budgetAlertNotifier,
    spendingLimits: createSpendingLimitsStore(f.database.db.prisma),
    leaseMs: 1,
  });

describe('/admin caps', () => {
  it('refuses -5, "abc", too much and no value with a sentence, changing nothing', async () => {
    const member = aUser();
    const resolved = resolvedOptions({ users: [member] });
    const user = { name: 'member', type: 6, value: member.id };
    expect(await admin(ADMIN, ['caps', 'member'], [user, { name: 'daily', type: 3, value: '-5' }], resolved)).toBe(
      'The daily cap must be between 0 and 1,000,000 credits, or "off". Nothing changed.',
    );
    expect(await admin(ADMIN, ['caps', 'member'], [user, { name: 'monthly', type: 3, value: 'abc' }], resolved)).toBe(
      'The monthly cap must be a whole number of credits (0–1,000,000) or "off". Nothing changed.',
    );
    expect(await admin(ADMIN, ['caps', 'member'], [user, { name: 'daily', type: 3, value: '2000000' }], resolved)).toMatch(/Nothing changed\.$/);
    expect(await admin(ADMIN, ['caps', 'member'], [user], resolved)).toBe('Give a daily or a monthly cap (a number of credits, or "off"). Nothing changed.');
    expect(await capRows()).toEqual([]);
  });

  it('caps by role (@everyone too) and by member; the member rule wins, then the most generous role; Generate past it is refused', async () => {
    const everyone = { id: GUILD, name: '@everyone', permissions: '0' };
    expect(
      await admin(
        ADMIN,
        ['caps', 'role'],
        [
          { name: 'role', type: 8, value: GUILD },
          { name: 'daily', type: 3, value: '2' },
        ],
        resolvedOptions({ roles: [everyone] }),
      ),
    ).toBe('Saved — @everyone: 2 a day, none a month. It applies from the next confirmation.');
    await admin(
      ADMIN,
      ['caps', 'role'],
      [
        { name: 'role', type: 8, value: TRUSTED_ROLE.id },
        { name: 'daily', type: 3, value: '4' },
      ],
      resolvedOptions({ roles: [TRUSTED_ROLE] }),
    );
    const exception = aUser();
    await admin(
      ADMIN,
      ['caps', 'member'],
      [
        { name: 'member', type: 6, value: exception.id },
        { name: 'daily', type: 3, value: 'off' },
        { name: 'monthly', type: 3, value: '6' },
      ],
      resolvedOptions({ users: [exception] }),
    );
    expect(await capRows()).toEqual([
      { subject_kind: 'member', subject_id: exception.id, daily_cap: null, monthly_cap: 6 },
      { subject_kind: 'role', subject_id: GUILD, daily_cap: 2, monthly_cap: null },
      { subject_kind: 'role', subject_id: TRUSTED_ROLE.id, daily_cap: 4, monthly_cap: null },
    ]);
    expect(await admin(ADMIN, ['caps', 'list'])).toContain(`<@${exception.id}>: none a day, 6 a month`);

    // Each image costs 2 credits (flux-schnell, 1024²); members have 20 free credits.
    const plain = aUser();
    expect(await generate(plain)).toMatch(/^Confirmed: 2 credits held/);
    expect(await generate(plain)).toBe(
      "This costs **2** credits, which would pass the daily cap of **2** credits this server's admins set for you: you have spent or have running **2** today. It resets at 00:00 UTC. Nothing was charged.",
    );
    const trusted = aUser();
    expect(await generate(trusted, [TRUSTED_ROLE.id])).toMatch(/^Confirmed/);
    expect(await generate(trusted, [TRUSTED_ROLE.id])).toMatch(/^Confirmed/);
    expect(await generate(trusted, [TRUSTED_ROLE.id])).toMatch(/daily cap of \*\*4\*\*/);
    for (let i = 0; i < 3; i++) expect(await generate(exception)).toMatch(/^Confirmed/);
    expect(await generate(exception)).toMatch(/monthly cap of \*\*6\*\*/);
    expect(await f.ledger.balance(plain.id, GUILD)).toMatchObject({ available: 18, held: 2 });
    // /settings tells the member the server's caps for them and where they stand.
    const shown = await fake
      .slashCommand({ guildId: GUILD, channelId: CHANNEL, user: trusted, roles: [TRUSTED_ROLE.id], name: 'settings', options: [] })
      .answer();
    expect(embedText(shown.data)).toContain("The server's caps for you: at most **4** credits a day, no month cap.");
    expect(embedText(shown.data)).toContain('Spent or running here: **4** today, **4** this month.');
    // Another server's caps are its own.
    expect(await generate(plain, [], OTHER_GUILD)).toMatch(/^Confirmed/);
    expect(await admin(ADMIN, ['caps', 'remove'], [{ name: 'member', type: 6, value: exception.id }], resolvedOptions({ users: [exception] }))).toBe(
      `Removed the caps of <@${exception.id}>.`,
    );
    expect(await admin(ADMIN, ['caps', 'remove'], [{ name: 'member', type: 6, value: exception.id }], resolvedOptions({ users: [exception] }))).toBe(
      `<@${exception.id}> had no caps here. Nothing changed.`,
    );
    expect(await admin(ADMIN, ['caps', 'remove'])).toBe('Name one member or one role whose caps to remove. Nothing changed.');
    for (const roleId of [GUILD, TRUSTED_ROLE.id])
      await admin(
        ADMIN,
        ['caps', 'remove'],
        [{ name: 'role', type: 8, value: roleId }],
        resolvedOptions({ roles: [roleId === GUILD ? everyone : TRUSTED_ROLE] }),
      );
    expect(await capRows()).toEqual([]);
    const audit = await f.database.sql.query(`SELECT action FROM admin_audit WHERE guild_id = $1 AND action LIKE 'cap.%' ORDER BY id`, [GUILD]);
    expect(audit.rows.map((row) => row.action)).toEqual(['cap.set', 'cap.set', 'cap.set', 'cap.remove', 'cap.remove', 'cap.remove']);
    await expectLedgerConsistent(f.database);
  });
});

describe('/admin budget', () => {
  it('only the operator, or the server owner where allowed, sets it; bad amounts change nothing; the owner cannot change the operator’s', async () => {
    expect(await admin(ADMIN, ['budget', 'set'], [{ name: 'amount', type: 3, value: '100' }])).toMatch(/^The budget is set by the bot’s operator/);
    expect(await admin(OPERATOR, ['budget', 'set'], [{ name: 'amount', type: 3, value: 'abc' }])).toMatch(/^The amount must be a whole number/);
    expect(await admin(OPERATOR, ['budget', 'set'], [{ name: 'amount', type: 3, value: '-5' }])).toMatch(/^The amount must be/);
    expect(await admin(OPERATOR, ['budget', 'set'], [{ name: 'amount', type: 3, value: '999999999999' }])).toMatch(/^That is more than the largest budget/);
    expect((await f.database.sql.query(`SELECT * FROM guild_budget WHERE guild_id = $1`, [GUILD])).rows).toEqual([]);

    expect(await admin(SERVER_OWNER, ['budget', 'set'], [{ name: 'amount', type: 3, value: '$0.50' }])).toMatch(/^The monthly budget is now \$0\.50/);
    // 12 credits are running here already (the caps tests' jobs): 3 more may go.
    expect(await admin(OPERATOR, ['budget', 'set'], [{ name: 'amount', type: 3, value: '15' }])).toMatch(/^The monthly budget is now 15 credits/);
    expect(await admin(SERVER_OWNER, ['budget', 'clear'])).toBe('The bot’s operator set this server’s budget, so only they can change it. Nothing changed.');
    const { rows } = await f.database.sql.query(`SELECT monthly_credits, set_by_operator FROM guild_budget WHERE guild_id = $1`, [GUILD]);
    expect(rows).toEqual([{ monthly_credits: 15, set_by_operator: true }]);
  });

  it('refuses an alert channel the bot cannot post in; takes one it can', async () => {
    expect(await admin(ADMIN, ['budget', 'alerts'], [{ name: 'channel', type: 7, value: LOCKED }], channelResolved(LOCKED, 'locked'))).toBe(
      `I cannot post in <#${LOCKED}>: give me View Channel and Send Messages there, or pick another channel. Nothing changed.`,
    );
    expect(await admin(ADMIN, ['budget', 'alerts'], [{ name: 'channel', type: 7, value: OTHER_CHANNEL }], channelResolved(OTHER_CHANNEL, 'art'))).toBe(
      `<#${OTHER_CHANNEL}> is not a channel of this server. Nothing changed.`,
    );
    expect(fake.messages.filter((m) => m.channelId === OTHER_CHANNEL && String(m.payload?.['content']).startsWith('Budget alerts'))).toEqual([]);
    expect(await createSpendingLimitsStore(f.database.db.prisma).alertChannel(GUILD)).toBeNull();
    expect(await admin(ADMIN, ['budget', 'alerts'], [{ name: 'channel', type: 7, value: ALERTS }], channelResolved(ALERTS, 'alerts'))).toBe(
      `Budget alerts will be posted in <#${ALERTS}>.`,
    );
    expect(fake.messages.filter((m) => m.channelId === ALERTS && m.action === 'create')).toHaveLength(1);
  });

  it('stops Generate at the budget with a clear message; the 80% and 100% alerts are posted once each; /admin stats shows what is left', async () => {
    const member = aUser();
    expect(await generate(member)).toMatch(/^Confirmed: 2 credits held/);
    expect(await generate(member)).toBe(
      "This server has used its monthly image budget, so new jobs — Relax included — are paused until the 1st of the month (UTC). The server's admins have been told. Nothing was charged.",
    );
    expect(await f.ledger.balance(member.id, GUILD)).toMatchObject({ available: 18, held: 2 });
    // A failed delivery is retried, not dropped, and not duplicated.
    fake.failRequest((method, path) => method === 'POST' && path.includes(`/channels/${ALERTS}/messages`), 403, { message: 'Missing Access', code: 50001 });
    const before = fake.messages.filter((m) => m.channelId === ALERTS && m.action === 'create').length;
    await deliver();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await deliver();
    await deliver();
    const posted = fake.messages.filter((m) => m.channelId === ALERTS && m.action === 'create').slice(before);
    // One alert failed once and came in the next round: each posted exactly once.
    expect(posted.map((m) => String(m.payload?.['content']))).toHaveLength(2);
    expect(posted.map((m) => String(m.payload?.['content']))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^⚠️ The monthly image budget is 80% used/),
        expect.stringMatching(/^🛑 The monthly image budget is used up/),
      ]),
    );
    const { rows } = await f.database.sql.query(
      `SELECT threshold, sent_at IS NOT NULL AS sent, attempts FROM budget_alert WHERE guild_id = $1 ORDER BY threshold`,
      [GUILD],
    );
    expect(rows.map((row) => [row.threshold, row.sent])).toEqual([
      [80, true],
      [100, true],
    ]);
    // One of them took a second attempt.
    expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBe(3);

    const stats = (
      await fake
        .slashCommand({
          guildId: GUILD,
          channelId: CHANNEL,
          user: ADMIN,
          roles: [ADMIN_ROLE.id],
          name: 'admin',
          options: [{ type: 1, name: 'stats', options: [] }],
        })
        .answer()
    ).data;
    expect(embedText(stats)).toContain('14 credits of 15 credits used (93%) · **1 credits** left');
    expect(await admin(ADMIN, ['budget', 'show'])).toContain('**14 credits** used (93%), **1 credits** left');
    await expectLedgerConsistent(f.database);
  });

  it('without a channel, DMs the alert to the server owner; another server’s budget does not touch this one', async () => {
    expect(await admin(OPERATOR, ['budget', 'set'], [{ name: 'amount', type: 3, value: '4' }], undefined, OTHER_GUILD)).toMatch(/^The monthly budget is now 4/);
    // 2-credit jobs until the budget refuses one (the caps tests may have run one there already).
    const member = aUser();
    const answers: string[] = [];
    for (let i = 0; i < 3 && !answers.at(-1)?.startsWith('This server has used'); i++) answers.push(await generate(member, [], OTHER_GUILD));
    expect(answers.at(-1)).toMatch(/^This server has used its monthly image budget/);
    await deliver();
    const dms = fake.directMessages(SERVER_OWNER.id).map((m) => String(m.payload?.['content']));
    const elsewhere = dms.filter((text) => text.includes('**Elsewhere**'));
    expect(elsewhere).toHaveLength(2);
    expect(elsewhere).toEqual(
      expect.arrayContaining([expect.stringMatching(/^🛑 The monthly image budget of \*\*Elsewhere\*\* is used up/), expect.stringMatching(/^⚠️ .*80% used/)]),
    );
    await deliver();
    expect(fake.directMessages(SERVER_OWNER.id)).toHaveLength(dms.length);
  });
});
