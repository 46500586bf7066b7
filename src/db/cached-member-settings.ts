// Every /imagine reads the member's /settings (default model and size, auto-confirm, low-balance
// warning) before it can price anything, and members change them rarely. Cached, a member who
// generates again skips one of the three queries of a quote. The bot writes settings through this
// same cache (/settings), and all its shards live in one process (src/discord/bot.ts), so its own
// changes are exact: an update stores the new value, a reset drops it. `ttlMs` bounds how long a
// change made elsewhere (by hand in SQL, another bot process) can go unseen.
import { LRUCache } from 'lru-cache';
import type { MemberSettings, MemberSettingsStore } from '../use-cases/ports/member-settings.js';

export interface CachedMemberSettingsOptions {
  /** @defaultValue 60 s */
  readonly ttlMs?: number;
  /** Members kept at once (a few hundred bytes each). @defaultValue 50,000 */
  readonly maxMembers?: number;
}

const keyOf = (userId: string, guildId: string) => `${guildId}:${userId}`;

export function cacheMemberSettings(store: MemberSettingsStore, options: CachedMemberSettingsOptions = {}): MemberSettingsStore {
  const cache = new LRUCache<string, MemberSettings, { userId: string; guildId: string }>({
    max: options.maxMembers ?? 50_000,
    ttl: options.ttlMs ?? 60_000,
    fetchMethod: (_key, _stale, { context }) => store.get(context.userId, context.guildId),
  });
  return {
    // fetch() shares one pending read among concurrent callers (a double-fired command).
    get: async (userId, guildId) => (await cache.fetch(keyOf(userId, guildId), { context: { userId, guildId } }))!,
    async update(userId, guildId, change) {
      const updated = await store.update(userId, guildId, change);
      cache.set(keyOf(userId, guildId), updated);
      return updated;
    },
    async reset(userId, guildId) {
      await store.reset(userId, guildId);
      cache.delete(keyOf(userId, guildId));
    },
  };
}
