// The bot's cache of guild settings: its own changes are seen at once, another process's within
// the TTL, and a burst of reads makes one query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheGuildSettings } from '../../../src/db/cached-guild-settings.js';
import { createPgGuildSettingsStore } from '../../../src/db/guild-settings-store.js';
import type { GuildSettingsStore } from '../../../src/use-cases/ports/guild-settings.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { captureLog } from '../../support/captured-log.js';
import { waitFor } from '../../support/wait-for.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(4);
});
afterAll(async () => {
  await database?.drop();
});

/** The pg store, counting the reads that reach it. */
function countingStore(): GuildSettingsStore & { reads: number } {
  const store = createPgGuildSettingsStore(database.db.prisma);
  const counted = {
    ...store,
    reads: 0,
    roleTierMappings: (guildId: string) => {
      counted.reads++;
      return store.roleTierMappings(guildId);
    },
    config: (guildId: string) => {
      counted.reads++;
      return store.config(guildId);
    },
  };
  return counted;
}

describe('cached guild settings', () => {
  it('serves a burst of reads with one query per guild and kind', async () => {
    const inner = countingStore();
    const cached = cacheGuildSettings(inner);
    await Promise.all(Array.from({ length: 50 }, () => Promise.all([cached.roleTiers('g-burst'), cached.config('g-burst')])));
    expect(inner.reads).toBe(2);
  });

  it('sees its own changes at once', async () => {
    const cached = cacheGuildSettings(countingStore(), { ttlMs: 60_000 });
    expect((await cached.config('g-own')).freeDailyCredits).toBeNull();
    expect(await cached.roleTiers('g-own')).toEqual(new Map());
    expect((await cached.updateConfig('g-own', { kind: 'free-daily', amount: 7 }, 'admin')).ok).toBe(true);
    await cached.setRoleTier('g-own', 'role-1', 'pro', 'admin');
    expect((await cached.config('g-own')).freeDailyCredits).toBe(7);
    expect(await cached.roleTiers('g-own')).toEqual(new Map([['role-1', 'pro']]));
    await cached.removeRoleTier('g-own', 'role-1');
    expect(await cached.roleTiers('g-own')).toEqual(new Map());
  });

  it('sees another process’s change once the TTL has passed', async () => {
    const cached = cacheGuildSettings(countingStore(), { ttlMs: 200 });
    const elsewhere = createPgGuildSettingsStore(database.db.prisma);
    expect((await cached.config('g-other')).freeDailyCredits).toBeNull();
    await elsewhere.updateConfig('g-other', { kind: 'free-daily', amount: 3 }, 'admin');
    expect((await cached.config('g-other')).freeDailyCredits).toBeNull();
    await waitFor(async () => ((await cached.config('g-other')).freeDailyCredits === 3 ? true : null), 5_000);
  });

  it('warns the operator once about each stored banned pattern RE2 refuses, and still serves the config', async () => {
    // Stored before banned patterns ran on RE2, when a lookahead or a backreference was accepted.
    await database.sql.query(`INSERT INTO guild_config (guild_id, banned_patterns) VALUES ('g-legacy', $1)`, [['dragon', '(?=x)xy', '(a)\\1']]);
    const { log, lines } = captureLog('warn');
    const inner = countingStore();
    const cached = cacheGuildSettings(inner, { ttlMs: 1, log });
    expect((await cached.config('g-legacy')).bannedPatterns).toEqual(['dragon', '(?=x)xy', '(a)\\1']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await cached.config('g-legacy')).bannedPatterns).toHaveLength(3);
    expect(inner.reads).toBe(2);
    expect(lines().map((line) => ({ msg: line['msg'], guildId: line['guildId'], number: line['number'], pattern: line['pattern'] }))).toEqual([
      { msg: 'banned pattern ignored: RE2 cannot check it', guildId: 'g-legacy', number: 2, pattern: '(?=x)xy' },
      { msg: 'banned pattern ignored: RE2 cannot check it', guildId: 'g-legacy', number: 3, pattern: '(a)\\1' },
    ]);
    expect(lines()[1]?.['reason']).toMatch(/backreference/);
    expect(lines().every((line) => line['level'] === 40)).toBe(true);
  });
});
