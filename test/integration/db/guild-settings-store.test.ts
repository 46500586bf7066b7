// The guild settings store on Prisma Client: a tier mapping change and its audit row commit
// together or not at all, and config changes to one guild are serialised by its row lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgGuildSettingsStore } from '../../../src/db/guild-settings-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

let database: TestDatabase;
/** Audit rows about this role cannot be written (a CHECK added in this file's own database). */
const UNAUDITABLE = 'role-unauditable';
beforeAll(async () => {
  database = await createTestDatabase(4);
  await database.sql.query(`ALTER TABLE admin_audit ADD CONSTRAINT test_unauditable CHECK (subject IS DISTINCT FROM '${UNAUDITABLE}')`);
});
afterAll(async () => {
  await database?.drop();
});

const store = () => createPgGuildSettingsStore(database.db.prisma);
const auditRows = async (guildId: string) =>
  (await database.sql.query(`SELECT actor_id, action, subject, details, reason FROM admin_audit WHERE guild_id = $1 ORDER BY id`, [guildId])).rows;
const mappings = async (guildId: string) =>
  (await database.sql.query(`SELECT role_id, tier_name, set_by FROM guild_tier_role WHERE guild_id = $1 ORDER BY role_id`, [guildId])).rows;

describe('role tier mappings with their audit rows', () => {
  it('records each change with the tier before and after, as it was in the same transaction', async () => {
    await store().setRoleTier('g1', 'role-1', 'starter', 'admin-a', { roleName: 'Supporters', reason: 'launch' });
    await store().setRoleTier('g1', 'role-1', 'pro', 'admin-b', { roleName: 'Supporters' });
    expect(await store().removeRoleTier('g1', 'role-1', { actorId: 'admin-a', roleName: 'Supporters', reason: 'ended' })).toBe(true);
    expect(await store().removeRoleTier('g1', 'role-1', { actorId: 'admin-a', roleName: 'Supporters' })).toBe(false);
    expect(await mappings('g1')).toEqual([]);
    expect(await auditRows('g1')).toEqual([
      { actor_id: 'admin-a', action: 'tier.set', subject: 'role-1', details: { roleName: 'Supporters', from: null, to: 'starter' }, reason: 'launch' },
      { actor_id: 'admin-b', action: 'tier.set', subject: 'role-1', details: { roleName: 'Supporters', from: 'starter', to: 'pro' }, reason: null },
      { actor_id: 'admin-a', action: 'tier.remove', subject: 'role-1', details: { roleName: 'Supporters', from: 'pro' }, reason: 'ended' },
    ]);
  });

  it('changes no mapping when its audit row cannot be written', async () => {
    await expect(store().setRoleTier('g2', UNAUDITABLE, 'pro', 'admin', { roleName: 'X' })).rejects.toThrow(/test_unauditable/);
    expect(await mappings('g2')).toEqual([]);
    // Made without a note (as seeding does), then a removal whose audit row fails keeps it.
    await store().setRoleTier('g2', UNAUDITABLE, 'pro', 'admin');
    await expect(store().removeRoleTier('g2', UNAUDITABLE, { actorId: 'admin', roleName: 'X' })).rejects.toThrow(/test_unauditable/);
    expect(await mappings('g2')).toEqual([{ role_id: UNAUDITABLE, tier_name: 'pro', set_by: 'admin' }]);
    expect(await auditRows('g2')).toEqual([]);
  });
});

describe('guild config changes', () => {
  it('a refused change writes nothing, not even the guild’s row', async () => {
    const refused = await store().updateConfig('g3', { kind: 'free-daily', amount: -1 }, 'admin');
    expect(refused.ok).toBe(false);
    expect((await database.sql.query(`SELECT count(*)::int AS n FROM guild_config WHERE guild_id = 'g3'`)).rows).toEqual([{ n: 0 }]);
    expect(await auditRows('g3')).toEqual([]);
  });

  it('concurrent changes to one guild all land, each audited from the state the one before left', async () => {
    const words = Array.from({ length: 8 }, (_, i) => `word${i}`);
    const results = await Promise.all(words.map((word) => store().updateConfig('g4', { kind: 'ban-word', word }, 'admin')));
    expect(results.every((result) => result.ok)).toBe(true);
    expect([...(await store().config('g4')).bannedWords].sort()).toEqual(words);
    const audited = (await auditRows('g4')).map((row) => (row.details as { from: string[] }).from.length);
    expect(audited).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
