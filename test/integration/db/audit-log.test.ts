import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgAuditLog } from '../../../src/db/audit-log.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(2);
});
afterAll(async () => {
  await database?.drop();
});

describe('admin audit log', () => {
  it('records who did what and why, newest first, per guild', async () => {
    const audit = createPgAuditLog(database.db.prisma);
    await audit.record({ guildId: 'g1', actorId: 'admin1', action: 'tier.set', subject: 'role1', details: { tier: 'pro' }, reason: 'supporters' });
    await audit.record({ guildId: 'g1', actorId: 'admin2', action: 'config.set', subject: 'freeDailyCredits', details: { from: 20, to: 10 } });
    await audit.record({ guildId: 'g2', actorId: 'admin3', action: 'tier.remove', subject: 'role9' });
    const entries = await audit.list('g1', 10);
    expect(entries.map((entry) => entry.action)).toEqual(['config.set', 'tier.set']);
    expect(entries[1]).toMatchObject({ actorId: 'admin1', subject: 'role1', details: { tier: 'pro' }, reason: 'supporters' });
    expect(entries[0]).not.toHaveProperty('reason');
  });

  it('is append-only: an entry can be neither changed nor deleted', async () => {
    await expect(database.sql.query(`UPDATE admin_audit SET reason = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(database.sql.query(`DELETE FROM admin_audit`)).rejects.toThrow(/append-only/);
    expect(await createPgAuditLog(database.db.prisma).list('g1', 10)).toHaveLength(2);
  });
});
