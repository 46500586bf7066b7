// /admin through the real discord.js client against the fake Discord, on the real ledger:
// each subcommand's happy path and its refusals, with the ledger checked after each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgGuildSettingsStore } from '../../../src/db/guild-settings-store.js';
import type { createBot } from '../../../src/discord/bot.js';
import type { GrantPolicy } from '../../../src/domain/admin/grant-policy.js';
import { applyServerAdminPolicy } from '../../../src/use-cases/apply-server-admin-policy.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { FakeDiscord, type FakeRoleInput, type FakeUser, type Json } from '../../../src/playground/local-discord/fake-discord.js';
import { rolePayload } from '../../../src/playground/local-discord/payloads.js';
import { resolvedOptions } from '../../../src/playground/local-discord/resolved-options.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { waitFor } from '../../support/wait-for.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { aRequest, usePipeline } from '../../support/pipeline-fixture.js';

const MANAGE_GUILD = (1n << 5n).toString();
const GUILD = '220000000000000001';
const CHANNEL = '220000000000000002';
const ADMIN_ROLE: FakeRoleInput = { id: '220000000000000003', name: 'Admins', permissions: MANAGE_GUILD };
const STARTER_ROLE: FakeRoleInput = { id: '220000000000000004', name: 'Supporters', permissions: '0' };
const OTHER_GUILD = '230000000000000001';
const OTHER_CHANNEL = '230000000000000002';
const OTHER_ADMIN_ROLE: FakeRoleInput = { id: '230000000000000003', name: 'Other admins', permissions: MANAGE_GUILD };
const EVERYONE: FakeRoleInput = { id: GUILD, name: '@everyone', permissions: '0' };

let sequence = 0;
const aUser = (name = 'member'): FakeUser => ({ id: `32000000000000${String(++sequence).padStart(4, '0')}`, username: `${name}${sequence}` });
const OWNER = aUser('owner');
const ADMIN = aUser('admin');
const BOT_USER: FakeUser = { id: '329999999999999999', username: 'some-bot', bot: true };

const f = usePipeline(3);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
let card: PriceCard;
// The handlers read the policy at every call, so a test can switch admin grants on and off.
const policy: { -readonly [K in keyof GrantPolicy]: GrantPolicy[K] } = {
  ownerIds: [OWNER.id],
  guildAdminsMayGrant: false,
  guildAdminDailyCap: 100,
  guildAdminTiers: 'all',
  freeDailyMax: null,
};

beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Admin Test', channels: [{ id: CHANNEL, name: 'art', type: 0 }], roles: [ADMIN_ROLE, STARTER_ROLE] });
  fake.addGuild({ id: OTHER_GUILD, name: 'Elsewhere', channels: [{ id: OTHER_CHANNEL, name: 'art', type: 0 }], roles: [OTHER_ADMIN_ROLE] });
  bot = await startTestBot(f, fake, card, {
    grantPolicy: policy,
    guildSettings: applyServerAdminPolicy(createPgGuildSettingsStore(f.database.db.prisma), policy, card),
  });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

type Option = { name: string; type: number; value: string | number };
interface AdminCall {
  readonly user: FakeUser;
  readonly roles?: readonly string[];
  readonly guildId?: string;
  /** e.g. ['tier', 'set'] or ['stats']. */
  readonly path: readonly string[];
  readonly options?: readonly Option[];
  readonly resolved?: Json;
}

function adminCommand({ user, roles = [ADMIN_ROLE.id], guildId = GUILD, path, options = [], resolved }: AdminCall) {
  const [first, second] = path;
  const leaf = { type: 1, name: second ?? first, options };
  return fake.slashCommand({
    guildId,
    channelId: guildId === GUILD ? CHANNEL : OTHER_CHANNEL,
    user,
    roles,
    name: 'admin',
    options: [second ? { type: 2, name: first, options: [leaf] } : leaf],
    ...(resolved ? { resolved } : {}),
  });
}

async function admin(call: AdminCall): Promise<{ content: string; data: Json }> {
  const data = (await adminCommand(call).answer()).data as Json;
  expect(data['flags']).toBe(64);
  return { content: String(data['content'] ?? ''), data };
}

const grantCall = (by: FakeUser, member: FakeUser, amount: number, extra: Option[] = [], roles?: string[]): AdminCall => ({
  user: by,
  path: ['credits', 'grant'],
  ...(roles ? { roles } : {}),
  options: [{ name: 'member', type: 6, value: member.id }, { name: 'amount', type: 4, value: amount }, ...extra],
  resolved: resolvedOptions({ users: [member] }),
});
const revokeCall = (by: FakeUser, member: FakeUser, amount: number, reason: string, guildId = GUILD, roles?: string[]): AdminCall => ({
  user: by,
  guildId,
  path: ['credits', 'revoke'],
  ...(roles ? { roles } : {}),
  options: [
    { name: 'member', type: 6, value: member.id },
    { name: 'amount', type: 4, value: amount },
    { name: 'reason', type: 3, value: reason },
  ],
  resolved: resolvedOptions({ users: [member] }),
});
const tierCall = (user: FakeUser, sub: 'set' | 'remove', role: FakeRoleInput, tier?: string, roles?: string[]): AdminCall => ({
  user,
  path: ['tier', sub],
  ...(roles ? { roles } : {}),
  options: [
    { name: 'role', type: 8, value: role.id },
    ...(tier ? [{ name: 'tier', type: 3, value: tier }] : []),
    { name: 'reason', type: 3, value: 'supporters get more' },
  ],
  resolved: resolvedOptions({ roles: [role] }),
});
const refundCall = (user: FakeUser, job: string, guildId = GUILD, roles?: string[]): AdminCall => ({
  user,
  guildId,
  path: ['refund'],
  ...(roles ? { roles } : {}),
  options: [
    { name: 'job', type: 3, value: job },
    { name: 'reason', type: 3, value: 'image was broken' },
  ],
});

const roleTiers = () => createPgGuildSettingsStore(f.database.db.prisma).roleTiers(GUILD);
const giftBalance = async (userId: string, guildId = GUILD) => (await f.ledger.balance(userId, guildId)).buckets.grant.available;
const auditRows = async (action: string) =>
  (await f.database.sql.query(`SELECT actor_id, subject, details, reason FROM admin_audit WHERE guild_id = $1 AND action = $2 ORDER BY id`, [GUILD, action]))
    .rows;

let fundSequence = 0;
/** A job in `guildId` confirmed on a top-up (so nothing in the guild is revocable), optionally finished. */
async function aJob(userId: string, price: number, finish?: { delivered: number; count?: number; failureReason?: string; costUsd?: number }, guildId = GUILD) {
  const funded = await f.ledger.grant({
    key: `fund:${userId}:${++fundSequence}`,
    userId,
    guildId: null,
    kind: 'topup',
    amount: price,
    expiresAt: null,
    actorId: 'test',
    reason: 'fund',
  });
  expect(funded.ok).toBe(true);
  const quoteId = await f.jobs.createQuote({
    userId,
    guildId,
    channelId: CHANNEL,
    request: aRequest({ count: finish?.count ?? 1 }),
    breakdown: {},
    price,
    tierName: 'none',
    expiresAt: new Date(Date.now() + 600_000),
  });
  const confirmed = await f.credits.confirmQuote({ quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 600_000) });
  if (!confirmed.ok) throw new Error(`confirm failed: ${JSON.stringify(confirmed.error)}`);
  const { jobId } = confirmed.value;
  if (finish) {
    await f.credits.finish(jobId, {
      delivered: finish.delivered,
      failureReason: finish.failureReason ?? null,
      memberMessage: null,
      providerCostUsd: finish.costUsd ?? null,
      predictTimeSeconds: null,
    });
  }
  return jobId;
}

describe('/admin', () => {
  it('is registered for Manage Server by default, not in DMs, with its groups and subcommands', () => {
    const command = fake.commands().find((c) => c['name'] === 'admin')!;
    expect(command).toMatchObject({ default_member_permissions: MANAGE_GUILD, dm_permission: false });
    expect((command['options'] as { name: string }[]).map((o) => o.name)).toEqual(['tier', 'credits', 'config', 'caps', 'budget', 'stats', 'refund']);
  });

  it('refuses a member without Manage Server, at run time, and changes nothing', async () => {
    const member = aUser();
    const jobId = await aJob(member.id, 5, { delivered: 1 });
    const before = await f.database.sql.query(
      `SELECT (SELECT count(*) FROM guild_tier_role)::int AS tiers, (SELECT count(*) FROM admin_audit)::int AS audits, (SELECT count(*) FROM credit_lot)::int AS lots`,
    );
    // An admin of another server is a plain member here.
    const otherAdmin = aUser('other-admin');
    const attempts = [
      tierCall(member, 'set', STARTER_ROLE, 'pro', []),
      grantCall(OWNER, member, 10, [], [OTHER_ADMIN_ROLE.id]),
      revokeCall(otherAdmin, member, 1, 'x', GUILD, []),
      refundCall(member, jobId, GUILD, []),
      { user: member, roles: [], path: ['stats'] },
    ];
    for (const call of attempts) expect((await admin(call)).content).toMatch(/Only server admins \(Manage Server\)/);
    const after = await f.database.sql.query(
      `SELECT (SELECT count(*) FROM guild_tier_role)::int AS tiers, (SELECT count(*) FROM admin_audit)::int AS audits, (SELECT count(*) FROM credit_lot)::int AS lots`,
    );
    expect(after.rows).toEqual(before.rows);
    expect(await giftBalance(member.id)).toBe(0);
    await expectLedgerConsistent(f.database);
  });
});

describe('/admin tier', () => {
  it('set, change, list and remove a role’s tier, each with an audit row of who, what and why', async () => {
    const set = await admin(tierCall(ADMIN, 'set', STARTER_ROLE, 'Starter'));
    expect(set.content).toMatch(/<@&220000000000000004> now gives \*\*Starter\*\*: 200 credits weekly/);
    const changed = await admin(tierCall(ADMIN, 'set', STARTER_ROLE, 'pro'));
    expect(changed.content).toMatch(/now gives \*\*Pro\*\* \(was starter\)/);
    expect(await roleTiers()).toEqual(new Map([[STARTER_ROLE.id, 'pro']]));

    const list = await admin({ user: ADMIN, path: ['tier', 'list'] });
    expect(list.content).toContain('<@&220000000000000004> → **Pro** · 450 credits weekly');
    expect(list.data['allowed_mentions']).toEqual({ parse: [] });

    const removed = await admin(tierCall(ADMIN, 'remove', STARTER_ROLE));
    expect(removed.content).toMatch(/no longer gives \*\*pro\*\*/);
    expect(await roleTiers()).toEqual(new Map());
    expect((await admin(tierCall(ADMIN, 'remove', STARTER_ROLE))).content).toMatch(/gives no tier; nothing to remove/);
    expect((await admin({ user: ADMIN, path: ['tier', 'list'] })).content).toMatch(/No role gives a tier yet/);

    expect(await auditRows('tier.set')).toEqual([
      { actor_id: ADMIN.id, subject: STARTER_ROLE.id, details: { roleName: 'Supporters', from: null, to: 'starter' }, reason: 'supporters get more' },
      { actor_id: ADMIN.id, subject: STARTER_ROLE.id, details: { roleName: 'Supporters', from: 'starter', to: 'pro' }, reason: 'supporters get more' },
    ]);
    expect(await auditRows('tier.remove')).toEqual([
      { actor_id: ADMIN.id, subject: STARTER_ROLE.id, details: { roleName: 'Supporters', from: 'pro' }, reason: 'supporters get more' },
    ]);
  });

  it('gives a tier with an allowance only where the operator allows it; a mapping made before the policy narrowed stops giving credits at once', async () => {
    const member = aUser();
    const balanceOf = async (user: FakeUser) =>
      JSON.stringify((await fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, roles: [STARTER_ROLE.id], name: 'balance' }).answer()).data);
    // Allowed (this file's operator allows every tier): the role gives Starter's 200 a week.
    policy.guildAdminTiers = 'all';
    expect((await admin(tierCall(ADMIN, 'set', STARTER_ROLE, 'starter'))).content).toMatch(/now gives \*\*Starter\*\*/);
    policy.guildAdminTiers = [];
    try {
      // The operator narrows the policy: the admin's mapping stays, but gives nothing now…
      expect(await balanceOf(member)).toContain('Tier: No tier');
      expect((await f.ledger.balance(member.id, GUILD)).buckets.tier.available).toBe(0);
      expect((await admin({ user: ADMIN, path: ['tier', 'list'] })).content).toMatch(
        /<@&220000000000000004> → ~~Starter~~ \(not in effect: the bot’s operators do not let server admins give this tier\)/,
      );
      // …an admin cannot map it again…
      expect((await admin(tierCall(ADMIN, 'set', STARTER_ROLE, 'pro'))).content).toMatch(
        /\*\*Pro\*\* gives 450 credits weekly, and the bot’s operators here have not allowed server admins to give it.*Nothing changed/,
      );
      expect(await roleTiers()).toEqual(new Map([[STARTER_ROLE.id, 'starter']]));
      // …and an owner can: made again in their name, the mapping is in effect.
      expect((await admin(tierCall(OWNER, 'set', STARTER_ROLE, 'starter', [ADMIN_ROLE.id]))).content).toMatch(/now gives \*\*Starter\*\* \(was starter\)/);
      const another = aUser();
      expect(await balanceOf(another)).toContain('Tier: Starter');
      expect((await f.ledger.balance(another.id, GUILD)).buckets.tier.available).toBe(200);
    } finally {
      policy.guildAdminTiers = 'all';
      await admin(tierCall(ADMIN, 'remove', STARTER_ROLE));
    }
    await expectLedgerConsistent(f.database);
  });

  it('forgets the tier of a role deleted in Discord, audited as done by discord', async () => {
    const patrons: FakeRoleInput = { id: '220000000000000009', name: 'Patrons', permissions: '0' };
    fake.dispatch('GUILD_ROLE_CREATE', { guild_id: GUILD, role: rolePayload(patrons, 5) });
    await waitFor(async () => bot.client.guilds.cache.get(GUILD)?.roles.cache.has(patrons.id), 5_000, 'the new role in the cache');
    await admin(tierCall(ADMIN, 'set', patrons, 'pro'));
    expect((await roleTiers()).get(patrons.id)).toBe('pro');

    fake.dispatch('GUILD_ROLE_DELETE', { guild_id: GUILD, role_id: patrons.id });
    await waitFor(async () => !(await roleTiers()).has(patrons.id), 5_000, 'the mapping to go');
    await waitFor(async () => (await auditRows('tier.remove')).some((row) => row.subject === patrons.id), 5_000, 'the audit row');
    expect((await auditRows('tier.remove')).filter((row) => row.subject === patrons.id)).toEqual([
      { actor_id: 'discord', subject: patrons.id, details: { roleName: 'Patrons', from: 'pro' }, reason: 'the role was deleted in Discord' },
    ]);
  });

  it('a list forgets mapped roles that were deleted while the bot was offline, and says so', async () => {
    const gone = '220000000000000010';
    await createPgGuildSettingsStore(f.database.db.prisma).setRoleTier(GUILD, gone, 'starter', ADMIN.id);
    const list = await admin({ user: ADMIN, path: ['tier', 'list'] });
    expect(list.content).toContain(`Removed, because the role no longer exists in Discord: a deleted role (${gone}) gave starter.`);
    expect((await roleTiers()).has(gone)).toBe(false);
    expect((await auditRows('tier.remove')).filter((row) => row.subject === gone)).toEqual([
      { actor_id: 'discord', subject: gone, details: { roleName: null, from: 'starter' }, reason: 'the role was deleted in Discord' },
    ]);
    // Nothing more to forget the next time.
    expect((await admin({ user: ADMIN, path: ['tier', 'list'] })).content).not.toContain('Removed');
  });

  it('suggests the card’s tiers while the tier is typed', async () => {
    const handle = fake.autocomplete({
      guildId: GUILD,
      channelId: CHANNEL,
      user: ADMIN,
      roles: [ADMIN_ROLE.id],
      name: 'admin',
      options: [{ type: 2, name: 'tier', options: [{ type: 1, name: 'set', options: [{ name: 'tier', type: 3, value: 'r', focused: true }] }] }],
    });
    const callback = await handle.answer();
    expect(callback.type).toBe(8);
    expect(callback.data).toEqual({
      choices: [
        { name: 'Starter — 200 credits weekly', value: 'starter' },
        { name: 'Pro — 450 credits weekly', value: 'pro' },
        { name: 'Ultra — 1000 credits weekly', value: 'ultra' },
      ],
    });
  });

  it('refuses an unknown tier (suggesting the closest), “none” and @everyone, changing nothing', async () => {
    const auditedBefore = (await auditRows('tier.set')).length;
    const typo = await admin(tierCall(ADMIN, 'set', STARTER_ROLE, 'prp'));
    expect(typo.content).toMatch(/no tier “prp”\. Did you mean \*\*pro\*\*\? Tiers: starter, pro, ultra, max\. Nothing changed/);
    expect((await admin(tierCall(ADMIN, 'set', STARTER_ROLE, 'none'))).content).toMatch(/\/admin tier remove/);
    expect((await admin(tierCall(ADMIN, 'set', EVERYONE, 'pro'))).content).toMatch(/Every member has @everyone/);
    expect(await roleTiers()).toEqual(new Map());
    expect(await auditRows('tier.set')).toHaveLength(auditedBefore);
  });
});

describe('/admin credits grant', () => {
  it('is refused to a guild admin while the operator has not enabled admin grants', async () => {
    policy.guildAdminsMayGrant = false;
    const member = aUser();
    expect((await admin(grantCall(ADMIN, member, 10))).content).toMatch(/reserved to the bot’s operators.*Nothing changed/);
    expect(await giftBalance(member.id)).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('an owner grants beyond the admins’ cap, with an expiry; the ledger records who and why', async () => {
    const member = aUser();
    const handle = adminCommand(
      grantCall(OWNER, member, 5000, [
        { name: 'reason', type: 3, value: 'contest winner' },
        { name: 'expires-in-days', type: 4, value: 7 },
      ]),
    );
    const content = String(((await handle.answer()).data as Json)['content']);
    expect(content).toMatch(/Gifted \*\*5000\*\* credits to <@\d+> in this server; they expire <t:\d+:R>\.$/);
    const balance = await f.ledger.balance(member.id, GUILD);
    expect(balance.buckets.grant.available).toBe(5000);
    expect(balance.buckets.grant.nextExpiry!.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    const { rows } = await f.database.sql.query(`SELECT actor_id, reason, delta_available, kind::text FROM ledger_entry WHERE idempotency_key = $1`, [
      `grant:admin-grant:${handle.id}`,
    ]);
    expect(rows).toEqual([{ actor_id: OWNER.id, reason: 'contest winner', delta_available: 5000, kind: 'grant' }]);
    await expectLedgerConsistent(f.database);
  });

  it('a guild admin grants within the daily cap; over it is refused saying the cap and what is left', async () => {
    policy.guildAdminsMayGrant = true;
    const member = aUser();
    // An owner's gift does not use up the admins' cap.
    expect((await admin(grantCall(OWNER, member, 500))).content).toMatch(/Gifted \*\*500\*\*/);
    expect((await admin(grantCall(ADMIN, member, 60))).content).toMatch(/Gifted \*\*60\*\* credits .* never expire\. Gifted to them today: 60 of 100\./);
    const over = await admin(grantCall(ADMIN, member, 50));
    expect(over.content).toMatch(/at most \*\*100\*\* credits a day\. \*\*60\*\* were gifted today, so \*\*40\*\* are left\. Nothing changed/);
    expect(await giftBalance(member.id)).toBe(560);
    expect((await admin(grantCall(ADMIN, member, 40))).content).toMatch(/today: 100 of 100/);
    expect(await giftBalance(member.id)).toBe(600);
    await expectLedgerConsistent(f.database);
  });

  it('refuses a bot as the receiver', async () => {
    expect((await admin(grantCall(OWNER, BOT_USER, 10))).content).toMatch(/is a bot; bots hold no credits/);
    expect(await giftBalance(BOT_USER.id)).toBe(0);
  });

  it('a retried interaction (the same interaction delivered twice) grants once', async () => {
    policy.guildAdminsMayGrant = true;
    const member = aUser();
    const handle = adminCommand(grantCall(ADMIN, member, 30));
    expect(String(((await handle.answer()).data as Json)['content'])).toMatch(/Gifted \*\*30\*\*/);
    fake.dispatch('INTERACTION_CREATE', handle.payload);
    // The second acknowledgement is refused by Discord (already acknowledged), so the handler
    // never runs a second time; had it run, the ledger's idempotency key would still grant once.
    const second = await fake.waitForRequest((r) => r.method === 'POST' && r.path.includes(`/interactions/${handle.id}/`) && r.status === 400, 5000);
    expect(second.payload).toMatchObject({ type: 5 });
    expect(await giftBalance(member.id)).toBe(30);
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS lots FROM credit_lot WHERE user_id = $1`, [member.id]);
    expect(rows[0].lots).toBe(1);
    await expectLedgerConsistent(f.database);
  });
});

describe('/admin credits revoke', () => {
  it('takes back unspent gifts with who and why in the ledger; more than is unspent is refused saying how much can be', async () => {
    const member = aUser();
    expect((await admin(grantCall(OWNER, member, 60))).content).toMatch(/Gifted/);
    // Purchased credits are never revocable.
    await f.ledger.grant({
      key: `topup:${member.id}`,
      userId: member.id,
      guildId: null,
      kind: 'topup',
      amount: 500,
      expiresAt: null,
      actorId: 'test',
      reason: 'bought',
    });

    const tooMuch = await admin(revokeCall(ADMIN, member, 100, 'abuse'));
    expect(tooMuch.content).toMatch(/has only \*\*60\*\* unspent gifted credits in this server, so you can revoke at most \*\*60\*\*.*Nothing changed/);
    expect(await giftBalance(member.id)).toBe(60);

    const handle = adminCommand(revokeCall(ADMIN, member, 25, 'spam'));
    expect(String(((await handle.answer()).data as Json)['content'])).toMatch(/Took back \*\*25\*\* gifted credits/);
    const balance = await f.ledger.balance(member.id, GUILD);
    expect(balance.buckets.grant.available).toBe(35);
    expect(balance.buckets.topup.available).toBe(500);
    const { rows } = await f.database.sql.query(`SELECT actor_id, reason, delta_available FROM ledger_entry WHERE idempotency_key = $1`, [
      `revoke:admin-revoke:${handle.id}`,
    ]);
    expect(rows).toEqual([{ actor_id: ADMIN.id, reason: 'spam', delta_available: -25 }]);
    await expectLedgerConsistent(f.database);
  });

  it('an admin of another server reaches only that server’s wallet', async () => {
    const member = aUser();
    expect((await admin(grantCall(OWNER, member, 40))).content).toMatch(/Gifted/);
    const otherAdmin = aUser('other-admin');
    const refused = await admin(revokeCall(otherAdmin, member, 10, 'not yours', OTHER_GUILD, [OTHER_ADMIN_ROLE.id]));
    expect(refused.content).toMatch(/has only \*\*0\*\* unspent gifted credits in this server/);
    expect(await giftBalance(member.id)).toBe(40);
    await expectLedgerConsistent(f.database);
  });
});

describe('/admin refund', () => {
  it('is refused to a server admin while the operator has not allowed admins to give credits; an owner may', async () => {
    policy.guildAdminsMayGrant = false;
    const member = aUser();
    const jobId = await aJob(member.id, 6, { delivered: 1 });
    expect((await admin(refundCall(ADMIN, jobId))).content).toMatch(/reserved to the bot’s operators here.*Nothing changed/);
    expect(await giftBalance(member.id)).toBe(0);
    expect((await admin(refundCall(OWNER, jobId))).content).toMatch(/Refunded \*\*6\*\* credits/);
    expect(await giftBalance(member.id)).toBe(6);
  });

  it('counts refunds against the admins’ daily cap, together with gifts', async () => {
    policy.guildAdminsMayGrant = true;
    const member = aUser();
    const jobs = [await aJob(member.id, 40, { delivered: 1 }), await aJob(member.id, 40, { delivered: 1 }), await aJob(member.id, 40, { delivered: 1 })];
    expect((await admin(refundCall(ADMIN, jobs[0]!))).content).toMatch(/Refunded \*\*40\*\*/);
    expect((await admin(refundCall(ADMIN, jobs[1]!))).content).toMatch(/Refunded \*\*40\*\*/);
    // The cap is 100 a day: a third 40 would make 120.
    expect((await admin(refundCall(ADMIN, jobs[2]!))).content).toMatch(
      /would pass the daily cap: .* at most \*\*100\*\* credits a day, gifts and refunds together, and \*\*80\*\* were given today\. Nothing changed/,
    );
    expect((await admin(grantCall(ADMIN, member, 30))).content).toMatch(/over the daily cap/);
    expect(await giftBalance(member.id)).toBe(80);
    await expectLedgerConsistent(f.database);
  });

  it('refunds a finished job’s charge once, as a never-expiring gift with an audit row; a repeat grants nothing', async () => {
    policy.guildAdminsMayGrant = true;
    const owner = aUser();
    const jobId = await aJob(owner.id, 7, { delivered: 1 });
    const first = await admin(refundCall(ADMIN, jobId));
    expect(first.content).toMatch(new RegExp(`Refunded \\*\\*7\\*\\* credits to <@${owner.id}> for job \`${jobId}\``));
    const balance = await f.ledger.balance(owner.id, GUILD);
    expect(balance.buckets.grant).toEqual({ available: 7, nextExpiry: null });

    const again = await admin(refundCall(aUser('another-admin'), jobId, GUILD, [ADMIN_ROLE.id]));
    expect(again.content).toMatch(/already refunded on <t:\d+:F> \(\*\*7\*\* credits/);
    expect(await giftBalance(owner.id)).toBe(7);
    const { rows } = await f.database.sql.query(`SELECT actor_id, reason, delta_available FROM ledger_entry WHERE idempotency_key = $1`, [
      `grant:admin-refund:${jobId}`,
    ]);
    expect(rows).toEqual([{ actor_id: ADMIN.id, reason: 'image was broken', delta_available: 7 }]);
    expect((await auditRows('job.refund')).filter((row) => row.subject === jobId)).toEqual([
      { actor_id: ADMIN.id, subject: jobId, details: { userId: owner.id, credits: 7 }, reason: 'image was broken' },
    ]);
    await expectLedgerConsistent(f.database);
  });

  it('says a queued job is still running, a failed one charged nothing, an unknown or foreign id is no job here', async () => {
    policy.guildAdminsMayGrant = true;
    const owner = aUser();
    const queued = await aJob(owner.id, 3);
    expect((await admin(refundCall(ADMIN, queued))).content).toMatch(/is still queued\. If it fails it refunds itself/);
    const failed = await aJob(owner.id, 3, { delivered: 0, failureReason: 'safety' });
    expect((await admin(refundCall(ADMIN, failed))).content).toMatch(/charged nothing/);
    expect((await admin(refundCall(ADMIN, 'not-a-job'))).content).toMatch(/There is no job `not-a-job` in this server/);
    expect((await admin(refundCall(ADMIN, '00000000-0000-4000-8000-000000000000'))).content).toMatch(/There is no job/);

    const finished = await aJob(owner.id, 4, { delivered: 1 });
    const foreign = await admin(refundCall(aUser('other-admin'), finished, OTHER_GUILD, [OTHER_ADMIN_ROLE.id]));
    expect(foreign.content).toMatch(/There is no job `[0-9a-f-]+` in this server/);
    expect(await giftBalance(owner.id)).toBe(0);
    expect(await giftBalance(owner.id, OTHER_GUILD)).toBe(0);
    await expectLedgerConsistent(f.database);
  });
});

describe('/admin stats', () => {
  it('shows spend by model, provider cost against credits charged, refunds, top spenders and jobs by status, without pinging', async () => {
    policy.guildAdminsMayGrant = true;
    const guild = '240000000000000001';
    const adminRole: FakeRoleInput = { id: '240000000000000003', name: 'Admins', permissions: MANAGE_GUILD };
    fake.addGuild({ id: guild, name: 'Stats', channels: [{ id: CHANNEL, name: 'art', type: 0 }], roles: [adminRole] });
    await waitFor(async () => bot.client.guilds.cache.has(guild) || null); // the client has seen GUILD_CREATE
    const big = aUser('big-spender');
    const small = aUser('small-spender');
    const paid = await aJob(big.id, 10, { delivered: 1, costUsd: 0.02 }, guild);
    await aJob(small.id, 4, { delivered: 1, costUsd: 0.01 }, guild);
    await aJob(small.id, 8, { delivered: 0, failureReason: 'safety' }, guild);
    await aJob(small.id, 2, undefined, guild);
    const handle = fake.slashCommand({
      guildId: guild,
      channelId: CHANNEL,
      user: ADMIN,
      roles: [adminRole.id],
      name: 'admin',
      options: [
        {
          type: 1,
          name: 'refund',
          options: [
            { name: 'job', type: 3, value: paid },
            { name: 'reason', type: 3, value: 'blurry' },
          ],
        },
      ],
    });
    expect(String(((await handle.answer()).data as Json)['content'])).toMatch(/Refunded \*\*10\*\*/);

    const stats = fake.slashCommand({
      guildId: guild,
      channelId: CHANNEL,
      user: ADMIN,
      roles: [adminRole.id],
      name: 'admin',
      options: [{ type: 1, name: 'stats', options: [{ name: 'days', type: 4, value: 7 }] }],
    });
    const data = (await stats.answer()).data as Json;
    expect(data['allowed_mentions']).toEqual({ parse: [] });
    const [embed] = data['embeds'] as { title: string; description: string; fields: { name: string; value: string }[] }[];
    expect(embed!.title).toBe('Usage in the last 7 days');
    // The admin refund of the paid job comes off the charge: net 4 credits, $0.04 − $0.03 cost.
    expect(embed!.description).toBe(
      'Charged **14** credits, **10** given back by admins: net **4** ($0.04 at 100/$) · provider cost $0.03 · margin **$0.01** (25%)',
    );
    const field = (name: string) => embed!.fields.find((candidate) => candidate.name === name)!.value;
    expect(field('Spend by model')).toBe('**flux-schnell**: 14 credits ($0.14) · 2 images · cost $0.03 · margin $0.11');
    expect(field('Spend by lane')).toBe('**Fast**: 14 credits · 3 jobs · 2 images · cost $0.03');
    expect(field('Refunds')).toBe('safety: 1 job, 8 credits\nby admins: 1 job, 10 credits');
    expect(field('Top spenders')).toBe(`1. <@${big.id}>: 10 credits, 1 job\n2. <@${small.id}>: 4 credits, 1 job`);
    expect(field('Jobs by status')).toBe('succeeded: 2\nfailed: 1\nqueued: 1');
    await expectLedgerConsistent(f.database);
  });
});
