/**
 * Who may create credits from nothing. Operators (OWNER_IDS) may, uncapped but for a sanity
 * limit; guild admins only where the operator enabled it, within a daily cap per member.
 */
export interface GrantPolicy {
  readonly ownerIds: readonly string[];
  /** GUILD_ADMIN_GRANTS: may guild admins (Manage Server) grant at all? */
  readonly guildAdminsMayGrant: boolean;
  /** GUILD_ADMIN_GRANT_CAP: credits guild admins together may grant one member per UTC day in one guild. */
  readonly guildAdminDailyCap: number;
}

/** One grant above this is a typo, whoever makes it. */
export const maxCreditsPerGrant = 1_000_000;

export type GrantPermission =
  | { readonly allowed: true; readonly dailyCap: number | null }
  | { readonly allowed: false };

export function grantPermission(policy: GrantPolicy, actorId: string): GrantPermission {
  if (policy.ownerIds.includes(actorId)) return { allowed: true, dailyCap: null };
  if (policy.guildAdminsMayGrant) return { allowed: true, dailyCap: policy.guildAdminDailyCap };
  return { allowed: false };
}

/** No one may create credits: the safe default when the operator configured nothing. */
export const noGrants: GrantPolicy = { ownerIds: [], guildAdminsMayGrant: false, guildAdminDailyCap: 0 };
