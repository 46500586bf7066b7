// The bot's cache of member /settings: a repeat read makes no query, its own changes are seen at
// once, a change made elsewhere within the TTL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheMemberSettings } from '../../../src/db/cached-member-settings.js';
import { createPgMemberSettingsStore } from '../../../src/db/member-settings-store.js';
import type { MemberSettingsStore } from '../../../src/use-cases/ports/member-settings.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { waitFor } from '../../support/wait-for.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(4);
});
afterAll(async () => {
  await database?.drop();
});

/** The pg store, counting the reads that reach it. */
function countingStore(): MemberSettingsStore & { reads: number } {
  const store = createPgMemberSettingsStore(database.db.prisma);
  const counted = {
    ...store,
    reads: 0,
    get: (userId: string, guildId: string) => {
      counted.reads++;
      return store.get(userId, guildId);
    },
  };
  return counted;
}

describe('cached member settings', () => {
  it('reads each member once, whatever the burst, and keeps members apart per guild', async () => {
    const inner = countingStore();
    const cached = cacheMemberSettings(inner);
    await inner.update('u-burst', 'g-1', { autoConfirmMaxCredits: 4 });
    const reads = await Promise.all(Array.from({ length: 20 }, () => cached.get('u-burst', 'g-1')));
    expect(reads.every((settings) => settings.autoConfirmMaxCredits === 4)).toBe(true);
    expect((await cached.get('u-burst', 'g-1')).autoConfirmMaxCredits).toBe(4);
    expect((await cached.get('u-burst', 'g-2')).autoConfirmMaxCredits).toBe(0);
    expect(inner.reads).toBe(2);
  });

  it('sees its own update and reset at once', async () => {
    const cached = cacheMemberSettings(countingStore(), { ttlMs: 60_000 });
    expect((await cached.get('u-own', 'g-1')).defaultSize).toBeNull();
    await cached.update('u-own', 'g-1', { defaultSize: '1024x1024', lowBalanceWarningAt: 10 });
    expect(await cached.get('u-own', 'g-1')).toMatchObject({ defaultSize: '1024x1024', lowBalanceWarningAt: 10 });
    await cached.reset('u-own', 'g-1');
    expect(await cached.get('u-own', 'g-1')).toMatchObject({ defaultSize: null, lowBalanceWarningAt: 0 });
  });

  it('sees a change made elsewhere once the TTL has passed', async () => {
    const cached = cacheMemberSettings(countingStore(), { ttlMs: 200 });
    const elsewhere = createPgMemberSettingsStore(database.db.prisma);
    expect((await cached.get('u-other', 'g-1')).autoConfirmMaxCredits).toBe(0);
    await elsewhere.update('u-other', 'g-1', { autoConfirmMaxCredits: 9 });
    expect((await cached.get('u-other', 'g-1')).autoConfirmMaxCredits).toBe(0);
    await waitFor(async () => ((await cached.get('u-other', 'g-1')).autoConfirmMaxCredits === 9 ? true : null), 5_000);
  });
});
