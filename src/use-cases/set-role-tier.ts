import { closestName } from '../domain/admin/closest-name.js';
import { mayGiveTier, type GrantPolicy } from '../domain/admin/grant-policy.js';
import type { PriceCard, Tier } from '../domain/pricing/price-card-schema.js';
import { err, ok, type Result } from '../domain/result.js';
import { findTier, noTier } from '../domain/tiers.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';

export interface RoleTierDeps {
  readonly guildSettings: GuildSettingsStore;
  readonly card: PriceCard;
  /** Which tiers server admins may give (GUILD_ADMIN_TIERS); owners may give any. */
  readonly grantPolicy: GrantPolicy;
}

/** A role of the guild, as Discord resolved the admin's option. */
export interface GuildRole {
  readonly id: string;
  readonly name: string | null;
}

export interface SetRoleTierInput {
  readonly guildId: string;
  readonly actorId: string;
  readonly role: GuildRole;
  /** As typed: matched to the card's tier names without regard to case. */
  readonly tierName: string;
  readonly reason?: string | undefined;
}

export type SetRoleTierRefusal =
  /** @everyone: every member has it, so it cannot tell tiers apart. */
  | { readonly code: 'everyone_role' }
  /** The tier of members without a tier role; removing the mapping is how a role stops giving one. */
  | { readonly code: 'default_tier'; readonly tierName: string }
  | { readonly code: 'unknown_tier'; readonly asked: string; readonly suggestion: string | undefined; readonly tierNames: readonly string[] }
  /** The operator does not let server admins give this tier's allowance. */
  | { readonly code: 'tier_not_allowed'; readonly tier: Tier }
  | { readonly code: 'unchanged'; readonly tier: Tier };

/**
 * /admin tier set: the role gives the tier from now on, in the admin's name; the mapping and its
 * audit row (from → to, why) are one write. Refused, nothing changes.
 */
export async function setRoleTier(
  deps: RoleTierDeps,
  input: SetRoleTierInput,
): Promise<Result<{ readonly tier: Tier; readonly previous: string | null }, SetRoleTierRefusal>> {
  const { card, grantPolicy } = deps;
  if (input.role.id === input.guildId) return err({ code: 'everyone_role' });
  const wanted = input.tierName.trim().toLowerCase();
  const none = noTier(card).name;
  if (wanted === none) return err({ code: 'default_tier', tierName: none });
  const tier = findTier(card, wanted);
  if (!tier) {
    const tierNames = card.tiers.map((t) => t.name).filter((name) => name !== none);
    return err({ code: 'unknown_tier', asked: wanted, suggestion: closestName(wanted, tierNames), tierNames });
  }
  // A tier with an allowance creates credits every period: the operator decides who may give it.
  if (!mayGiveTier(grantPolicy, input.actorId, tier)) return err({ code: 'tier_not_allowed', tier });
  const mapping = (await deps.guildSettings.roleTierMappings(input.guildId)).find((m) => m.roleId === input.role.id);
  // The same tier again changes nothing — unless the mapping was not in effect and this admin may
  // give the tier: then it is made again in their name, and is in effect from now on.
  if (mapping?.tierName === tier.name && mayGiveTier(grantPolicy, mapping.setBy, tier)) return err({ code: 'unchanged', tier });
  await deps.guildSettings.setRoleTier(input.guildId, input.role.id, tier.name, input.actorId, {
    roleName: input.role.name,
    ...(input.reason ? { reason: input.reason } : {}),
  });
  return ok({ tier, previous: mapping?.tierName ?? null });
}
