import { freeDailyCeiling, mayGiveTier, type GrantPolicy } from '../domain/admin/grant-policy.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { findTier } from '../domain/tiers.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';

/**
 * A guild's settings as they take effect under the operator's policy for server admins: role
 * mappings to a tier the mapper may not give are not in effect, and free daily credits above the
 * ceiling are lowered to it. Applied where every allowance is decided (the quote and /balance
 * read these), so narrowing the policy takes effect at once, also for settings made before.
 */
export function applyServerAdminPolicy(store: GuildSettingsStore, policy: GrantPolicy, card: PriceCard): GuildSettingsStore {
  return {
    roleTierMappings: (guildId) => store.roleTierMappings(guildId),
    async roleTiers(guildId) {
      const inEffect = (await store.roleTierMappings(guildId)).filter((mapping) => {
        const tier = findTier(card, mapping.tierName);
        // A tier the card no longer has gives nothing anyway (resolveMemberTier ignores it).
        return tier === undefined || mayGiveTier(policy, mapping.setBy, tier);
      });
      return new Map(inEffect.map((mapping) => [mapping.roleId, mapping.tierName]));
    },
    async config(guildId) {
      const config = await store.config(guildId);
      const ceiling = freeDailyCeiling(policy, card);
      return config.freeDailyCredits !== null && config.freeDailyCredits > ceiling ? { ...config, freeDailyCredits: ceiling } : config;
    },
    setRoleTier: (guildId, roleId, tierName, setBy, note) => store.setRoleTier(guildId, roleId, tierName, setBy, note),
    removeRoleTier: (guildId, roleId, note) => store.removeRoleTier(guildId, roleId, note),
    updateConfig: (guildId, change, actorId, reason) => store.updateConfig(guildId, change, actorId, reason),
  };
}
