// Every /imagine reads its guild's role tiers and config; they change only when an admin says so.
// Caching them for a few seconds takes two queries off each interaction under a burst. A change
// made through this process is seen at once (its guild's entry is dropped); one made by another
// bot process (a shard) is seen within `ttlMs`.
import { LRUCache } from 'lru-cache';
import { bannedPatternStatuses } from '../domain/banned-patterns.js';
import type { GuildConfig } from '../domain/guild-config.js';
import type { Logger } from '../shared/logger.js';
import type { GuildSettingsStore, RoleTierMapping } from '../use-cases/ports/guild-settings.js';

export interface CachedGuildSettingsOptions {
  /** @defaultValue 5 s */
  readonly ttlMs?: number;
  /** Guilds kept at once. @defaultValue 10,000 */
  readonly maxGuilds?: number;
  /** Warned about each stored banned pattern RE2 refuses (it is skipped), once an hour per guild and pattern. */
  readonly log?: Pick<Logger, 'warn'>;
}

export function cacheGuildSettings(store: GuildSettingsStore, options: CachedGuildSettingsOptions = {}): GuildSettingsStore {
  const cacheOptions = { max: options.maxGuilds ?? 10_000, ttl: options.ttlMs ?? 5_000 };
  const mappings = new LRUCache<string, readonly RoleTierMapping[]>({
    ...cacheOptions,
    fetchMethod: async (guildId) => [...(await store.roleTierMappings(guildId))],
  });
  const warned = new LRUCache<string, true>({ max: 10_000, ttl: 60 * 60_000 });
  const configs = new LRUCache<string, GuildConfig>({
    ...cacheOptions,
    fetchMethod: async (guildId) => {
      const config = await store.config(guildId);
      if (options.log) warnInactivePatterns(options.log, warned, config);
      return config;
    },
  });
  return {
    // fetch() shares one pending read among concurrent callers, so a burst makes one query.
    roleTierMappings: async (guildId) => (await mappings.fetch(guildId))!,
    roleTiers: async (guildId) => new Map((await mappings.fetch(guildId))!.map((mapping) => [mapping.roleId, mapping.tierName])),
    config: async (guildId) => (await configs.fetch(guildId))!,
    async setRoleTier(guildId, roleId, tierName, setBy, note) {
      await store.setRoleTier(guildId, roleId, tierName, setBy, note);
      mappings.delete(guildId);
    },
    async removeRoleTier(guildId, roleId, note) {
      const removed = await store.removeRoleTier(guildId, roleId, note);
      mappings.delete(guildId);
      return removed;
    },
    async updateConfig(guildId, change, actorId, reason) {
      const updated = await store.updateConfig(guildId, change, actorId, reason);
      configs.delete(guildId);
      return updated;
    },
  };
}

/**
 * Patterns stored before banned patterns ran on RE2 may use what RE2 refuses (lookaround,
 * backreferences): they are never checked, so the operator hears of it (the guild's admins see it
 * in `/admin config show`).
 */
function warnInactivePatterns(log: Pick<Logger, 'warn'>, warned: LRUCache<string, true>, config: GuildConfig): void {
  for (const [at, status] of bannedPatternStatuses(config.bannedPatterns).entries()) {
    const key = `${config.guildId}\n${status.pattern}`;
    if (status.active || warned.has(key)) continue;
    warned.set(key, true);
    log.warn({ guildId: config.guildId, pattern: status.pattern, number: at + 1, reason: status.reason }, 'banned pattern ignored: RE2 cannot check it');
  }
}
