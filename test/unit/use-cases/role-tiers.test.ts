// /admin tier set|remove|list and forgetting deleted roles: each change is one write with its
// audit row, refused changes write nothing, and the operator's policy decides who may give a tier.
import { describe, expect, it } from 'vitest';
import type { GrantPolicy } from '../../../src/domain/admin/grant-policy.js';
import { listRoleTiers } from '../../../src/use-cases/list-role-tiers.js';
import { forgetDeletedRole, removeRoleTier } from '../../../src/use-cases/remove-role-tier.js';
import { setRoleTier } from '../../../src/use-cases/set-role-tier.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const supporters = { id: 'r-sup', name: 'Supporters' };
/** Server admins may give no tier with an allowance; owners any. */
const narrowPolicy: GrantPolicy = { ownerIds: ['owner'], guildAdminsMayGrant: false, guildAdminDailyCap: 0, guildAdminTiers: [], freeDailyMax: null };
const set = (bot: ReturnType<typeof fakeBot>, tierName: string, actorId = 'admin', role = supporters) =>
  setRoleTier(bot.deps, { guildId: 'g1', actorId, role, tierName, reason: 'supporters get more' });

describe('setRoleTier', () => {
  it('maps the role and audits who, from → to and why in the same write', async () => {
    const bot = fakeBot(card);
    expect(await set(bot, 'Starter')).toMatchObject({ ok: true, value: { tier: { name: 'starter' }, previous: null } });
    expect(await set(bot, 'pro')).toMatchObject({ ok: true, value: { previous: 'starter' } });
    expect(await bot.guildSettings.roleTiers('g1')).toEqual(new Map([['r-sup', 'pro']]));
    expect(bot.guildSettings.audit).toEqual([
      {
        guildId: 'g1',
        actorId: 'admin',
        action: 'tier.set',
        subject: 'r-sup',
        details: { roleName: 'Supporters', from: null, to: 'starter' },
        reason: 'supporters get more',
      },
      {
        guildId: 'g1',
        actorId: 'admin',
        action: 'tier.set',
        subject: 'r-sup',
        details: { roleName: 'Supporters', from: 'starter', to: 'pro' },
        reason: 'supporters get more',
      },
    ]);
  });

  it('refuses @everyone, the default tier and an unknown tier (suggesting the closest), writing nothing', async () => {
    const bot = fakeBot(card);
    expect(await set(bot, 'pro', 'admin', { id: 'g1', name: '@everyone' })).toEqual({ ok: false, error: { code: 'everyone_role' } });
    expect(await set(bot, 'none')).toEqual({ ok: false, error: { code: 'default_tier', tierName: 'none' } });
    expect(await set(bot, 'prro')).toEqual({
      ok: false,
      error: { code: 'unknown_tier', asked: 'prro', suggestion: 'pro', tierNames: ['starter', 'pro', 'ultra'] },
    });
    expect(bot.guildSettings.audit).toEqual([]);
  });

  it('lets a server admin give a tier with an allowance only where the operator allows it; an owner always', async () => {
    const bot = fakeBot(card, { grantPolicy: narrowPolicy });
    expect(await set(bot, 'pro')).toMatchObject({ ok: false, error: { code: 'tier_not_allowed', tier: { name: 'pro' } } });
    expect(await set(bot, 'pro', 'owner')).toMatchObject({ ok: true });
  });

  it('changes nothing for the same tier again — unless the mapping was not in effect and this admin may give it', async () => {
    const bot = fakeBot(card, { grantPolicy: narrowPolicy });
    await set(bot, 'pro', 'owner');
    expect(await set(bot, 'pro', 'owner')).toMatchObject({ ok: false, error: { code: 'unchanged' } });
    bot.guildSettings.map('g1', 'r-sup', 'pro', 'admin');
    expect(await set(bot, 'pro', 'owner')).toMatchObject({ ok: true, value: { previous: 'pro' } });
    expect((await bot.guildSettings.roleTierMappings('g1'))[0]?.setBy).toBe('owner');
  });
});

describe('removeRoleTier and forgetDeletedRole', () => {
  it('removes a mapping with its audit row; a role with none, or @everyone, changes nothing', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.map('g1', 'r-sup', 'pro');
    const remove = (role = supporters) => removeRoleTier(bot.deps, { guildId: 'g1', actorId: 'admin', role, reason: 'ended' });
    expect(await remove()).toEqual({ ok: true, value: 'pro' });
    expect(await remove()).toEqual({ ok: false, error: { code: 'no_tier' } });
    expect(await remove({ id: 'g1', name: '@everyone' })).toEqual({ ok: false, error: { code: 'everyone_role' } });
    expect(bot.guildSettings.audit).toEqual([
      { guildId: 'g1', actorId: 'admin', action: 'tier.remove', subject: 'r-sup', details: { roleName: 'Supporters', from: 'pro' }, reason: 'ended' },
    ]);
  });

  it('forgets a deleted role’s mapping in Discord’s name, the same way', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.map('g1', 'r-sup', 'pro');
    expect(await forgetDeletedRole(bot.deps, { guildId: 'g1', role: supporters })).toBe('pro');
    expect(await forgetDeletedRole(bot.deps, { guildId: 'g1', role: supporters })).toBeNull();
    expect(bot.guildSettings.audit).toEqual([
      {
        guildId: 'g1',
        actorId: 'discord',
        action: 'tier.remove',
        subject: 'r-sup',
        details: { roleName: 'Supporters', from: 'pro' },
        reason: 'the role was deleted in Discord',
      },
    ]);
  });
});

describe('listRoleTiers', () => {
  it('lists the best tier first, says which are not in effect, and forgets roles the guild no longer has', async () => {
    const bot = fakeBot(card, { grantPolicy: narrowPolicy });
    bot.guildSettings.map('g1', 'r-a', 'starter', 'admin');
    bot.guildSettings.map('g1', 'r-b', 'ultra', 'owner');
    bot.guildSettings.map('g1', 'r-c', 'gold', 'owner');
    bot.guildSettings.map('g1', 'r-gone', 'pro', 'owner');
    const sut = await listRoleTiers(bot.deps, { guildId: 'g1', existingRoleIds: new Set(['r-a', 'r-b', 'r-c']) });
    expect(sut.mappings.map(({ roleId, tierName, inEffect }) => [roleId, tierName, inEffect])).toEqual([
      ['r-b', 'ultra', true],
      ['r-a', 'starter', false],
      ['r-c', 'gold', false],
    ]);
    expect(sut.forgotten).toEqual([{ roleId: 'r-gone', tierName: 'pro' }]);
    expect(bot.guildSettings.audit.map((row) => [row.action, row.actorId, row.details])).toEqual([['tier.remove', 'discord', { roleName: null, from: 'pro' }]]);
  });

  it('forgets nothing when the guild’s roles are not known', async () => {
    const bot = fakeBot(card);
    bot.guildSettings.map('g1', 'r-gone', 'pro');
    expect((await listRoleTiers(bot.deps, { guildId: 'g1', existingRoleIds: null })).forgotten).toEqual([]);
  });
});
