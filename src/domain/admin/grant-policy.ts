// Who may create value from nothing. Any Discord user can make a server and invite the bot, so a
// server admin is trusted with their own server's settings but not with the operator's bill:
// unless the operator opts in, only the operator's owners (OWNER_IDS) create credits — gifts,
// refunds of charged jobs, tiers that carry an allowance, free daily credits above the card's.
import type { PriceCard, Tier } from '../pricing/price-card-schema.js';

export interface GrantPolicy {
  readonly ownerIds: readonly string[];
  /** GUILD_ADMIN_GRANTS: may server admins (Manage Server) gift credits and refund jobs at all? */
  readonly guildAdminsMayGrant: boolean;
  /** GUILD_ADMIN_GRANT_CAP: credits server admins together may give one member per UTC day in one guild, gifts and refunds together. */
  readonly guildAdminDailyCap: number;
  /** GUILD_ADMIN_TIERS: the tiers carrying an allowance that server admins may give a role ('all', or by name). */
  readonly guildAdminTiers: 'all' | readonly string[];
  /** GUILD_FREE_DAILY_MAX: the most free credits a day any server may give its members; null = the price card's freeDailyCredits. */
  readonly freeDailyMax: number | null;
}

/** One grant above this is a typo, whoever makes it. */
export const maxCreditsPerGrant = 1_000_000;

export type GrantPermission = { readonly allowed: true; readonly dailyCap: number | null } | { readonly allowed: false };

export const isOwner = (policy: GrantPolicy, actorId: string): boolean => policy.ownerIds.includes(actorId);

/** Whether `actorId` may gift credits or refund a job, and under which daily cap (null: none). */
export function grantPermission(policy: GrantPolicy, actorId: string): GrantPermission {
  if (isOwner(policy, actorId)) return { allowed: true, dailyCap: null };
  if (policy.guildAdminsMayGrant) return { allowed: true, dailyCap: policy.guildAdminDailyCap };
  return { allowed: false };
}

/**
 * Whether a role mapping to `tier`, made by `setBy`, gives members the tier: always when the tier
 * carries no allowance (only models and limits), else when an owner made it or the operator lets
 * server admins give that tier. Checked when a mapping is made and again whenever it is used, so
 * a mapping made before the operator narrowed the policy stops giving credits at once.
 */
export function mayGiveTier(policy: GrantPolicy, setBy: string, tier: Pick<Tier, 'name' | 'allowance'>): boolean {
  if (tier.allowance <= 0 || isOwner(policy, setBy)) return true;
  return policy.guildAdminTiers === 'all' || policy.guildAdminTiers.includes(tier.name);
}

/** The most free credits a day a server may give: GUILD_FREE_DAILY_MAX, else the card's own amount. */
export const freeDailyCeiling = (policy: GrantPolicy, card: Pick<PriceCard, 'freeDailyCredits'>): number => policy.freeDailyMax ?? card.freeDailyCredits;

/** No one but owners (there are none) may create credits: the safe default when the operator configured nothing. */
export const noGrants: GrantPolicy = { ownerIds: [], guildAdminsMayGrant: false, guildAdminDailyCap: 0, guildAdminTiers: [], freeDailyMax: null };

/**
 * The policy as the ledger enforces it where allowances are created (ledger_grant_allowances):
 * fixed when the process starts, so a bug in the code that resolves a member's tier or a guild's
 * free credits cannot create more than the operator allows.
 */
export interface AllowancePolicy {
  readonly ownerIds: readonly string[];
  /** Tiers server admins may give a role; 'all' when the operator allows every tier. */
  readonly adminTiers: 'all' | readonly string[];
  readonly freeDailyCeiling: number;
  /** The tier of members without a tier role: given without a mapping. */
  readonly defaultTier: string;
  /** Each tier's allowance on the card: no tier grant is larger. */
  readonly tierAllowances: Readonly<Record<string, number>>;
  /** The card's one-time welcome grant per member. */
  readonly welcomeCredits: number;
}

export const allowancePolicyFor = (policy: GrantPolicy, card: Pick<PriceCard, 'freeDailyCredits' | 'tiers' | 'welcomeCredits'>): AllowancePolicy => ({
  ownerIds: policy.ownerIds,
  adminTiers: policy.guildAdminTiers,
  freeDailyCeiling: freeDailyCeiling(policy, card),
  defaultTier: card.tiers[0]?.name ?? 'none',
  tierAllowances: Object.fromEntries(card.tiers.map((tier) => [tier.name, tier.allowance])),
  welcomeCredits: card.welcomeCredits,
});
