import { mayGiveTier } from '../domain/admin/grant-policy.js';
import type { Tier } from '../domain/pricing/price-card-schema.js';
import { findTier, tierRank } from '../domain/tiers.js';
import { forgetDeletedRole } from './remove-role-tier.js';
import type { RoleTierDeps } from './set-role-tier.js';

export interface ListedRoleTier {
  readonly roleId: string;
  readonly tierName: string;
  /** The card's tier; undefined when the card no longer has it (the role gives nothing). */
  readonly tier: Tier | undefined;
  /** false: the operator does not let server admins give this tier, and a server admin mapped it. */
  readonly inEffect: boolean;
}

export interface RoleTierList {
  /** Best tier first. */
  readonly mappings: readonly ListedRoleTier[];
  /** Mappings of roles the guild no longer has, removed by this call. */
  readonly forgotten: readonly { readonly roleId: string; readonly tierName: string }[];
}

/**
 * /admin tier list: which roles give which tier, and whether each is in effect. When the guild's
 * roles are known (`existingRoleIds`), mappings of roles deleted while the bot was offline are
 * forgotten first (see forgetDeletedRole).
 */
export async function listRoleTiers(
  deps: RoleTierDeps,
  input: { readonly guildId: string; readonly existingRoleIds: ReadonlySet<string> | null },
): Promise<RoleTierList> {
  const { card } = deps;
  let mappings = await deps.guildSettings.roleTierMappings(input.guildId);
  const forgotten: { roleId: string; tierName: string }[] = [];
  if (input.existingRoleIds !== null) {
    for (const { roleId, tierName } of mappings) {
      if (input.existingRoleIds.has(roleId)) continue;
      if ((await forgetDeletedRole(deps, { guildId: input.guildId, role: { id: roleId, name: null } })) !== null) forgotten.push({ roleId, tierName });
    }
    if (forgotten.length > 0) mappings = await deps.guildSettings.roleTierMappings(input.guildId);
  }
  const listed = mappings.map(({ roleId, tierName, setBy }): ListedRoleTier => {
    const tier = findTier(card, tierName);
    return { roleId, tierName, tier, inEffect: tier !== undefined && mayGiveTier(deps.grantPolicy, setBy, tier) };
  });
  return { mappings: listed.sort((a, b) => tierRank(card, b.tierName) - tierRank(card, a.tierName)), forgotten };
}
